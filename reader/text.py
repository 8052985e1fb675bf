"""Untrusted text: finding control characters and making them visible and inert; how a
sentence ends."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import json

# What steers a terminal rather than shows: C0 and C1 control characters other than tab, the
# bidi controls (U+202E turns "gpj.exe" into "exe.jpg" on screen; ALM, LRM, RLM, embeddings,
# overrides, isolates) and the Unicode line and paragraph separators. Page text keeps them
# (nothing is silently altered); anything shown on a terminal passes through make_visible.
_BIDI_CONTROLS = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROLS = r"\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029" + _BIDI_CONTROLS
CONTROL_CHARACTERS = re.compile(f"[{_CONTROLS}]")
# Lone surrogates: Python's reading of bytes that are not UTF-8 in a file name or an argument
# (the byte 0xE9 of "caf\xe9.txt" becomes U+DCE9). UTF-8 cannot carry them: writing one fails.
_LONE_SURROGATES = r"\ud800-\udfff"
_SHOWN_ESCAPED = re.compile(f"[{_CONTROLS}{_LONE_SURROGATES}]")


@lru_cache(maxsize=1)
def _json_unsafe() -> re.Pattern[str]:
    """What escape_json_unsafe escapes; compiled with the first text that may hold one (the
    reader's first frame does without it: ~0.3 ms). json.dumps escapes C0 itself; outside
    strings JSON holds only ASCII, so this touches strings. A lone surrogate becomes \\udce9,
    which json.loads reads back as it was (os.fsencode: 0xE9)."""
    return re.compile(r"[\x7f-\x9f\u2028\u2029" + _BIDI_CONTROLS + _LONE_SURROGATES + "]")


# How a whole text ends: with . ! ? : or an ellipsis, or a closing quote or bracket after one
# (straight or curly quotes, guillemets). A page or a feed summary that stops in a text not
# ending so was cut short inside it (by a scraper or by its publisher).
_SENTENCE_ENDINGS = tuple(".!?:\u2026)\"'\u201d\u2019\u00bb")


def ends_as_sentence(text: str) -> bool:
    """Whether `text` ends as a sentence does (its last character; "" does not)."""
    return text.endswith(_SENTENCE_ENDINGS)


def make_visible(text: str) -> str:
    """Replace control characters with escapes, `\\x1b` or `\\u202e`, so they show and steer
    nothing (a text without any is returned as it is). A byte that was not UTF-8 in a file
    name shows as that byte, `caf\\xe9.txt`, as `ls` shows it."""
    return _SHOWN_ESCAPED.sub(_escape, text)


def visible_offset(text: str) -> Callable[[int], int]:
    """Where an offset of `text` lands in make_visible(text): spans found in the text (its
    numbers and sources) then mark the same characters once its controls show as escapes. An
    offset just after a control lands after its escape."""
    starts: list[int] = []
    growth = [0]  # how much longer the text has grown before each escape, and after the last
    for match in _SHOWN_ESCAPED.finditer(text):
        starts.append(match.start())
        growth.append(growth[-1] + len(_escape(match)) - 1)
    if not starts:
        return lambda offset: offset
    return lambda offset: offset + growth[bisect_left(starts, offset)]


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def json_text(value: object) -> str:
    """`value` as JSON with non-ASCII text as it is (é stays é), but every character that
    steers a terminal escaped: json.dumps leaves DEL, C1 and bidi controls raw; and a lone
    surrogate, which UTF-8 cannot carry."""
    return escape_json_unsafe(_json_encoder().encode(value))


# Every byte but the control characters up to U+00FF as Latin-1 writes them, and the line
# break too (a page is split into lines at it; JSON text holds none): what deleting these
# leaves of a Latin-1 text is its control characters.
_NOT_LATIN1_CONTROLS = bytes(
    byte for byte in range(256) if byte == 0x0A or not CONTROL_CHARACTERS.match(chr(byte))
)


def may_hold_control_characters(text: str) -> bool:
    """False if `text` surely holds no control character but line breaks (and nothing that
    escape_json_unsafe escapes); True if it may. Most texts are Latin-1, and are asked of their
    bytes, in C: a third of the time isprintable() takes (a tenth of an export's)."""
    try:
        return bool(text.encode("latin-1").translate(None, _NOT_LATIN1_CONTROLS))
    except UnicodeEncodeError:  # a character past U+00FF (a curly quote, a dash)
        return not text.replace("\n", "").isprintable()  # false for every control character


def escape_json_unsafe(encoded: str) -> str:
    """JSON text as json.dumps(ensure_ascii=False) writes it, with what json_text escapes
    beyond that (DEL, C1, bidi controls, line separators, lone surrogates) as `\\u` escapes."""
    # Most records: nothing to escape, nothing to copy. Each character escaped here is a
    # control character or a lone surrogate (past U+00FF, and not printable), and asking
    # for them is faster than the pattern.
    if not may_hold_control_characters(encoded):
        return encoded
    json_unsafe = _json_unsafe()
    if json_unsafe.search(encoded) is None:
        return encoded
    return json_unsafe.sub(lambda match: f"\\u{ord(match[0]):04x}", encoded)


@lru_cache(maxsize=1)
def _json_encoder() -> json.JSONEncoder:
    """One encoder for every record: json.dumps(value, ensure_ascii=False) builds one per call."""
    import json  # here: the reader's first frame does without it

    return json.JSONEncoder(ensure_ascii=False)


def fold(text: str) -> str:
    """Text for matching as readers expect: case and accents ignored ("geneve" finds GENÈVE).

    Compatibility-decomposed, combining marks dropped, case-folded; fast, because a filter
    folds every title of a list of 100,000 on its first key."""
    if text.isascii():
        return text.casefold()
    return _combining_marks().sub("", unicodedata.normalize("NFKD", text)).casefold()


@lru_cache(maxsize=1)
def _combining_marks() -> re.Pattern[str]:
    """Every combining mark of the Basic Multilingual Plane, as one character class."""
    marks = [code for code in range(0x10000) if unicodedata.combining(chr(code))]
    ranges: list[tuple[int, int]] = []
    for code in marks:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges) + "]")
