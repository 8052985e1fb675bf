"""Dutch number words -> values: a tokenizer over their parts and a small recursive-descent parser.

The parts are the tables in `number_words`; compounds ("tweeënveertig", "honderdste") are
parsed, not listed.
"""

from __future__ import annotations

import re

from reader.highlight.number_words import (
    _CARDINAL_PARTS,
    ABOUT_SUFFIX,
    CONNECTORS,
    FRACTION_WORDS,
    ORDINALS,
    SCALES,
    STANDALONE_CARDINALS,
    TEENS,
    TENS,
    UNITS,
)

_WORD_PARTS: tuple[str, ...] = (
    *_CARDINAL_PARTS,
    *SCALES,
    *STANDALONE_CARDINALS,
    *ORDINALS,
    *CONNECTORS,
    *FRACTION_WORDS,
    ABOUT_SUFFIX,
    ABOUT_SUFFIX + "len",  # "tientallen"
    # Whole, because splitting greedily would read "tweede" + "rde" in "tweederde".
    *(unit + fraction for unit in UNITS for fraction in ("derde", "kwart")),
)
# Longest first, so "achttien" wins over "acht" when splitting a word into parts.
_PART = re.compile("|".join(sorted(map(re.escape, _WORD_PARTS), key=len, reverse=True)))


def _below_hundred(parts: list[str], i: int) -> tuple[int, int] | None:
    """unit ["en" tens] | teen | tens, starting at parts[i] -> (value, next index)."""
    if i >= len(parts):
        return None
    part = parts[i]
    if part in UNITS:
        if i + 2 < len(parts) and parts[i + 1] in CONNECTORS and parts[i + 2] in TENS:
            return UNITS[part] + TENS[parts[i + 2]], i + 3
        return UNITS[part], i + 1
    if part in TEENS:
        return TEENS[part], i + 1
    if part in TENS:
        return TENS[part], i + 1
    return None


def _below_thousand(parts: list[str], i: int) -> tuple[int, int] | None:
    """[unit | teen] "honderd" [below hundred] | below hundred."""
    head = _below_hundred(parts, i)
    if head is not None and head[0] < 20 and head[1] == i + 1:  # "twee", "negentien" + honderd
        value, j = head
        if j < len(parts) and parts[j] == "honderd":
            i, hundreds = j, value
        else:
            return head
    elif i < len(parts) and parts[i] == "honderd":
        hundreds = 1
    else:
        return head
    value, j = hundreds * 100, i + 1
    tail = _below_hundred(parts, j)
    if tail is not None:
        value, j = value + tail[0], tail[1]
    return value, j


def _parse_parts(parts: list[str]) -> int | None:
    """A cardinal from its parts: groups below a thousand, each times a falling big scale."""
    total, i, last_power = 0, 0, 99
    while i < len(parts):
        group = _below_thousand(parts, i)
        value, j = group if group is not None else (1, i)  # "duizend" alone is one thousand
        power = SCALES.get(parts[j], 0) if j < len(parts) else 0
        if power >= 3:
            if power >= last_power:
                return None
            total += value * 10**power
            last_power, i = power, j + 1
            continue
        if group is None or j != len(parts):
            return None
        return total + value
    return total if parts else None


def _split_word(word: str) -> list[str] | None:
    parts = _PART.findall(word)
    return parts if "".join(parts) == word else None


def parse_number_word(word: str) -> int | None:
    """The value of a Dutch number word, cardinal or ordinal ("tweeënveertig" -> 42,
    "honderdste" -> 100); None when it is not one. Plain "een" parses as 1: callers decide."""
    word = word.lower()
    if word in STANDALONE_CARDINALS:
        return STANDALONE_CARDINALS[word]
    parts = _split_word(word)
    if not parts:
        return None
    if parts[-1] in ORDINALS:
        parts[-1] = ORDINALS[parts[-1]]
    if any(p not in _CARDINAL_PARTS and p not in SCALES and p not in CONNECTORS for p in parts):
        return None
    return _parse_parts(parts)


def _is_ordinal_word(word: str) -> bool:
    parts = _split_word(word.lower())
    return parts is not None and bool(parts) and parts[-1] in ORDINALS
