"""The number handlers for expressions that start with digits, a currency sign or a minus.

`_from_digits` reads on from the digits: dates, clock and race times, scores and ranges, an
ordinal or a unit glued on ("3e", "10km"), and identifiers, which it skips ("A12", "NPO 1",
"1234 AB"). The scanner in `numbers` calls it; the regexes are in `number_patterns`.
"""

from __future__ import annotations

import re

from reader.highlight.number_patterns import (
    _AMOUNT_AFTER,
    _CLOCK,
    _CLOCK_OPENER,
    _CLOCK_SECONDS,
    _DASHES,
    _DOTTED_DATE,
    _GLUE,
    _GLUED_MAGNITUDE,
    _HOUR_AFTER,
    _HYPHEN_CHAIN,
    _HYPHEN_WORD,
    _IDENTIFIER_BEFORE,
    _IDENTIFIER_TAIL,
    _LETTERS,
    _MONTH_AFTER,
    _POSTCODE_AFTER,
    _RACE_TIME,
    _RANGE_AFTER,
    _RUN,
    _SLASH_CHAIN,
    _YEAR_AFTER,
    _after,
    _dutch_value,
    _format,
    _Found,
    _iso_date,
    _quantity_tail,
    _span,
    _word_before,
)
from reader.highlight.number_words import MAGNITUDES, MONTHS, ORDINAL_SUFFIXES, UNIT_ABBREVIATIONS

# ---------------------------------------------------------------------------------------------
# Handlers: each gets the text and where the expression starts, returns spans and where to go on.


def _skip(text: str, end: int) -> _Found:
    found = _IDENTIFIER_TAIL.match(text, end)
    return [], found.end() if found else end


def _hyphen_chain(text: str, p: int, e: int, run: str) -> _Found | None:
    """`run` followed by "-digits": a score, a date, a range of two numbers, or an identifier."""
    chain = _HYPHEN_CHAIN.match(text, e)
    if not chain:
        return None
    parts = [run, *re.split(r"[-\u2013]", chain.group()[1:])]
    if not all(part.isdigit() for part in parts):
        return None  # "1-2,5": the numbers one by one
    if len(parts) >= 3:
        day, month, year = (parts[2], parts[1], parts[0]) if len(run) == 4 else parts[:3]
        label = None
        if len(parts) == 3 and len(year) == 4 and len(day) <= 2 and len(month) <= 2:
            label = _iso_date(int(day), int(month), int(year))
        return ([_span(p, chain.end(), label)] if label else []), chain.end()  # or "4-3-3"
    first, second = parts
    if len(first) >= 5 or len(second) >= 5 or (len(first) >= 2 and first.startswith("0")):
        return [], chain.end()  # a phone number ("020-1234567")
    if len(first) <= 3 and len(second) <= 3 and not _RANGE_AFTER.match(text, chain.end()):
        return [_span(p, chain.end(), f"{_format(first, 0)}-{_format(second, 0)}")], chain.end()
    return None  # a range ("2020-2024", "10-15 procent"): each number on its own


def _slash_chain(text: str, p: int, e: int, run: str) -> _Found | None:
    chain = _SLASH_CHAIN.match(text, e)
    if not chain:
        return None
    parts = [run, *chain.group()[1:].split("/")]
    if len(parts) == 3 and len(parts[2]) == 4 and len(parts[0]) <= 2 and len(parts[1]) <= 2:
        label = _iso_date(int(parts[0]), int(parts[1]), int(parts[2]))
        if label:
            return [_span(p, chain.end(), label)], chain.end()
    if len(parts) == 2:
        first, second = parts
        if len(first) == 4 and len(second) in (2, 4):
            return None  # a season ("2023/2024"): each number on its own
        if len(first) <= 2 and len(second) <= 2 and 0 < int(first) < int(second) <= 10:
            return [_span(p, chain.end(), f"{int(first)}/{int(second)}")], chain.end()
    return [], chain.end()  # "24/7", "9/11" and the like


def _glued_letters(
    text: str, start: int, p: int, e: int, run: str, negative: bool, currency: str
) -> _Found:
    """Digits with letters glued on: "3e", "21ste", "3x", "10km", "€5mln"; or a name ("5G")."""
    letters = _LETTERS.match(text, e)
    if letters is None:
        return _skip(text, e)
    suffix, after = letters.group(), letters.end()
    if after < len(text) and (text[after].isdigit() or text[after] == "_"):
        return _skip(text, e)
    bare = start == p
    if bare and run.isdigit():
        if suffix.lower() in ORDINAL_SUFFIXES:
            return [_span(p, after, "#" + _format(run, 0))], after
        if suffix in ("x", "X"):
            return [_span(p, after, _format(run, 0) + "x")], after
    value = _dutch_value(run, point_decimal=True)
    if value is None:
        return _skip(text, e)
    digits, exponent = value
    if _GLUED_MAGNITUDE.fullmatch(suffix):
        power = MAGNITUDES.get(suffix.lower())
        if power is not None:
            label = _format(digits, exponent + power, negative)
            return [_span(start, after, f"{currency} {label}" if currency else label)], after
    if suffix not in UNIT_ABBREVIATIONS:
        return _skip(text, e)  # a name: "5G", "3D", "4K", "50PLUS"
    label = _format(digits, exponent, negative)
    return [_span(start, e, f"{currency} {label}" if currency else label)], e  # "10km"


def _identifier_before(text: str, p: int) -> bool:
    """Digits that are part of a name: "Covid-19", "F-16", "NU'91", "NPO 1", "artikel 5", a URL."""
    if p >= 2 and text[p - 1] in _GLUE and text[p - 2].isalpha():
        return _word_before(text, p) != "top"  # but "top-10" ranks
    return _IDENTIFIER_BEFORE.search(text, max(0, p - 16), p) is not None


def _from_digits(
    text: str, start: int, p: int, *, negative: bool = False, currency: str = ""
) -> _Found:
    """The expression whose digits start at `p`; a sign or currency sign may start it earlier."""
    run_match = _RUN.match(text, p)
    if run_match is None:
        return [], p + 1
    run, e = run_match.group(), run_match.end()
    bare = start == p
    if bare and _identifier_before(text, p):
        return _skip(text, e)
    following = text[e : e + 1]
    if following.isalpha():
        return _glued_letters(text, start, p, e, run, negative, currency)
    if bare and run.isdigit() and text[e + 1 : e + 2].isdigit():
        if following in _DASHES:
            found = _hyphen_chain(text, p, e, run)
            if found is not None:
                return found
        elif following == "/":
            found = _slash_chain(text, p, e, run)
            if found is not None:
                return found
    hyphen_glued = following in _DASHES and _HYPHEN_WORD.match(text, e) is not None

    clock = _CLOCK.fullmatch(run)
    if (
        clock
        and not currency
        and not negative
        and not _AMOUNT_AFTER.match(text, e)
        and (_HOUR_AFTER.match(text, e) or not _RANGE_AFTER.match(text, e))  # "2.35 meter"
    ):
        hours, minutes = int(clock.group(1)), int(clock.group(2))
        if hours <= 24 and minutes <= 59:
            return [_span(p, e, f"{hours:02d}:{minutes:02d}")], e
        if ":" in run:
            return [], e
    if bare:
        seconds = _CLOCK_SECONDS.fullmatch(run)
        if seconds:  # a race time, "2.01.09"
            hours, minutes, secs = (int(g) for g in seconds.groups())
            if hours <= 24 and minutes <= 59 and secs <= 59:
                return [_span(p, e, f"{hours}:{minutes:02d}:{secs:02d}")], e
        dotted = _DOTTED_DATE.fullmatch(run)
        if dotted:
            label = _iso_date(*(int(g) for g in dotted.groups()))
            return ([_span(p, e, label)] if label else []), e
        race = _RACE_TIME.fullmatch(run)
        if race:  # a skating or running time, "1.11,45"
            whole, within, fraction = race.groups()
            return [_span(p, e, f"{int(whole)}:{within}.{fraction}")], e

    value = _dutch_value(run, point_decimal=bool(currency) or run.count(".") == 1)
    if value is None:
        return _skip(text, e)  # a version number ("3.11.2") or a list without spaces
    digits, exponent = value
    if hyphen_glued:
        return [_span(start, e, _format(digits, exponent, negative))], e  # "25-jarige"
    if currency and text.startswith((",-", ",\u2013", ",\u2014"), e):  # "€ 40,-"
        e += 3 if text.startswith(",--", e) else 2
    if bare and run.isdigit():
        if len(run) == 4 and run[0] != "0" and _POSTCODE_AFTER.match(text, e):
            return _skip(text, e)  # "1234 AB"
        month_after = _after(_MONTH_AFTER, MONTHS, text, e)
        if month_after is not None and len(run) <= 2:
            month, end = month_after
            year = _YEAR_AFTER.match(text, end)
            label = _iso_date(int(run), month, int(year.group(1)) if year else None)
            if label:
                end = year.end() if year else end
                return [_span(p, end, label)], end
        if (
            len(run) <= 2
            and int(run) <= 24
            and _HOUR_AFTER.match(text, e)
            and _CLOCK_OPENER.search(text, max(0, p - 12), p)
        ):
            return [_span(p, e, f"{int(run):02d}:00")], e  # "om 9 uur"
        if len(run) >= 2 and run[0] == "0":
            return _skip(text, e)  # "Schalke 04": a bare number never starts with a zero
    return _quantity_tail(text, start, e, digits, exponent, negative, currency)
