"""The regexes and value helpers the number handlers share (pure Python, stdlib `re`).

The regexes are built from the tables in `number_words`; `_MASTER` finds where an expression
may start, the others read on from there. The helpers turn digits into labels and read what
may follow any number (a magnitude, percent, a currency). Names keep their leading underscore:
they belong to the number scanner (`numbers`, `number_digits`), not to its interface.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeVar

from reader.highlight.number_parser import _WORD_PARTS
from reader.highlight.number_words import (
    _CURRENCY_AFTER,
    _CURRENCY_CODES,
    ABOUT_SUFFIX,
    ACHT_VERB_FOLLOWERS,
    CLOCK_OPENERS,
    CONNECTORS,
    CURRENCY_ADJECTIVES,
    DENOMINATORS,
    FRACTION_FOLLOWERS,
    FRACTION_WORDS,
    IDENTIFIER_PREFIXES,
    IN_ACHT_VERBS,
    MAGNITUDES,
    MONTHS,
    ORDINAL_NAME_NOUNS,
    PERCENT_WORDS,
    RANGE_UNITS,
    ROUGH_MAGNITUDES,
    TENS,
)
from reader.model import Span, SpanKind

# ---------------------------------------------------------------------------------------------
# Regexes

_Trie = dict[str, "_Trie"]


def _alternation(words: Iterable[str]) -> str:
    """A prefix-factored regex alternation (a trie): fails fast, tries long words first."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def walk(node: _Trie) -> str:
        branches = [re.escape(c) + walk(sub) for c, sub in sorted(node.items()) if c]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        group = "(?:" + "|".join(branches) + ")"
        return group + "?" if "" in node else group

    return walk(trie)


_W = r"(?!\w)"  # end of a word
_MONTH = _alternation(MONTHS)
_MAGNITUDE = _alternation(MAGNITUDES)
_DENOMINATOR = _alternation(DENOMINATORS)
_PERCENT = _alternation(w for w in PERCENT_WORDS if w.isalpha())
_CURRENCY_WORD = _alternation(w for w in _CURRENCY_AFTER if w[0].isalpha())
_YEAR_AHEAD = r"[12][0-9]{3}(?![0-9]|[.,][0-9])"
# "half" and "kwart": fractions that "een" can count ("een half miljoen", "een kwart").
_SIMPLE_FRACTION = _alternation(
    w for w, (n, _) in FRACTION_WORDS.items() if n == 1 and w != "helft"
)
# Parts that never start a number word on their own.
_NOT_ALONE = _alternation(["een", *CONNECTORS, ABOUT_SUFFIX, "half", "kwart"])

_MASTER = re.compile(
    "|".join(
        [
            # Digits, not glued to a letter or digit before them (A12, MH17).
            r"(?P<run>[0-9](?<!\w[0-9])(?:[0-9]|[.,:](?=[0-9]))*)",
            r"(?P<sym>(?:US\$|[€$£¥])\s?(?=[0-9]))",
            # A minus glued to digits, after a space, a bracket or a quote ("-3 graden").
            r"(?P<neg>[-\u2212](?<![^\s(\[\"'\u201c\u2018][-\u2212])(?=[0-9]))",
            rf"(?P<code>(?<!\w)(?:{_alternation(_CURRENCY_CODES)})\s(?=[0-9]))",
            r"(?<!\w)(?i:"
            + "|".join(
                [
                    rf"(?P<een>een(?=\s+(?:{_SIMPLE_FRACTION}|{_MAGNITUDE}|{_DENOMINATOR}){_W}))",
                    r"(?P<jaren>jaren(?=\s))",
                    rf"(?P<month>{_MONTH})(?=\s+{_YEAR_AHEAD})",
                    r"(?P<min>min\s+(?=[0-9]))",
                    # A word made of number parts; plain "een", "en", "half" ... never start one.
                    # Possessive: the parts split greedily, so a long word cannot backtrack.
                    rf"(?!(?:{_NOT_ALONE}){_W})"
                    rf"(?P<word>(?:{_alternation(_WORD_PARTS)})++){_W}",
                ]
            )
            + ")",
        ]
    )
)

_RUN = re.compile(r"[0-9](?:[0-9]|[.,:](?=[0-9]))*")
_THOUSANDS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?")
_DECIMAL = re.compile(r"[0-9]+(?:,[0-9]+)?")
_POINT_DECIMAL = re.compile(r"[0-9]+\.[0-9]+")
_CLOCK = re.compile(r"([0-9]{1,2})[.:]([0-9]{2})")
_CLOCK_SECONDS = re.compile(r"([0-9]{1,2})[.:]([0-9]{2})[.:]([0-9]{2})")
_DOTTED_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_RACE_TIME = re.compile(r"([0-9]{1,2})\.([0-5][0-9]),([0-9]{1,3})")
_LETTERS = re.compile(r"[^\W\d_]+")
_HYPHEN_CHAIN = re.compile(r"(?:[-\u2013][0-9](?:[0-9]|[.,](?=[0-9]))*)+")
_SLASH_CHAIN = re.compile(r"(?:/[0-9]+)+")
# The rest of an identifier: word characters and separators inside it ("737-800", "19-pandemie").
_IDENTIFIER_TAIL = re.compile(r"(?:\w|[-\u2013./](?=\w))*")
# A lower-case prefix may open a sentence too ("Buslijn 12").
_IDENTIFIER_BEFORE = re.compile(
    r"(?<!\w)(?:"
    + _alternation(
        {*IDENTIFIER_PREFIXES, *(w.capitalize() for w in IDENTIFIER_PREFIXES if w.islower())}
    )
    + r")\s+\Z"
)
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[-\u2013]?\s*\Z")
_POSTCODE_AFTER = re.compile(r"\s?[A-Z]{2}(?![\w\u2013-])")  # not "2024 EU-breed"
# Extensions after a number; the key for the table is the last group that matched.
_PERCENT_AFTER = re.compile(r"\s?(%)|\s+(?i:(" + _PERCENT + r"))" + _W)
# "40 euro", "40€", "300 miljoen Amerikaanse dollar": groups sign, adjective, word.
_CURRENCY_AFTER_RE = re.compile(
    r"\s?(€)|\s+(?:("
    + _alternation(CURRENCY_ADJECTIVES)
    + r")\s+)?(?i:("
    + _CURRENCY_WORD
    + r"))"
    + _W
)
_MAGNITUDE_AFTER = re.compile(
    r"\s+(?i:(" + _MAGNITUDE + r"))" + _W + r"(?:\.(?=\s+(?i:" + _CURRENCY_WORD + r")))?"
)
_GLUED_MAGNITUDE = re.compile(r"(?i:" + _MAGNITUDE + r")")
_MONTH_AFTER = re.compile(r"\s+(?i:(" + _MONTH + r"))" + _W)
_YEAR_AFTER = re.compile(r"\s+(" + _YEAR_AHEAD + r")")
# "tientallen miljoenen", "honderden duizenden": a rough magnitude of a rough magnitude.
_ROUGH_AFTER = re.compile(
    r"\s+(?i:(" + _alternation(w for w, p in ROUGH_MAGNITUDES.items() if p >= 3) + r"))" + _W
)
_DENOMINATOR_AFTER = re.compile(r"\s+(?i:(" + _DENOMINATOR + r"))" + _W)
_HALF_AFTER = re.compile(r"\s+(?i:(" + _SIMPLE_FRACTION + r"))" + _W)
# After a number: it is an amount (so "1.50 euro" is no clock time) ...
_AMOUNT_AFTER = re.compile(
    r"\s?[%€]|\s+(?i:" + _alternation([*PERCENT_WORDS, *_CURRENCY_AFTER, *MAGNITUDES]) + r")" + _W
)
# ... or a quantity or date of something (so "5-10 jaar" is a range, not a score).
_RANGE_AFTER = re.compile(
    r"\s?[%°€]|\s+(?i:"
    + _alternation([*PERCENT_WORDS, *_CURRENCY_AFTER, *MAGNITUDES, *RANGE_UNITS, *MONTHS])
    + r")"
    + _W
)
_HOUR_AFTER = re.compile(r"\s+uur" + _W)
_HALF_BEFORE = re.compile(r"(?<!\w)(?i:half)\s+\Z")  # "om half elf": 10:30
_CLOCK_OPENER = re.compile(r"(?<!\w)(?i:" + _alternation(CLOCK_OPENERS) + r")\s+\Z")
_FRACTION_CONTEXT = re.compile(
    r"\s*(?:[^\w\s]|\Z)|\s+(?i:" + _alternation(FRACTION_FOLLOWERS) + r")" + _W
)
_ACHT_VERB = re.compile(r"\s+(?i:" + _alternation(ACHT_VERB_FOLLOWERS) + r")" + _W)
_ACHT_IN = re.compile(r"\s+(?i:(?:te\s+)?(?:" + _alternation(IN_ACHT_VERBS) + r"))" + _W)
_ORDINAL_NAME_AFTER = re.compile(r"\s+(?i:" + "|".join(ORDINAL_NAME_NOUNS) + r")" + _W)
_HYPHEN_WORD = re.compile(r"[-\u2013][^\W\d_]")
_COMPOUND_TAIL = re.compile(r"(?:[-\u2013]\w+)+")
_DE_BEFORE = re.compile(r"(?<!\w)(?i:de)\s+\Z")
_DECADE_AFTER = re.compile(
    r"\s+(?:['\u2019\u2018`]?([0-9]{2})|([0-9]{4}))(?![0-9]|[.,][0-9]|[-\u2013/][0-9])"
    r"|\s+(?i:(" + _alternation([*TENS, "tien", "nul"]) + r"))" + _W
)
_DASHES = frozenset("-\u2013")  # hyphen, en dash
_GLUE = frozenset("-\u2013/'\u2019")  # between letters and digits of one name
_SENTENCE_END = frozenset(".!?:;\"'\u201c\u201d\u2018\u2019([-\u2013\u2014")

_Found = tuple[list[Span], int]
_V = TypeVar("_V")


def _after(
    pattern: re.Pattern[str], table: dict[str, _V], text: str, pos: int
) -> tuple[_V, int] | None:
    """The table entry for the word `pattern` finds at `pos`, and where the match ends.

    A lookup can miss even after a match: case-insensitive matching folds a few characters
    (the long s, the dotted capital I) that str.lower() does not map back to the table."""
    found = pattern.match(text, pos)
    if found is None or found.lastindex is None:
        return None
    value = table.get(found[found.lastindex].lower())
    return None if value is None else (value, found.end())


# ---------------------------------------------------------------------------------------------
# Values


def _format(digits: str, exponent: int, negative: bool = False) -> str:
    """int(digits) * 10**exponent as a plain decimal string, by string shifting (exact, and no
    int() of an arbitrarily long run of digits)."""
    digits = digits.lstrip("0") or "0"
    if digits == "0":
        return "0"
    if exponent >= 0:
        text = digits + "0" * exponent
    else:
        places = -exponent
        digits = digits.rjust(places + 1, "0")
        whole, fraction = digits[:-places], digits[-places:].rstrip("0")
        text = whole + ("." + fraction if fraction else "")
    return "-" + text if negative else text


def _dutch_value(run: str, point_decimal: bool) -> tuple[str, int] | None:
    """Digits and exponent of "10.000", "3,5", "1.250,75" (and "1.5" where allowed)."""
    if _THOUSANDS.fullmatch(run) or _DECIMAL.fullmatch(run):
        whole, _, fraction = run.replace(".", "").partition(",")
        return whole + fraction, -len(fraction)
    if point_decimal and _POINT_DECIMAL.fullmatch(run):
        whole, _, fraction = run.partition(".")
        return whole + fraction, -len(fraction)
    return None


def _decimal_fraction(numerator: int, denominator: int) -> tuple[str, int] | None:
    """numerator/denominator as digits and exponent when it is a short exact decimal (3/4)."""
    for places in range(4):
        scaled = numerator * 10**places
        if scaled % denominator == 0:
            return str(scaled // denominator), -places
    return None


def _iso_date(day: int, month: int, year: int | None) -> str | None:
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if year is not None else f"--{month:02d}-{day:02d}"


def _span(start: int, end: int, label: str) -> Span:
    return Span(start, end, SpanKind.NUMBER, label)


def _sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 40) : start].rstrip()
    return not before or before[-1] in _SENTENCE_END


def _word_before(text: str, start: int) -> str:
    found = _WORD_BEFORE.search(text, max(0, start - 40), start)
    return found.group(1).lower() if found else ""


# ---------------------------------------------------------------------------------------------
# What may follow any number, read by the handlers of digits and of words alike.


def _currency_after(text: str, pos: int) -> tuple[str, int, int] | None:
    """The currency after an amount at `pos`: (ISO code, power of ten, end) or None."""
    found = _CURRENCY_AFTER_RE.match(text, pos)
    if found is None:
        return None
    sign, adjective, word = found.groups()
    entry = _CURRENCY_AFTER.get((sign or word or "").lower())
    if entry is None:
        return None
    code, shift = entry
    return CURRENCY_ADJECTIVES.get(adjective or "", code), shift, found.end()


def _quantity_tail(
    text: str, start: int, end: int, digits: str, exponent: int, negative: bool, currency: str
) -> _Found:
    """Magnitude, then percent or currency after the number: one span from `start`."""
    magnitude = _after(_MAGNITUDE_AFTER, MAGNITUDES, text, end)
    if magnitude is not None:
        power, end = magnitude
        exponent += power
    if not currency:
        percent = _after(_PERCENT_AFTER, PERCENT_WORDS, text, end)
        if percent is not None:
            unit, end = percent
            return [_span(start, end, f"{_format(digits, exponent, negative)} {unit}")], end
        money = _currency_after(text, end)
        if money is not None:
            currency, shift, end = money
            exponent += shift
    value = _format(digits, exponent, negative)
    return [_span(start, end, f"{currency} {value}" if currency else value)], end
