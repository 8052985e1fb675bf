"""The word tables of Dutch numbers: number parts, months, currencies, units, words around them.

What the number scanner (`numbers` and its helper modules) knows about Dutch, and nothing of how
it reads: each list lives here once, and the scanner builds its regexes and its parser from
them, so a word added to a list is found without touching the scanner. The derived tables at the
end are computed from the lists: extend those, not these.
"""

from __future__ import annotations

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
ABOUT_SUFFIX: str = "tal"
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
# Derived tables: computed from the lists above.


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
_CURRENCY_BEFORE: dict[str, tuple[str, int]] = {
    k: v for k, v in CURRENCIES.items() if not k[0].islower()
}
_CURRENCY_CODES: list[str] = [k for k in CURRENCIES if k.isalpha() and k.isupper()]
_CURRENCY_AFTER: dict[str, tuple[str, int]] = {
    k.lower(): v for k, v in CURRENCIES.items() if (k[0].isalpha() and "$" not in k) or k == "€"
}
