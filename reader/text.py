"""Untrusted text: finding control characters and making them visible and inert."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# C0 and C1 control characters other than tab. Page text keeps them (nothing is silently
# altered); anything shown on a terminal or written to a log passes through make_visible.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def make_visible(text: str) -> str:
    """Replace control characters with `\\xNN` escapes, so they show and steer nothing."""
    return CONTROL_CHARACTERS.sub(lambda match: f"\\x{ord(match[0]):02x}", text)


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
