"""Documents that would grow when parsed: declarations that make a small feed a huge one.

A DTD may declare an entity of 100,000 characters and a feed reference it 3,000 times: expat
stops at its amplification limit, feedparser's loose parser then expands every reference
(300 MB from 109 KB), and below that limit expat expands them itself. An attribute default is
copied into every element it applies to. No feed needs either: an entity no longer than its
own reference (`<!ENTITY nbsp "&#160;">`) and an external one (never loaded) are let through;
any other such declaration refuses the document, before it is parsed. Declarations are looked
for only where a parser reads them (the DTD, and all before the first element): an article
quoting `<!ENTITY` in its text declares nothing.

A base address (xml:base) is repeated in every relative link resolved against it, and relative
ones nested in each other add up: a long one refuses the document too (MAX_BASE_CHARACTERS).

The document is read as feedparser reads it (its encoding found the same way), or a feed in
an encoding such as unicode_escape would hide `<!ENTITY` from a search of its bytes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from feedparser.encodings import convert_to_utf8

# A base address longer than this is never used: feedparser repeats the base in every link
# and id it resolves, so a 100,000-character xml:base made 900 MB of a 220 KB document.
MAX_BASE_CHARACTERS = 2_048

_DECLARATION = re.compile(rb"<!(?:ENTITY|ATTLIST)")
# Where feedparser's loose parser stops reading declarations: the first element.
_ELEMENT = re.compile(rb"<\w")
# Before a DTD: white space (a byte order mark), comments, the XML declaration and other
# processing instructions. In a DTD: those, parameter entity references and declarations,
# whose quoted values may hold ">" or "]". Each alternative starts with a different character
# and repeats possessively: linear time on any document.
_PROLOG_PART = re.compile(rb"(?:\s|\xef\xbb\xbf)++|<!--.*?-->|<\?.*?\?>", re.DOTALL)
_DOCTYPE = re.compile(rb"""<!DOCTYPE(?:[^\["'>]|"[^"]*+"|'[^']*+')*+""")
_SUBSET_PART = re.compile(
    rb"""\s++|<!--.*?-->|<\?.*?\?>|%[^;\s]*+;|<!(?:[^"'>]|"[^"]*+"|'[^']*+')*+>""", re.DOTALL
)
_SUBSET_END = re.compile(rb"\]\s*+>")
# An attribute feedparser takes as a base: xml:base, or base of any or no prefix.
_BASE_ATTRIBUTE = re.compile(
    rb"""\s(?:[\w.-]++:)?base\s*+=\s*+(?:"([^"]*+)"|'([^']*+)')""", re.IGNORECASE
)
_SCHEME = re.compile(rb"[A-Za-z][A-Za-z0-9+.-]*:")
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
    for match in _DECLARATION.finditer(text, 0, _declarations_end(text)):
        if match[0] == b"<!ATTLIST":
            return _REFUSED + "attribute lists (<!ATTLIST>), whose defaults" + _UNBOUNDED
        refusal = _entity_refusal(text, match.start())
        if refusal is not None:
            return refusal
    return _base_refusal(text)


def _declarations_end(text: bytes) -> int:
    """Where the part of the document ends in which its parsers read declarations: the DTD
    as expat reads it, and all before the first element as feedparser's loose parser reads
    it (a "<b" in the DTD ends that early). The whole document if its DTD cannot be read."""
    element = _ELEMENT.search(text)
    dtd_end = _dtd_end(text)
    if dtd_end is None:
        return len(text)
    return max(element.start() if element else len(text), dtd_end)


def _dtd_end(text: bytes) -> int | None:
    """Where the document's DTD ends, 0 without one, None if it cannot be read."""
    position = 0
    while part := _PROLOG_PART.match(text, position):
        position = part.end()
    doctype = _DOCTYPE.match(text, position)
    if doctype is None:
        return 0
    position = doctype.end()
    if text.startswith(b">", position):
        return position + 1
    if not text.startswith(b"[", position):
        return None
    position += 1
    while part := _SUBSET_PART.match(text, position):
        position = part.end()
    end = _SUBSET_END.match(text, position)
    return end.end() if end else None


def _base_refusal(text: bytes) -> str | None:
    """Why the document's base addresses refuse it: one longer than MAX_BASE_CHARACTERS, or
    relative ones longer than that together (nested, each adds to the one around it)."""
    relative = 0
    for match in _BASE_ATTRIBUTE.finditer(text):
        value = match[1] if match[1] is not None else match[2]
        if len(value) > MAX_BASE_CHARACTERS:
            return (
                f"refused: a base address (xml:base) of {len(value):,} characters, longer than"
                f" {MAX_BASE_CHARACTERS:,}, which every relative link would repeat"
            )
        if not _SCHEME.match(value):
            relative += len(value)
    if relative > MAX_BASE_CHARACTERS:
        return (
            f"refused: relative base addresses (xml:base) of {relative:,} characters together,"
            f" more than {MAX_BASE_CHARACTERS:,}: nested, each adds to the one around it"
        )
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
