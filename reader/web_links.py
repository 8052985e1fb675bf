"""The one check of a web address: what a feed may be fetched from and a browser may be given.

Feed addresses (feeds.toml, `feeds add`, OPML), items' links and the translator's address all
pass here: absolute http or https with a host, nothing a terminal, a TOML file or an HTTP
library would take differently from what it shows.
"""

from __future__ import annotations

import re
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

    A web address is absolute http or https (in any case) with a host name or IP address and
    a port from 1 to 65535, and holds no white space, control or formatting character, nor a
    lone surrogate (what Python makes of a command-line argument that is not UTF-8)."""
    if not address:
        return "it is empty"
    if not address.isprintable() or " " in address:
        # isprintable() is false for every character listed, and every space but " ".
        unfit = next(c for c in address if c == " " or not c.isprintable())
        kind = _UNFIT_CHARACTERS.get(unicodedata.category(unfit), "a character that is not text")
        return f"it holds {kind} (U+{ord(unfit):04X})"
    try:
        parts = urlsplit(address)  # checks an IPv6 address in brackets too
    except ValueError:  # "http://[::1"
        return "it is not a well-formed address"
    if parts.scheme not in WEB_SCHEMES:
        return "it is not an http:// or https:// address"
    if not parts.hostname:
        return "it names no host"
    # Each of these would fail only when fetched, or be fetched elsewhere: requests takes
    # "h.nl\\x.nl" as host h.nl, and port 0 as no port (80).
    host_and_port = parts.netloc.rpartition("@")[2]
    port = host_and_port.rpartition("]")[2].partition(":")[2]
    if port and not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        return f"its port {port!r} is not a number from 1 to 65535"
    if "[" not in host_and_port and not _is_host_name(parts.hostname):
        return f"its host {parts.hostname!r} is no host name"
    return None


# A host name as the DNS has them: labels of letters, digits, hyphens (and the underscores
# some hosts use) of 1 to 63 characters, 253 in all, perhaps with the root's final dot.
_ASCII_HOST = re.compile(r"(?=.{1,253}\.?$)[a-z0-9_-]{1,63}(\.[a-z0-9_-]{1,63})*\.?", re.ASCII)


def _is_host_name(host: str) -> bool:
    """Whether `host` (in lower case, as urlsplit gives it) is a name requests can look up."""
    if host.isascii():
        return _ASCII_HOST.fullmatch(host) is not None
    # An international name is looked up as its IDNA form, made as requests makes it; the
    # idna package comes with requests, and is loaded only for such a name.
    import idna

    try:
        return _ASCII_HOST.fullmatch(idna.encode(host, uts46=True).decode("ascii")) is not None
    except (idna.IDNAError, UnicodeError):
        return False


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
