"""Documents that would grow when parsed: declarations that make a small feed a huge one.

A DTD may declare an entity of 100,000 characters and a feed reference it 3,000 times: expat
stops at its amplification limit, feedparser's loose parser then expands every reference
(300 MB from 109 KB), and below that limit expat expands them itself. An attribute default is
copied into every element it applies to. No feed needs either: an entity no longer than its
own reference (`<!ENTITY nbsp "&#160;">`) and an external one (never loaded) are let through;
any other such declaration refuses the document, before it is parsed.

The document is read as feedparser reads it (its encoding found the same way), or a feed in
an encoding such as unicode_escape would hide `<!ENTITY` from a search of its bytes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from feedparser.encodings import convert_to_utf8

_DECLARATION = re.compile(rb"<!(?:ENTITY|ATTLIST)")
# An entity declaration as expat and feedparser's loose parser read one: a name, then an
# external identifier or a quoted value.
_ENTITY = re.compile(
    rb"""<!ENTITY\s+(%\s+)?([^\s"'%&<>]+)\s+(?:(?:SYSTEM|PUBLIC)\b|"([^"]*)"|'([^']*)')"""
)
_CHARACTER_REFERENCE = re.compile(r"&#(?:([0-9]{1,8})|x([0-9a-fA-F]{1,8}));")
# What a character reference in an entity's value may not stand for: a reference to another
# entity written that way ("&#38;a;") is read when the entity is used.
_MARKUP_CHARACTERS = frozenset("&%<")
_REFUSED = "refused: the document declares "
_UNBOUNDED = " could expand it without bound"


def expansion_refusal(body: bytes, headers: Mapping[str, str]) -> str | None:
    """Why the document is refused before parsing, or None; `headers` are those feedparser
    is given (its Content-Type decides the encoding)."""
    try:
        text = convert_to_utf8(dict(headers), body, {})
    except Exception:  # feedparser's own reading of the encoding failed: read the bytes as they are
        text = body
    for match in _DECLARATION.finditer(text):
        if match[0] == b"<!ATTLIST":
            return _REFUSED + "attribute lists (<!ATTLIST>), whose defaults" + _UNBOUNDED
        refusal = _entity_refusal(text, match.start())
        if refusal is not None:
            return refusal
    return None


def _entity_refusal(text: bytes, start: int) -> str | None:
    declaration = _ENTITY.match(text, start)
    if declaration is None:
        # Neither parser would read it; refused all the same, as nothing a feed needs looks so.
        return _REFUSED + "an entity (<!ENTITY>) in a form that cannot be read"
    parameter, name, double_quoted, single_quoted = declaration.groups()
    value = double_quoted if double_quoted is not None else single_quoted
    if value is None:
        return None  # external (SYSTEM or PUBLIC): never loaded
    if parameter:
        return _REFUSED + "a parameter entity (<!ENTITY %), which" + _UNBOUNDED
    characters = _expanded(value.decode("utf-8", errors="replace"))
    if characters is None:
        return _REFUSED + "entities made of other entities (<!ENTITY>), which" + _UNBOUNDED
    reference = len(name.decode("utf-8", errors="replace")) + 2  # "&name;"
    if len(characters) > reference:
        return (
            f"{_REFUSED}an entity of {len(characters):,} characters (<!ENTITY>), longer than"
            f" its reference, which{_UNBOUNDED}"
        )
    return None


def _expanded(value: str) -> str | None:
    """What an entity's value reads as, its character references replaced (each one
    character); None if it refers to another entity, however written."""
    if "&" in _CHARACTER_REFERENCE.sub("", value) or "%" in value:
        return None
    characters: list[str] = []
    position = 0
    for reference in _CHARACTER_REFERENCE.finditer(value):
        decimal, hexadecimal = reference.groups()
        code = int(decimal) if decimal is not None else int(hexadecimal, 16)
        if code < 0x110000 and chr(code) in _MARKUP_CHARACTERS:
            return None
        characters += [value[position : reference.start()], "?"]
        position = reference.end()
    characters.append(value[position:])
    return "".join(characters)
