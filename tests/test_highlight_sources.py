"""Attributed sources: each construction of the conventions, and what is not a source."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.highlight.sources import find_sources


def marked(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_sources(text)]


def cues(text: str) -> list[str]:
    return [s.label for s in find_sources(text)]


@pytest.mark.parametrize(
    ("text", "sources"),
    [
        # volgens X
        ("Volgens Zelensky is de inzet een nieuwe escalatie.", ["Zelensky"]),
        ("Volgens hem hebben de Russen het initiatief genomen.", ["hem"]),
        ("Volgens een van de bronnen deden de Noord-Koreanen mee.", ["een van de bronnen"]),
        (
            "Volgens de Amerikaanse minister van Defensie is dat onjuist.",
            ["de Amerikaanse minister van Defensie"],
        ),
        (
            "Volgens schattingen van Kyiv en de aartsvijand Zuid-Korea stuurde het regime 10.000 soldaten.",
            ["Kyiv", "de aartsvijand Zuid-Korea"],
        ),
        ("Volgens cijfers van het CBS steeg de werkloosheid.", ["het CBS"]),
        # aldus X
        (
            "De troepen worden ingezet, aldus een Pentagon-woordvoerder.",
            ["een Pentagon-woordvoerder"],
        ),
        ('"Ze zijn ingezet", aldus de dienst.', ["de dienst"]),
        # X zegt / zegt X
        (
            "De Oekraïense president Volodymyr Zelensky zegt dat er 3000 doden zijn.",
            ["De Oekraïense president Volodymyr Zelensky"],
        ),
        (
            "Noord-Korea stuurde 10.000 militairen. Dat meldt de Zuid-Koreaanse inlichtingendienst.",
            ["de Zuid-Koreaanse inlichtingendienst"],
        ),
        (
            "Het gaat om 10.000 militairen, schat het Amerikaanse Pentagon.",
            ["het Amerikaanse Pentagon"],
        ),
        ('"Daar is niks mis mee", zei hij op het forum.', ["hij"]),
        ("Hij zei zich te baseren op voorlopig bewijs.", ["Hij"]),
        (
            "Dat zei minister van Financiën Andrzej Domański tegen persbureau Bloomberg.",
            ["minister van Financiën Andrzej Domański"],
        ),
        ("Dat schrijft persbureau Reuters.", ["persbureau Reuters"]),
        (
            "De Britse premier Keir Starmer vindt de uitspraken beledigend.",
            ["De Britse premier Keir Starmer"],
        ),
        (
            "Premier Ulf Kristersson heeft laten weten dat toetreding niet zal plaatsvinden.",
            ["Premier Ulf Kristersson"],
        ),
        (
            "Dat heeft een woordvoerder van de Europese Commissie gezegd.",
            ["een woordvoerder van de Europese Commissie"],
        ),
        (
            "Dat is van twee Amerikaanse functionarissen vernomen.",
            ["twee Amerikaanse functionarissen"],
        ),
        (
            "Oekraïne, de Verenigde Staten en Zuid-Korea claimden eerder al dat het zo was.",
            ["Oekraïne", "de Verenigde Staten", "Zuid-Korea"],
        ),
        ("In Minneapolis lopen duizenden mensen mee, melden lokale media.", ["lokale media"]),
        ("Oekraïne had op 4 november gemeld dat de troepen waren aangevallen.", ["Oekraïne"]),
        ("Geert Wilders (PVV) zegt dat hij tegen stemt.", ["Geert Wilders (PVV)"]),
        # X: "..."
        ('Minister De Jonge: "We gaan door."', ["Minister De Jonge"]),
        # naar eigen zeggen
        ("De club heeft naar eigen zeggen geen geld meer.", ["De club"]),
    ],
)
def test_constructions(text: str, sources: list[str]) -> None:
    assert marked(text) == sources


def test_dateline_agencies_are_each_a_source() -> None:
    text = "KYIV (ANP/RTR/AFP) - Volgens Oekraïne zet Rusland soldaten in."
    assert marked(text) == ["ANP", "RTR", "AFP", "Oekraïne"]
    assert cues(text)[:3] == ["dateline"] * 3


def test_cue_is_the_label() -> None:
    assert cues("Volgens Zelensky is het zo.") == ["volgens"]
    assert cues("Het is zo, aldus Zelensky.") == ["aldus"]
    assert cues("Dat meldt Reuters.") == ["meldt"]


@pytest.mark.parametrize(
    "text",
    [
        "De minister verwacht dat de prijzen stijgen.",  # a mental state
        "Zij hopen op een wapenstilstand.",
        "Analisten vrezen een recessie.",
        "Het kabinet wil 2 miljard bezuinigen.",
        "Alles verloopt volgens plan.",  # volgens + no agent
        "Volgens de regels mag dat niet.",
        "Uit cijfers blijkt dat de economie groeit.",  # agentless evidential
        "Dat bleek dinsdag.",
        '"Volgens mij klopt dat niet", zei ze.',  # inside the quote: the speaker's own voice
    ],
)
def test_not_sources(text: str) -> None:
    found = marked(text)
    assert found in ([], ["ze"]), found


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_spans_are_inside_sorted_and_never_overlap(text: str) -> None:
    spans = find_sources(text)
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
    for left, right in itertools.pairwise(spans):
        assert left.end <= right.start


_WORDS = st.sampled_from(
    ["Volgens", "volgens", "aldus", "zei", "hij", "zegt", "Dat", "meldt", "de", "minister",
     "van", "Zelensky", ",", ".", '"', "(", ")", ":", "en", "heeft", "gezegd", "KYIV (ANP) -"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=30).map(" ".join))
def test_never_raises_on_attribution_like_text(text: str) -> None:
    spans = find_sources(text)
    assert all(0 <= s.start < s.end <= len(text) for s in spans)
