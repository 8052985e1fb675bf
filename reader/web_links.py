"""The one check of a web address: what a feed may be fetched from and a browser may be given.

Feed addresses (feeds.toml, `feeds add`, OPML), items' links and the translator's address all
pass here: absolute http or https with a host, nothing a terminal, a TOML file or an HTTP
library would take differently from what it shows.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")

# What each kind of character that no address may hold is called in a message.
_UNFIT_CHARACTERS = {
    "Cc": "a control character",
    "Cf": "an invisible formatting character",
    "Cs": "text that is not UTF-8",  # how Python reads such bytes of a command line
    "Co": "a private-use character",
    "Cn": "an unassigned character",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
    "Zs": "white space",
}


def web_link_problem(address: str) -> str | None:
    """Why `address` is no web address ("it holds white space (U+0020)"), else None.

    A web address is absolute http or https (in any case) with a host and a valid port, and
    holds no white space, control or formatting character, nor a lone surrogate (what Python
    makes of a command-line argument that is not UTF-8)."""
    if not address:
        return "it is empty"
    if not address.isprintable() or " " in address:
        # isprintable() is false for every character listed, and every space but " ".
        unfit = next(c for c in address if c == " " or not c.isprintable())
        kind = _UNFIT_CHARACTERS.get(unicodedata.category(unfit), "a character that is not text")
        return f"it holds {kind} (U+{ord(unfit):04X})"
    try:
        parts = urlsplit(address)
        parts.port  # noqa: B018 -- raises on a port that is no number from 0 to 65535
    except ValueError:  # "http://[::1", "http://host:99999/"
        return "it is not a well-formed address"
    if parts.scheme not in WEB_SCHEMES:
        return "it is not an http:// or https:// address"
    if not parts.hostname:
        return "it names no host"
    return None


def web_link(address: str | None) -> str | None:
    """`address` with its scheme in lower case ("HTTPS://" -> "https://") if it is a web
    address (see web_link_problem), else None."""
    if not address or web_link_problem(address) is not None:
        return None
    scheme, _, rest = address.partition(":")
    return f"{scheme.lower()}:{rest}"


def is_web_link(address: str | None) -> bool:
    """Whether `address` is one a browser may be given, and a feed may be fetched from."""
    return web_link(address) is not None
