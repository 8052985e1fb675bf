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
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeVar

from reader.model import Span, SpanKind

__all__ = ["find_numbers", "parse_number_word"]

# ---------------------------------------------------------------------------------------------
# Word tables: each list lives here once; everything else is derived from them.

# The parts Dutch number words are built from; compounds are parsed, not listed.
UNITS: dict[str, int] = {
    "een": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
}
TEENS: dict[str, int] = {
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "dertien": 13,
    "veertien": 14,
    "vijftien": 15,
    "zestien": 16,
    "zeventien": 17,
    "achttien": 18,
    "negentien": 19,
}
TENS: dict[str, int] = {
    "twintig": 20,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "zestig": 60,
    "zeventig": 70,
    "tachtig": 80,
    "negentig": 90,
}
# Scale words as powers of ten.
SCALES: dict[str, int] = {"honderd": 2, "duizend": 3, "miljoen": 6, "miljard": 9, "biljoen": 12}
# Words that are a number on their own only: "nul", and "één" / "eén" (plain "een" never is).
STANDALONE_CARDINALS: dict[str, int] = {"nul": 0, "één": 1, "eén": 1}
# "eenentwintig", "tweeënveertig": the unit and the tens are joined by "en" / "ën".
CONNECTORS: tuple[str, ...] = ("en", "ën")
# Ordinals add "de" (below 20) or "ste" (20 and up), except these.
IRREGULAR_ORDINALS: dict[str, str] = {"een": "eerste", "drie": "derde", "acht": "achtste"}
# Fraction words as (numerator, denominator); denominators "derde".."tiende" come from ordinals.
FRACTION_WORDS: dict[str, tuple[int, int]] = {
    "anderhalf": (3, 2),
    "anderhalve": (3, 2),
    "half": (1, 2),
    "helft": (1, 2),
    "kwart": (1, 4),
}
# Plural numeral nouns: a rough order of magnitude, as a power of ten.
ROUGH_MAGNITUDES: dict[str, int] = {
    "tientallen": 1,
    "honderden": 2,
    "duizenden": 3,
    "tienduizenden": 4,
    "honderdduizenden": 5,
    "miljoenen": 6,
    "miljarden": 9,
}
# "een tiental", "een twintigtal": about that many.
ABOUT_SUFFIX = "tal"
# Abbreviated magnitudes after digits ("€ 2,5 mld").
MAGNITUDE_ABBREVIATIONS: dict[str, int] = {"mln": 6, "mld": 9, "mrd": 9}
MONTHS: dict[str, int] = {
    "januari": 1,
    "februari": 2,
    "maart": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "augustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
# Currency -> (ISO code, power of ten to apply: cents are a hundredth).
# Signs and upper-case codes stand before the amount, words after it.
CURRENCIES: dict[str, tuple[str, int]] = {
    "€": ("EUR", 0),
    "$": ("USD", 0),
    "US$": ("USD", 0),
    "£": ("GBP", 0),
    "¥": ("JPY", 0),
    "EUR": ("EUR", 0),
    "USD": ("USD", 0),
    "GBP": ("GBP", 0),
    "CHF": ("CHF", 0),
    "euro": ("EUR", 0),
    "euro's": ("EUR", 0),
    "euro\u2019s": ("EUR", 0),
    "eurocent": ("EUR", -2),
    "cent": ("EUR", -2),
    "dollar": ("USD", 0),
    "dollars": ("USD", 0),
    "dollarcent": ("USD", -2),
    "pond": ("GBP", 0),
    "yen": ("JPY", 0),
    "yuan": ("CNY", 0),
    "renminbi": ("CNY", 0),
    "roebel": ("RUB", 0),
    "roebels": ("RUB", 0),
    "frank": ("CHF", 0),
    "lira": ("TRY", 0),
    "roepie": ("INR", 0),
    "roepies": ("INR", 0),
    "kroon": ("SEK", 0),  # the adjective before it tells whose: "Deense kronen" are DKK
    "kronen": ("SEK", 0),
}
# An adjective of nationality between amount and currency names the currency exactly:
# "300 miljoen Amerikaanse dollar", "11 miljoen Zweedse kronen".
CURRENCY_ADJECTIVES: dict[str, str] = {
    "Amerikaanse": "USD",
    "Australische": "AUD",
    "Britse": "GBP",
    "Canadese": "CAD",
    "Chinese": "CNY",
    "Deense": "DKK",
    "Hongkongse": "HKD",
    "Indiase": "INR",
    "Japanse": "JPY",
    "Noorse": "NOK",
    "Russische": "RUB",
    "Tsjechische": "CZK",
    "Turkse": "TRY",
    "Zweedse": "SEK",
    "Zwitserse": "CHF",
}
# Percent and its relatives -> the unit shown in the label.
PERCENT_WORDS: dict[str, str] = {
    "%": "%",
    "procent": "%",
    "pct": "%",
    "procentpunt": "pp",
    "procentpunten": "pp",
}
# Units glued to digits ("10km"): the digits are a number, the unit is not part of it.
# Case matters: "5G", "4K", "3D" are names, not "5 g".
UNIT_ABBREVIATIONS: frozenset[str] = frozenset(
    "km m cm mm kg g mg l ml cl dl ha kW kWh MW MWh GW GWh TWh GB MB TB kB u h min sec s".split()
)
# Suffixes that make digits an ordinal ("3e", "21ste", "2de").
ORDINAL_SUFFIXES: frozenset[str] = frozenset({"e", "ste", "de", "st", "nd", "rd", "th"})
# Words that make the number after them part of a name: channels, laws, tax boxes, aircraft,
# software versions, races, transport lines.
IDENTIFIER_PREFIXES: tuple[str, ...] = (
    # channels and stations
    "NPO",
    "RTL",
    "SBS",
    "Radio",
    "BBC",
    "Canvas",
    "Veronica",
    # laws and taxes
    "box",
    "artikel",
    "art.",
    "lid",
    "paragraaf",
    "hoofdstuk",
    # vehicles, rockets, weapons
    "Formule",
    "Boeing",
    "Airbus",
    "Apollo",
    "Artemis",
    "Ariane",
    "Falcon",
    "Leopard",
    # software and devices
    "iOS",
    "Android",
    "Windows",
    "macOS",
    "iPhone",
    "iPad",
    "Galaxy",
    "Pixel",
    "PlayStation",
    "Xbox",
    "versie",
    # events, leagues, companies
    "Euro",  # the tournament "Euro 2024"; the currency follows its amount
    "EK",
    "WK",
    "COP",
    "GRIP",  # the levels of a disaster response
    "Ligue",
    "Studio",
    "Top",  # the radio list "Top 2000"; "top 10" in lower case ranks
    "covid",
    "COVID",
    # transport lines
    "lijn",
    "buslijn",
    "tramlijn",
    "metrolijn",
    "perron",
    "spoor",
    "Route",
    # phone numbers: "bel 112"
    "bel",
    "belde",
    "belden",
    "bellen",
    "gebeld",
    "alarmnummer",
    "telefoonnummer",
)
# Nouns after an ordinal that make it part of a name ("Tweede Kamer", "Eerste Wereldoorlog")
# or of an idiom ("in eerste instantie", "op het eerste gezicht", "eerste hulp").
ORDINAL_NAME_NOUNS: tuple[str, ...] = (
    r"kamer\w*",
    r"wereldoorlog\w*",
    "golfoorlog",
    "paasdag",
    "pinksterdag",
    "kerstdag",
    "rijk",
    "wereld",
    "instantie",
    "gezicht",
    "hulp",
)
# "een derde" is a fraction before these words, an ordinal ("een derde termijn") before others.
FRACTION_FOLLOWERS: tuple[str, ...] = tuple(
    """van deel daarvan ervan hiervan minder meer is was zijn waren wordt werd worden werden
    heeft hebben had hadden zegt zeggen zei zeiden kan kon kunnen konden wil willen wilde
    zal zullen zou zouden moet moeten gaat gaan ging gingen komt komen kwam kwamen stemde
    stemden stemt stemmen vindt vinden vond vonden krijgt krijgen kreeg kregen geeft geven
    gaf gaven""".split()
)
# "acht" is also a verb ("de rechter acht het bewezen"): these words after it say so.
ACHT_VERB_FOLLOWERS: tuple[str, ...] = tuple(
    """het dat dit de bewezen aannemelijk zich hem haar niet hij zij ze ik men we wij u
    onwaarschijnlijk waarschijnlijk mogelijk noodzakelijk onvoldoende voldoende wenselijk
    onwenselijk onaanvaardbaar denkbaar uitgesloten redelijk geboden nodig verstandig
    raadzaam zinvol onjuist juist schuldig strafbaar""".split()
)
# "in acht nemen" (take into account): "acht" before these is no number.
IN_ACHT_VERBS: tuple[str, ...] = ("nemen", "genomen", "neemt", "nam", "namen", "neem")
# Words before "9 uur" that make it a clock time rather than a duration.
CLOCK_OPENERS: tuple[str, ...] = ("om", "vanaf", "rond", "tegen", "omstreeks")
# Words before "jaren" that make "jaren 90" a decade ("de jaren 90", "eind jaren zeventig").
DECADE_OPENERS: frozenset[str] = frozenset({"de", "eind", "begin", "midden", "halverwege"})
# Nouns after "a-b" that make it a range of two numbers rather than a score ("5-10 jaar").
RANGE_UNITS: tuple[str, ...] = tuple(
    """jaar jaren jarigen uur minuten seconden dagen weken maanden graden kilometer km meter
    m centimeter cm millimeter mm kilo kilogram kg gram liter keer""".split()
)


# ---------------------------------------------------------------------------------------------
# Derived tables


def _ordinal_form(word: str, value: int) -> str:
    if word in IRREGULAR_ORDINALS:
        return IRREGULAR_ORDINALS[word]
    return word + ("ste" if value >= 20 else "de")


_CARDINAL_PARTS: dict[str, int] = {**UNITS, **TEENS, **TENS}
# Ordinal part -> the cardinal part it replaces ("twintigste" -> "twintig").
ORDINALS: dict[str, str] = {
    **{_ordinal_form(w, v): w for w, v in _CARDINAL_PARTS.items()},
    **{_ordinal_form(w, 10**p): w for w, p in SCALES.items()},
}
# Ordinals that also name a fraction's denominator ("een derde", "drie vijfde").
DENOMINATORS: dict[str, int] = {
    **{o: _CARDINAL_PARTS[c] for o, c in ORDINALS.items() if _CARDINAL_PARTS.get(c, 0) >= 3},
    **{o: 10 ** SCALES[c] for o, c in ORDINALS.items() if c in SCALES},
    "kwart": 4,
}
# Magnitudes that follow a number: the scales from a thousand up, and their abbreviations.
MAGNITUDES: dict[str, int] = {
    **{w: p for w, p in SCALES.items() if p >= 3},
    **MAGNITUDE_ABBREVIATIONS,
}
# Signs and codes go before the amount ("€ 40", "USD 5"); words and codes after it ("40 euro").
_CURRENCY_BEFORE = {k: v for k, v in CURRENCIES.items() if not k[0].islower()}
_CURRENCY_CODES = [k for k in CURRENCIES if k.isalpha() and k.isupper()]
_CURRENCY_AFTER = {
    k.lower(): v for k, v in CURRENCIES.items() if (k[0].isalpha() and "$" not in k) or k == "€"
}


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


# ---------------------------------------------------------------------------------------------
# Number words: a tokenizer over the parts and a small recursive-descent parser.

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


# ---------------------------------------------------------------------------------------------
# Regexes

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
# Handlers: each gets the text and where the expression starts, returns spans and where to go on.


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


def _skip(text: str, end: int) -> _Found:
    found = _IDENTIFIER_TAIL.match(text, end)
    return [], found.end() if found else end


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
