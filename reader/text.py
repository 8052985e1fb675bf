"""Untrusted text: finding control characters and making them visible and inert."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 control characters other than tab. Page text keeps them (nothing is silently
# altered); anything shown on a terminal or written to a log passes through make_visible.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def make_visible(text: str) -> str:
    """Replace control characters with `\\xNN` escapes, so they show and steer nothing."""
    return CONTROL_CHARACTERS.sub(lambda match: f"\\x{ord(match[0]):02x}", text)


def fold(text: str) -> str:
    """Text for matching as readers expect: case and accents ignored ("geneve" finds GENÈVE)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
