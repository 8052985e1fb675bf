"""Numbers in Dutch news text -> NUMBER spans with a normalised value (pure Python, stdlib `re`).

One precompiled regex finds where an expression may start (digits, a currency sign, a minus, a
word built from Dutch number parts, a month before a year, "jaren", "min", "een" before a
magnitude or a fraction); a small handler per kind then reads on with anchored regexes and
decides the span. The scan resumes after what a handler consumed, so spans come out sorted and
never overlap.

Conventions (what a span covers):
- included: magnitude words ("2,5 miljard"), a currency before or after ("€ 40", "40 euro",
  "300 miljoen dollar"), percent ("12%", "3,5 procent", "0,5 procentpunt"), a minus ("-3",
  "min 3"), an ordinal suffix ("3e", "21ste");
- excluded: the counted noun or unit ("drie" in "drie jaar"), approximators ("ruim", "zo'n"),
  "uur" after a clock time, a word glued on by a hyphen ("25" in "25-jarige"), parentheses;
- one span each: day + month (+ year), month + year, a decade with "jaren", a score ("2-1");
  ranges and lists give one span per number ("10 tot 15 procent", "2020-2024");
- never: identifiers (A12, G20, Covid-19, NU'91, NPO 1, Boeing 737, artikel 5, Schalke 04,
  versions, postcodes, phone numbers), plain "een", ordinals inside names ("Tweede Kamer"),
  formations ("4-3-3"), "acht" as a verb ("de rechter acht het bewezen").
- choice: "een miljoen" is one span with "een" (it states a specific number), as are
  "een derde" and "een kwart procentpunt"; "een derde termijn" marks only the ordinal.

Labels: plain numbers Python-style ("10000", "3.5", "-3"); percent "3.5 %", percentage points
"0.5 pp"; money "EUR 40", "USD 300000000"; dates "--11-04", "2028-01-01", "2024-06"; decades
"1990s"; clock "14:30" ("2:01:09" with seconds, race times "1:11.45"); scores "2-1"; ordinals
"#3"; fractions "1/3", "3/4", "1.5" (anderhalf), "1/2" (helft); rough magnitudes "~1000"
("~EUR 1000000" with money, "~10" for "een tiental"); "3x" for a count of times.

Where things are: the word tables in `number_words` (extend those to teach the scanner a word),
the number-word parser in `number_parser`, the regexes and shared helpers in `number_patterns`,
the handlers of expressions that start with digits in `number_digits`; the handlers of number
words and the scan itself here.
"""

from __future__ import annotations

from reader.highlight.number_digits import _from_digits
from reader.highlight.number_parser import _is_ordinal_word, parse_number_word
from reader.highlight.number_patterns import (
    _ACHT_IN,
    _ACHT_VERB,
    _AMOUNT_AFTER,
    _CLOCK_OPENER,
    _COMPOUND_TAIL,
    _DASHES,
    _DE_BEFORE,
    _DECADE_AFTER,
    _DENOMINATOR_AFTER,
    _FRACTION_CONTEXT,
    _HALF_AFTER,
    _HALF_BEFORE,
    _HYPHEN_WORD,
    _MAGNITUDE_AFTER,
    _MASTER,
    _ORDINAL_NAME_AFTER,
    _RANGE_AFTER,
    _ROUGH_AFTER,
    _YEAR_AFTER,
    _after,
    _currency_after,
    _decimal_fraction,
    _format,
    _Found,
    _quantity_tail,
    _sentence_start,
    _span,
    _word_before,
)
from reader.highlight.number_words import (
    _CURRENCY_BEFORE,
    ABOUT_SUFFIX,
    CONNECTORS,
    DECADE_OPENERS,
    DENOMINATORS,
    FRACTION_WORDS,
    MAGNITUDES,
    MONTHS,
    ROUGH_MAGNITUDES,
    SCALES,
    UNITS,
)
from reader.model import Span

__all__ = ["find_numbers", "parse_number_word"]

# ---------------------------------------------------------------------------------------------
# Handlers of number words: each gets the text and where the expression starts, returns spans
# and where to go on. (The handlers of digits are in `number_digits`.)


def _ordinal(text: str, s: int, e: int, value: int) -> _Found:
    """An ordinal word, unless it is part of a name or an idiom."""
    if _ORDINAL_NAME_AFTER.match(text, e) or _word_before(text, s) == "ten":
        return [], e  # "Tweede Kamer", "in eerste instantie", "ten eerste"
    if text[s].isupper() and not _sentence_start(text, s):
        return [], e  # capitalised inside a sentence: a name ("de Derde Wereld")
    return [_span(s, e, f"#{value}")], e


def _fraction(text: str, s: int, e: int, numerator: int, denominator: int) -> _Found:
    """A fraction; with a magnitude, percent or currency after it, it is an amount instead
    ("anderhalf miljoen", "een kwart procentpunt")."""
    value = _decimal_fraction(numerator, denominator)
    if value is not None and _AMOUNT_AFTER.match(text, e):
        return _quantity_tail(text, s, e, *value, False, "")
    if denominator == 2 and numerator > 1:
        return [_span(s, e, _format(str(numerator * 5), -1))], e  # anderhalf -> 1.5
    return [_span(s, e, f"{numerator}/{denominator}")], e


def _numerator_fraction(text: str, s: int, e: int, numerator: int) -> _Found | None:
    """A cardinal followed by a denominator: "twee derde", "een kwart"; None if not one."""
    if not 1 <= numerator <= 10:
        return None
    found = _after(_DENOMINATOR_AFTER, DENOMINATORS, text, e)
    if found is None:
        return None
    denominator, end = found
    if numerator == 1 and denominator != 4 and not _FRACTION_CONTEXT.match(text, end):
        return None  # "een derde termijn": an ordinal after an article
    return _fraction(text, s, end, numerator, denominator)


def _rough(text: str, s: int, e: int, power: int) -> _Found:
    """A rough order of magnitude: "duizenden", "tientallen miljoenen euro's"."""
    more = _after(_ROUGH_AFTER, ROUGH_MAGNITUDES, text, e)
    if more is not None:
        power, e = power + more[0], more[1]
    value = "1" + "0" * power
    money = _currency_after(text, e)
    if money is not None:
        code, _, end = money
        return [_span(s, end, f"~{code} {value}")], end
    return [_span(s, e, "~" + value)], e


def _from_word(text: str, s: int, e: int) -> _Found:
    word = text[s:e].lower()
    if _HYPHEN_WORD.match(text, e) or (s >= 2 and text[s - 1] in _DASHES and text[s - 2].isalpha()):
        compound = _COMPOUND_TAIL.match(text, e)
        return [], compound.end() if compound else e  # "Tweede-Kamerlid", "twee-eiige"
    if word in ROUGH_MAGNITUDES:
        return _rough(text, s, e, ROUGH_MAGNITUDES[word])
    if word == "helft":  # "de helft": just "helft"
        return ([_span(s, e, "1/2")] if _DE_BEFORE.search(text, max(0, s - 8), s) else []), e
    if word in FRACTION_WORDS:
        numerator, denominator = FRACTION_WORDS[word]
        if numerator > 1:  # "anderhalf"; "half", "kwart" alone are no number
            return _fraction(text, s, e, numerator, denominator)
        return [], e
    if word.endswith(ABOUT_SUFFIX):  # "een tiental"
        about = parse_number_word(word[: -len(ABOUT_SUFFIX)])
        # Round numbers only: "elftal" is a football team, "tweetal" a pair.
        if about and about % 10 == 0 and not _is_ordinal_word(word[: -len(ABOUT_SUFFIX)]):
            return [_span(s, e, f"~{about}")], e
        return [], e
    if word.endswith("half"):  # "tweeënhalf"
        head = word[:-4]
        if head.endswith(CONNECTORS) and not _is_ordinal_word(head[:-2]):
            whole = parse_number_word(head[:-2])
            if whole is not None:
                return _fraction(text, s, e, 2 * whole + 1, 2)
        return [], e
    if word.endswith(("derde", "kwart")) and word[:-5] in UNITS:  # "tweederde", "driekwart"
        return _fraction(text, s, e, UNITS[word[:-5]], 3 if word.endswith("derde") else 4)

    value = parse_number_word(word)
    if value is None or SCALES.get(word, 0) >= 6:
        return [], e  # "miljoen" alone ("een paar miljoen") is no specific number
    if _is_ordinal_word(word):
        return _ordinal(text, s, e, value)
    if word == "acht" and (
        _ACHT_VERB.match(text, e) or (_word_before(text, s) == "in" and _ACHT_IN.match(text, e))
    ):
        return [], e  # "de rechter acht het bewezen", "in acht nemen"
    fraction = _numerator_fraction(text, s, e, value)
    if fraction is not None:
        return fraction
    if 1 <= value <= 12:
        half = _HALF_BEFORE.search(text, max(0, s - 12), s)
        if half and _CLOCK_OPENER.search(text, max(0, half.start() - 12), half.start()):
            return [_span(half.start(), e, f"{value - 1 or 12:02d}:30")], e
    return _quantity_tail(text, s, e, str(value), 0, False, "")


def _from_een(text: str, s: int, e: int) -> _Found:
    """Plain "een" counts only before a magnitude or as a numerator.

    Choice: "een miljoen" states a specific number, so "een" belongs to its span (1000000);
    likewise "een half miljoen", "een kwart procentpunt", "een derde"."""
    half = _after(_HALF_AFTER, FRACTION_WORDS, text, e)
    if half is not None:
        (numerator, denominator), end = half
        if _AMOUNT_AFTER.match(text, end):
            return _fraction(text, s, end, numerator, denominator)
        if denominator == 4:
            return [_span(s, end, "1/4")], end
        return [], end  # "een half jaar": not marked
    if _after(_MAGNITUDE_AFTER, MAGNITUDES, text, e) is not None:
        return _quantity_tail(text, s, e, "1", 0, False, "")
    fraction = _numerator_fraction(text, s, e, 1)
    if fraction is not None:
        return fraction
    found = _DENOMINATOR_AFTER.match(text, e)
    if found:  # "een derde termijn": just the ordinal
        value = parse_number_word(found.group(1))
        if value is not None and _is_ordinal_word(found.group(1)):
            return _ordinal(text, found.start(1), found.end(), value)
    return [], e


def _from_decade(text: str, s: int, e: int) -> _Found:
    """A decade, one span labelled "1990s": "de jaren 90", "eind jaren zeventig"."""
    if _word_before(text, s) not in DECADE_OPENERS:
        return [], e
    decade = _DECADE_AFTER.match(text, e)
    if decade is None or _RANGE_AFTER.match(text, decade.end()):
        return [], e  # "de afgelopen jaren 20 procent" is no decade
    short, full, word = decade.groups()
    if short is not None and short.endswith("0"):
        label = ("20" if short == "00" else "19") + short + "s"
    elif full is not None and full.endswith("0") and 1800 <= int(full) <= 2090:
        label = full + "s"
    elif word is not None:
        value = parse_number_word(word)
        if value is None:
            return [], e
        label = f"19{value}s" if value else "2000s"  # "de jaren nul"
    else:
        return [], e
    return [_span(s, decade.end(), label)], decade.end()


def _from_month(text: str, s: int, e: int) -> _Found:
    """A month with a year and no day before it: "juni 2024"."""
    month = MONTHS.get(text[s:e].lower())
    year = _YEAR_AFTER.match(text, e)
    if month is None or year is None:
        return [], e
    return [_span(s, year.end(), f"{year.group(1)}-{month:02d}")], year.end()


def find_numbers(text: str) -> list[Span]:
    """The NUMBER spans of a paragraph: sorted, not overlapping, labelled with their value."""
    spans: list[Span] = []
    pos = 0
    search = _MASTER.search
    while True:
        match = search(text, pos)
        if match is None:
            return spans
        s, e = match.span()
        kind = match.lastgroup
        if kind == "run":
            found, end = _from_digits(text, s, s)
        elif kind == "word":
            found, end = _from_word(text, s, e)
        elif kind == "sym" or kind == "code":
            code = _CURRENCY_BEFORE.get(match.group().strip(), ("", 0))[0]
            found, end = _from_digits(text, s, e, currency=code)
        elif kind == "neg" or kind == "min":
            found, end = _from_digits(text, s, e, negative=True)
        elif kind == "een":
            found, end = _from_een(text, s, e)
        elif kind == "jaren":
            found, end = _from_decade(text, s, e)
        else:  # month
            found, end = _from_month(text, s, e)
        if found and (not spans or found[0].start >= spans[-1].end):
            spans.extend(found)
        pos = max(end, s + 1)
