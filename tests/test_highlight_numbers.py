"""The number recogniser: exact spans per rule family, labels, real news sentences, properties."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.highlight.numbers import find_numbers, parse_number_word
from reader.model import Span, SpanKind


def marked(text: str) -> list[str]:
    return [text[span.start : span.end] for span in find_numbers(text)]


def labelled(text: str) -> list[tuple[str, str]]:
    return [(text[span.start : span.end], span.label) for span in find_numbers(text)]


def check(text: str, expected: list[str]) -> None:
    assert marked(text) == expected, labelled(text)


# ---------------------------------------------------------------------------------------------
# Rule families: the exact text of every span.

Cases = list[tuple[str, list[str]]]

SEPARATORS: Cases = [
    ("Pyongyang stuurde 10.000 soldaten.", ["10.000"]),
    ("De index sloot op 42.863,86 punten.", ["42.863,86"]),
    ("Er kwamen 1.250.000 bezoekers.", ["1.250.000"]),
    ("Het bedrag was 1.250,75.", ["1.250,75"]),
    ("In 2011. De ramp.", ["2011"]),
    ("Ze telden 3000 en 1100 slachtoffers.", ["3000", "1100"]),
]
DECIMALS: Cases = [
    ("De groei was 3,5 en 0,8.", ["3,5", "0,8"]),
    ("Het werd 38,2 graden in De Bilt.", ["38,2"]),
    ("Ze schaatste 1.11,45, een record.", ["1.11,45"]),
    ("Hij zwom 52,34 seconden.", ["52,34"]),
    ("Hij sprong 2.35 meter.", ["2.35"]),  # a point before a unit: no clock time
]
MONEY: Cases = [
    ("Dat kost € 40 per persoon.", ["€ 40"]),
    ("Dat kost €40 per persoon.", ["€40"]),
    ("Een kaartje kost 40 euro.", ["40 euro"]),
    ("Ze haalden 300 miljoen dollar op.", ["300 miljoen dollar"]),
    ("De aandelen kostten $300.", ["$300"]),
    ("Het gaat om € 2,5 miljard.", ["€ 2,5 miljard"]),
    ("Het gaat om 2,5 miljard euro.", ["2,5 miljard euro"]),
    ("Het kabinet trekt € 1,2 miljoen uit.", ["€ 1,2 miljoen"]),
    ("Een boete van 100.000 euro.", ["100.000 euro"]),
    ("Ze betaalt € 40,- per maand.", ["€ 40,-"]),
    ("Het kost 10 cent meer.", ["10 cent"]),
    ("Het werd verkocht voor 45 miljoen pond.", ["45 miljoen pond"]),
    ("Het kostte 300 miljoen Amerikaanse dollar.", ["300 miljoen Amerikaanse dollar"]),
    ("Ze verdienden miljoenen euro's.", ["miljoenen euro's"]),
    ("Ze delen 11 miljoen Zweedse kronen.", ["11 miljoen Zweedse kronen"]),
    ("Een winst van 1,2 mld euro.", ["1,2 mld euro"]),
]
PERCENT: Cases = [
    ("De inflatie was 3,5 procent.", ["3,5 procent"]),
    ("De koers steeg 12%.", ["12%"]),
    ("De koers steeg 12 %.", ["12 %"]),
    ("De koers steeg 12 procent.", ["12 procent"]),
    ("Een stijging van 1 procent.", ["1 procent"]),
    ("De rente stijgt 0,5 procentpunt.", ["0,5 procentpunt"]),
    ("Dat is tien procent.", ["tien procent"]),
    ("De rente daalt een kwart procentpunt.", ["een kwart procentpunt"]),
]
DATES: Cases = [
    ("Volgens de bronnen deden ze op 4 november mee.", ["4 november"]),
    ("De wet gaat op 1 januari 2028 in.", ["1 januari 2028"]),
    ("Dat gebeurde in juni 2024.", ["juni 2024"]),
    ("Oekraïne begon in augustus te veroveren.", []),
    ("Op maandag 4 november en vorige week.", ["4 november"]),
    ("Het duurt van 4 tot 8 november.", ["4", "8 november"]),
    ("Sinds de jaren 90 is dat zo.", ["jaren 90"]),
    ("Muziek uit de jaren zeventig.", ["jaren zeventig"]),
    ("Eind jaren '80 begon het.", ["jaren '80"]),
    ("De afgelopen jaren 20 procent meer.", ["20 procent"]),
    ("De datum 4-11-2024 staat erop.", ["4-11-2024"]),
]
YEARS: Cases = [
    ("De troepen hebben sinds 1953 niet meer gevochten.", ["1953"]),
    ("De Iraanse Revolutie van 1979.", ["1979"]),
    ("In de periode 2020-2024 groeide het.", ["2020", "2024"]),
    ("Het seizoen 2023/2024 begint.", ["2023", "2024"]),
    ("Tot 2030 blijft het zo.", ["2030"]),
]
CLOCK_TIMES: Cases = [
    ("De zitting begint om 14.30 uur.", ["14.30"]),
    ("Vanaf 9.00 uur is het open.", ["9.00"]),
    ("Tussen 10.00 en 16.00 uur.", ["10.00", "16.00"]),
    ("Om 20:00 begint het.", ["20:00"]),
    ("De marathon werd gelopen in 2.01.09.", ["2.01.09"]),
    ("Het toestel landde om half elf.", ["half elf"]),
    ("De brand brak rond 03.00 uur uit.", ["03.00"]),
]
SCORES: Cases = [
    ("Ajax won met 2-1 van PSV.", ["2-1"]),
    ("Alcaraz won met 6-4 6-3.", ["6-4", "6-3"]),
    ("Het werd 3-0 voor Feyenoord.", ["3-0"]),
    ("Een 3-0-zege.", ["3-0"]),
    ("Een 7-6 (7-4) overwinning.", ["7-6", "7-4"]),
    ("De trainer speelt 4-3-3.", []),
    ("Het duurt 5-10 jaar.", ["5", "10"]),
    ("Het stijgt 10-15 procent.", ["10", "15 procent"]),
]
WORDS: Cases = [
    ("Dat melden drie ingewijden.", ["drie"]),
    ("De oorlog duurt al drie jaar.", ["drie"]),
    ("Er kwamen dertig mensen en tweeduizend dieren.", ["dertig", "tweeduizend"]),
    ("Eenentwintig landen.", ["Eenentwintig"]),
    ("Tweeënveertig en tweeenveertig.", ["Tweeënveertig", "tweeenveertig"]),
    ("Het kostte honderdvijftig levens.", ["honderdvijftig"]),
    ("Eén van de verdachten en één op de tien.", ["Eén", "één", "tien"]),
    ("Een van de bronnen zei een paar dingen.", []),
    ("Nul procent en honderd procent.", ["Nul procent", "honderd procent"]),
    ("Een miljoen mensen.", ["Een miljoen"]),
    ("Drie miljoen euro.", ["Drie miljoen euro"]),
    ("Een paar miljoen.", []),
    ("Acht mensen, maar de rechter acht het bewezen.", ["Acht"]),
    ("We moeten dat in acht nemen.", []),
    ("Negentienhonderdvijfenveertig.", ["Negentienhonderdvijfenveertig"]),
]
ORDINALS: Cases = [
    ("Hij werd 3e en de 21ste.", ["3e", "21ste"]),
    ("De 1ste en de 2de plaats.", ["1ste", "2de"]),
    ("Hij werd derde, zij eerste.", ["derde", "eerste"]),
    ("De honderdste verjaardag.", ["honderdste"]),
    ("De eenentwintigste eeuw.", ["eenentwintigste"]),
    ("De Tweede Kamer en de Eerste Kamer.", []),
    ("Sinds de Tweede Wereldoorlog.", []),
    ("Het Tweede-Kamerlid stemde tegen.", []),
    ("Het is voor het eerst.", []),
    ("In eerste instantie niet; ten eerste is het duur.", []),
    ("Een tweede termijn en een derde termijn.", ["tweede", "derde"]),
    ("Tweede Kamerleden zijn boos.", []),
]
FRACTIONS: Cases = [
    ("Een derde van de kiezers.", ["Een derde"]),
    ("Twee derde van de Belgen.", ["Twee derde"]),
    ("Driekwart stemde voor.", ["Driekwart"]),
    ("Een tweederde meerderheid.", ["tweederde"]),
    ("Anderhalf jaar later.", ["Anderhalf"]),
    ("Bijna de helft is weg.", ["helft"]),
    ("De tweede helft begon.", ["tweede"]),
    ("Een kwart van de mensen.", ["Een kwart"]),
    ("Het duurde tweeënhalf jaar.", ["tweeënhalf"]),
    ("Een half miljoen en anderhalf miljoen euro.", ["Een half miljoen", "anderhalf miljoen euro"]),
    ("Een half jaar later.", []),
]
ROUGH: Cases = [
    ("Duizenden mensen demonstreren.", ["Duizenden"]),
    ("Enkele honderden activisten.", ["honderden"]),
    ("Tienduizenden vluchtten.", ["Tienduizenden"]),
    ("Honderdduizenden mensen.", ["Honderdduizenden"]),
    ("Miljoenen kijkers en miljarden euro's.", ["Miljoenen", "miljarden euro's"]),
    (
        "Tientallen doden en tientallen miljoenen dollars.",
        ["Tientallen", "tientallen miljoenen dollars"],
    ),
    ("Een tiental mensen.", ["tiental"]),
    ("Het Nederlands elftal en een tweetal.", []),
    ("Enkele, meerdere, veel, een paar, beide.", []),
]
IDENTIFIERS: Cases = [
    ("De A12 en de N201 zijn dicht.", []),
    ("Vlucht KL1234 en MH17.", []),
    ("De G20 en de G7.", []),
    ("Box 3 en box 3.", []),
    ("Op NPO 1 en NPO 2.", []),
    ("Versie 3.11.2 en iOS 17.", []),
    ("Formule 1, Covid-19, F-16 en Boeing 737.", []),
    ("Artikel 5 van het verdrag en artikel 140.", []),
    ("Postcode 1234 AB.", []),
    ("Bel 020-1234567.", []),
    ("Het 5G-netwerk en 4K.", []),
    ("D66, JA21 en 50PLUS.", []),
    ("Bereikbaar 24/7.", []),
    ("Een Formule 1-coureur.", []),
    ("Vakbond NU'91 staakt.", []),
    ("Schalke 04 wint.", []),
    ("Buslijn 12 rijdt niet.", []),
    ("Oranje speelde op Euro 2024.", []),
    ("Een voorbijganger belde 112.", []),
    ("Een Ariane 6-raket.", []),
    ("De regio schaalde op naar GRIP 1.", []),
    ("Ga naar nos.nl/artikel/2541234.", []),
]
APPROXIMATORS: Cases = [
    ("Ruim 10.000 soldaten.", ["10.000"]),
    ("Bijna 200 doden.", ["200"]),
    ("Zo'n 2 kilometer.", ["2"]),
    ("Ongeveer tien minuten.", ["tien"]),
    ("Meer dan 12.000 troepen.", ["12.000"]),
    ("Naar schatting 3000 doden.", ["3000"]),
    ("Tussen 3 en 5.", ["3", "5"]),
]
HYPHEN_GLUED: Cases = [
    ("De 25-jarige man.", ["25"]),
    ("Een 100-jarige vrouw.", ["100"]),
    ("De 24-uursstaking.", ["24"]),
    ("Een 1,5-gradendoel.", ["1,5"]),
    ("Een top-10 notering.", ["10"]),
]
PARENTHESES: Cases = [
    ("De verdachte (54) zweeg.", ["54"]),
    ("Een zege (2-1) en (12%).", ["2-1", "12%"]),
]
NEGATIVE: Cases = [
    ("Het wordt min 3 graden.", ["min 3"]),
    ("Het wordt -3 graden.", ["-3"]),
    ("Een daling (-0,5 procent).", ["-0,5 procent"]),
]
GLUED: Cases = [
    ("Hij liep 10km en 3x.", ["10", "3x"]),
    ("Een winst van €5mln.", ["€5mln"]),
]

FAMILIES = {
    "separators": SEPARATORS,
    "decimals": DECIMALS,
    "money": MONEY,
    "percent": PERCENT,
    "dates": DATES,
    "years": YEARS,
    "clock": CLOCK_TIMES,
    "scores": SCORES,
    "words": WORDS,
    "ordinals": ORDINALS,
    "fractions": FRACTIONS,
    "rough": ROUGH,
    "identifiers": IDENTIFIERS,
    "approximators": APPROXIMATORS,
    "hyphen": HYPHEN_GLUED,
    "parentheses": PARENTHESES,
    "negative": NEGATIVE,
    "glued": GLUED,
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(text, expected, id=f"{family}-{i}")
        for family, cases in FAMILIES.items()
        for i, (text, expected) in enumerate(cases)
    ],
)
def test_rule_family(text: str, expected: list[str]) -> None:
    check(text, expected)


# ---------------------------------------------------------------------------------------------
# Labels


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.000", "10000"),
        ("3,5", "3.5"),
        ("1.250,75", "1250.75"),
        ("2,5 miljard", "2500000000"),
        ("drie", "3"),
        ("tweeduizend", "2000"),
        ("3,5 procent", "3.5 %"),
        ("12%", "12 %"),
        ("0,5 procentpunt", "0.5 pp"),
        ("€ 40", "EUR 40"),
        ("€ 40,-", "EUR 40"),
        ("300 miljoen dollar", "USD 300000000"),
        ("10 cent", "EUR 0.1"),
        ("4 november", "--11-04"),
        ("1 januari 2028", "2028-01-01"),
        ("juni 2024", "2024-06"),
        ("1953", "1953"),
        ("14.30", "14:30"),
        ("9.00", "09:00"),
        ("2-1", "2-1"),
        ("3e", "#3"),
        ("derde", "#3"),
        ("21ste", "#21"),
        ("driekwart", "3/4"),
        ("anderhalf", "1.5"),
        ("duizenden", "~1000"),
        ("honderden", "~100"),
        ("tienduizenden", "~10000"),
        ("miljoenen", "~1000000"),
        ("tientallen", "~10"),
        ("min 3", "-3"),
        ("-3", "-3"),
        ("3x", "3x"),
    ],
)
def test_label_alone(text: str, expected: str) -> None:
    assert labelled(text) == [(text, expected)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Het gaat om een derde van de kiezers.", ("een derde", "1/3")),
        ("Twee derde van de mensen.", ("Twee derde", "2/3")),
        ("Bijna de helft.", ("helft", "1/2")),
        ("Een miljoen mensen.", ("Een miljoen", "1000000")),
        ("Een half miljoen mensen.", ("Een half miljoen", "500000")),
        ("Sinds de jaren 90.", ("jaren 90", "1990s")),
        ("De jaren zeventig.", ("jaren zeventig", "1970s")),
        ("De jaren nul.", ("jaren nul", "2000s")),
        ("De deur gaat om 9 uur open.", ("9", "09:00")),
        ("Tientallen miljoenen euro's.", ("Tientallen miljoenen euro's", "~EUR 10000000")),
        ("De 17e eeuw.", ("17e", "#17")),
        ("Het toestel landde om half elf.", ("half elf", "10:30")),
        ("De marathon in 2.01.09.", ("2.01.09", "2:01:09")),
        ("Tweeënhalf jaar.", ("Tweeënhalf", "2.5")),
        ("Ze delen 11 miljoen Zweedse kronen.", ("11 miljoen Zweedse kronen", "SEK 11000000")),
        ("Ze klokte 1.11,45.", ("1.11,45", "1:11.45")),
        ("Een kwart procentpunt.", ("Een kwart procentpunt", "0.25 pp")),
        ("Een tiental landen.", ("tiental", "~10")),
        (
            "Het kostte 300 miljoen Amerikaanse dollar.",
            ("300 miljoen Amerikaanse dollar", "USD 300000000"),
        ),
    ],
)
def test_label_in_context(text: str, expected: tuple[str, str]) -> None:
    assert labelled(text) == [expected]


def test_spans_are_number_spans() -> None:
    spans = find_numbers("Op 4 november stuurde Pyongyang ruim 10.000 soldaten.")
    assert spans == [
        Span(3, 13, SpanKind.NUMBER, "--11-04"),
        Span(37, 43, SpanKind.NUMBER, "10000"),
    ]


# ---------------------------------------------------------------------------------------------
# Number words: built regularly, parsed by rule.

_UNITS = ["", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"]
_TEENS = "tien elf twaalf dertien veertien vijftien zestien zeventien achttien negentien".split()
_TENS = ["", "", *"twintig dertig veertig vijftig zestig zeventig tachtig negentig".split()]


def dutch(n: int, diaeresis: bool = True) -> str:
    """The Dutch word for 0 < n < 1,000,000, written independently of the module's parser."""

    def below_hundred(n: int) -> str:
        if n < 10:
            return _UNITS[n]
        if n < 20:
            return _TEENS[n - 10]
        unit, tens = n % 10, n // 10
        if not unit:
            return _TENS[tens]
        joint = "ën" if diaeresis and _UNITS[unit].endswith("e") else "en"
        return _UNITS[unit] + joint + _TENS[tens]

    def below_thousand(n: int) -> str:
        hundreds, rest = divmod(n, 100)
        head = "" if not hundreds else "honderd" if hundreds == 1 else _UNITS[hundreds] + "honderd"
        return head + (below_hundred(rest) if rest else "")

    thousands, rest = divmod(n, 1000)
    head = "" if not thousands else "duizend" if thousands == 1 else below_thousand(thousands)
    head += "duizend" if thousands > 1 else ""
    return head + (below_thousand(rest) if rest else "")


def dutch_ordinal(n: int) -> str:
    """The ordinal: "ste" from twenty up and after a round hundred, irregular 1, 3 and 8."""
    word, last = dutch(n), n % 100
    if last in (1, 3, 8):
        cardinal = _UNITS[last]
        return word[: -len(cardinal)] + {1: "eerste", 3: "derde", 8: "achtste"}[last]
    return word + ("ste" if last >= 20 or last == 0 else "de")


NUMBERS = [*range(1, 2100), *range(2100, 1_000_000, 997), 999_999]


@pytest.mark.parametrize("diaeresis", [True, False])
def test_cardinal_words_parse(diaeresis: bool) -> None:
    wrong = [(n, dutch(n, diaeresis)) for n in NUMBERS if parse_number_word(dutch(n)) != n]
    assert not wrong


def test_cardinal_words_are_marked_whole() -> None:
    wrong = []
    for n in NUMBERS[1:]:  # plain "een" never counts
        word = dutch(n)
        if labelled(f"Er waren {word} mensen.") != [(word, str(n))]:
            wrong.append(word)
    assert not wrong


def test_ordinal_words() -> None:
    assert dutch_ordinal(1) == "eerste"
    assert dutch_ordinal(21) == "eenentwintigste"
    assert dutch_ordinal(100) == "honderdste"
    assert dutch_ordinal(103) == "honderdderde"
    wrong = []
    for n in [*range(1, 300), 1000, 2000, 1001, 1018, 100_000]:
        word = dutch_ordinal(n)
        if parse_number_word(word) != n or labelled(f"de {word} keer") != [(word, f"#{n}")]:
            wrong.append(word)
    assert not wrong


@pytest.mark.parametrize("word", ["tweetwee", "eenen", "honderdhonderd", "duizendduizend", "en"])
def test_non_words_do_not_parse(word: str) -> None:
    assert parse_number_word(word) is None


# ---------------------------------------------------------------------------------------------
# Real Dutch news paragraphs (economy, politics, sport, justice, weather, culture, war).

NEWS: Cases = [
    (
        "De Nederlandse economie groeide in het derde kwartaal met 0,8 procent ten opzichte van "
        "het kwartaal ervoor, meldt het CBS.",
        ["derde", "0,8 procent"],
    ),
    (
        "De inflatie kwam in oktober uit op 3,5 procent, tegen 3,3 procent een maand eerder.",
        ["3,5 procent", "3,3 procent"],
    ),
    ("Het kabinet trekt 2,5 miljard euro uit voor de woningnood.", ["2,5 miljard euro"]),
    (
        "Shell boekte in het tweede kwartaal een winst van 6,3 miljard dollar.",
        ["tweede", "6,3 miljard dollar"],
    ),
    ("De AEX sloot woensdag 1,2 procent lager op 912,45 punten.", ["1,2 procent", "912,45"]),
    (
        "De Europese Centrale Bank verlaagt de rente met 0,25 procentpunt naar 3,25 procent.",
        ["0,25 procentpunt", "3,25 procent"],
    ),
    (
        "Een liter benzine kost gemiddeld € 2,05, ruim 10 cent meer dan vorig jaar.",
        ["€ 2,05", "10 cent"],
    ),
    ("Volgens de bank lopen ruim 100.000 huishoudens een achterstand op.", ["100.000"]),
    (
        "De Tweede Kamer stemde dinsdag met 76 stemmen voor en 74 tegen in met het voorstel.",
        ["76", "74"],
    ),
    (
        "De PVV werd bij de verkiezingen van 22 november 2023 de grootste partij met 37 zetels.",
        ["22 november 2023", "37"],
    ),
    (
        "Premier Schoof reist op 4 november naar Brussel voor een top van de 27 EU-leiders.",
        ["4 november", "27"],
    ),
    (
        "Ruim een derde van de kiezers twijfelt nog, blijkt uit een peiling onder 2000 "
        "Nederlanders.",
        ["een derde", "2000"],
    ),
    (
        "Het wetsvoorstel gaat op 1 januari 2026 in, twee jaar later dan gepland.",
        ["1 januari 2026", "twee"],
    ),
    ("Sinds de jaren 90 is het aantal boerenbedrijven gehalveerd.", ["jaren 90"]),
    (
        "Ajax won zondag met 3-1 van Feyenoord, dat in de 89ste minuut nog scoorde.",
        ["3-1", "89ste"],
    ),
    (
        "Verstappen werd tweede in de Grand Prix van Brazilië, na een inhaalrace vanaf de 17e "
        "startplek.",
        ["tweede", "17e"],
    ),
    ("Alcaraz versloeg Sinner in vijf sets: 6-4 6-7 6-3.", ["vijf", "6-4", "6-7", "6-3"]),
    ("De 21-jarige aanvaller tekende een contract tot medio 2028.", ["21", "2028"]),
    (
        "Oranje staat na twee duels op vier punten; zaterdag volgt de derde wedstrijd.",
        ["twee", "vier", "derde"],
    ),
    (
        "De Tour de France start op 5 juli in Lille; de renners leggen 3320 kilometer af.",
        ["5 juli", "3320"],
    ),
    ("De rechtbank veroordeelde de 34-jarige man tot 12 jaar cel voor doodslag.", ["34", "12"]),
    ("Het Openbaar Ministerie eiste 18 maanden cel, waarvan zes voorwaardelijk.", ["18", "zes"]),
    (
        "De verdachte (45) moet daarnaast € 15.000 schadevergoeding betalen aan de nabestaanden.",
        ["45", "€ 15.000"],
    ),
    (
        "De rechter acht het bewezen dat de man in juni 2023 drie woningen in brand stak.",
        ["juni 2023", "drie"],
    ),
    ("Het KNMI verwacht dinsdag temperaturen tot 35 graden in het zuiden van het land.", ["35"]),
    (
        "Vannacht kan het in het oosten tot min 5 graden vriezen; overdag wordt het -1.",
        ["min 5", "-1"],
    ),
    ("Er viel op sommige plekken 40 millimeter regen in een uur tijd.", ["40"]),
    ("Om 14.30 uur gaf het KNMI code oranje af voor vijf provincies.", ["14.30", "vijf"]),
    ("Het Rijksmuseum trok vorig jaar 2,7 miljoen bezoekers, een record.", ["2,7 miljoen"]),
    (
        "Het schilderij uit de zeventiende eeuw werd geveild voor 45 miljoen pond.",
        ["zeventiende", "45 miljoen pond"],
    ),
    (
        "Het festival viert dit jaar zijn 75ste editie met honderden optredens.",
        ["75ste", "honderden"],
    ),
    ("De film won drie Oscars, waaronder die voor beste regie.", ["drie"]),
    ("Oekraïne zegt 40 van de 55 Russische drones te hebben neergeschoten.", ["40", "55"]),
    ("Volgens Kyiv zijn inmiddels 3000 Noord-Koreaanse militairen gedood of gewond.", ["3000"]),
    (
        "Bij Israëlische aanvallen op Gaza kwamen volgens het ministerie van Gezondheid ruim "
        "45.000 mensen om.",
        ["45.000"],
    ),
    (
        "Rusland viel Oekraïne op 24 februari 2022 binnen; de oorlog duurt nu bijna drie jaar.",
        ["24 februari 2022", "drie"],
    ),
    (
        "De Verenigde Staten leveren voor 500 miljoen dollar aan wapens, waaronder F-16's.",
        ["500 miljoen dollar"],
    ),
    ("Tienduizenden mensen zijn op de vlucht geslagen voor de gevechten.", ["Tienduizenden"]),
    (
        "Bij de aanslag kwamen zeker 15 mensen om het leven en raakten tientallen anderen gewond.",
        ["15", "tientallen"],
    ),
    ("De helft van de Nederlanders maakt zich zorgen over de woningmarkt.", ["helft"]),
    ("Het aantal asielaanvragen steeg met 12% tot 38.000 in 2024.", ["12%", "38.000", "2024"]),
    (
        "De minister wil het budget met 300 miljoen verhogen naar 1,2 miljard euro.",
        ["300 miljoen", "1,2 miljard euro"],
    ),
    ("In de nacht van zaterdag op zondag, rond 03.00 uur, brak brand uit op de A12.", ["03.00"]),
    ("De Boeing 737 van KLM maakte een noodlanding op Schiphol.", []),
    ("Covid-19 kostte in Nederland ruim 20.000 mensen het leven.", ["20.000"]),
    (
        "Twee derde van de ondervraagden zegt anderhalf jaar te moeten wachten op een huurwoning.",
        ["Twee derde", "anderhalf"],
    ),
    (
        "Volgens schattingen van Kyiv en Zuid-Korea stuurde het regime in Pyongyang ruim 10.000 "
        "soldaten.",
        ["10.000"],
    ),
    (
        "Oekraïne begon de regio in augustus te veroveren. Volgens Zelensky duurt de oorlog over "
        "ruim twee maanden al drie jaar.",
        ["twee", "drie"],
    ),
    (
        "Het is het dodelijkste geweld sinds de Iraanse Revolutie van 1979, zegt de "
        "VN-verkenningsmissie.",
        ["1979"],
    ),
    (
        "Japan heeft de kerncentrale weer opgestart, voor het eerst sinds de Fukushima-kernramp "
        "in 2011.",
        ["2011"],
    ),
    ("Polen wil toetreden tot de G20, een groep van de grootste economieën.", []),
    (
        "Het vliegtuig met 199 passagiers vloog ongeveer tien minuten zonder piloot.",
        ["199", "tien"],
    ),
    ("In Basel demonstreren enkele honderden pro-Palestijnse activisten.", ["honderden"]),
]


@pytest.mark.parametrize(("text", "expected"), NEWS, ids=[f"news-{i}" for i in range(len(NEWS))])
def test_news_sentence(text: str, expected: list[str]) -> None:
    check(text, expected)


def test_enough_news_sentences() -> None:
    assert len(NEWS) >= 40


# ---------------------------------------------------------------------------------------------
# Properties


def assert_well_formed(text: str, spans: list[Span]) -> None:
    previous_end = 0
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert span.start >= previous_end  # sorted, never overlapping
        assert span.kind is SpanKind.NUMBER
        assert span.label
        marked_text = text[span.start : span.end]
        assert marked_text == marked_text.strip()
        previous_end = span.end


FRAGMENTS = [
    *"0123456789",
    *" .,-/:%€$()'\u2013\u2212",
    "10.000",
    "3,5",
    "2-1",
    "14.30",
    " uur",
    " procent",
    " procentpunt",
    " euro",
    " miljoen",
    " miljard",
    " dollar",
    "een",
    "één",
    "twee",
    "ën",
    "en",
    "twintig",
    "honderd",
    "duizend",
    "derde",
    "kwart",
    "half",
    "helft",
    "de ",
    "tal",
    "tallen",
    "duizenden",
    "Tweede",
    " Kamer",
    "jaren ",
    "'90",
    "negentig",
    " mei",
    " november",
    "2024",
    "min ",
    "acht",
    "e",
    "ste",
    "x",
    "km",
    "A",
    "G",
    "NPO ",
    "Covid-",
    "\u017f",  # long s: case-insensitive matching folds it to s
    "İ",
    "\u212a",
    "\u00a0",
    "\n",
]
dutch_numberish = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)


@settings(max_examples=500)
@given(st.text())
def test_any_text_gives_well_formed_spans(text: str) -> None:
    assert_well_formed(text, find_numbers(text))


@settings(max_examples=1500)
@given(dutch_numberish)
def test_number_like_text_gives_well_formed_spans(text: str) -> None:
    assert_well_formed(text, find_numbers(text))


@given(st.lists(st.sampled_from([text for text, _ in NEWS]), min_size=1, max_size=4))
def test_sentences_are_independent(sentences: list[str]) -> None:
    """Joining sentences with a space marks the same numbers as reading them one by one."""
    expected = [item for sentence in sentences for item in marked(sentence)]
    assert marked(" ".join(sentences)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "achttien" * 2000 + "x",
        "tweeën" * 5000,
        "1" * 100_000,
        "1." * 50_000,
        "1-" * 50_000 + "1",
        "de jaren " * 5000,
        "een derde " * 5000,
        "-" * 100_000 + "5",
    ],
    ids=lambda text: repr(text[:12]),
)
def test_pathological_input_is_fast(text: str) -> None:
    started = time.perf_counter()
    assert_well_formed(text, find_numbers(text))
    assert time.perf_counter() - started < 2.0
