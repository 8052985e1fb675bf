"""Who claims which figure: numbers linked to the sources their sentences attribute them to."""

from __future__ import annotations

from reader.corpus import load_corpus
from reader.highlight.claims import article_claims, corpus_claims
from reader.model import Article, Paragraph, ParagraphKind
from tests.conftest import SEEDS


def article(*texts: str) -> Article:
    paragraphs = tuple(
        Paragraph(ParagraphKind.BODY, text, "x.txt", line) for line, text in enumerate(texts, 2)
    )
    return Article("Titel", "x.txt", 1, paragraphs)


def parties(*texts: str) -> list[tuple[str, str | None]]:
    return [(claim.number_text, claim.party) for claim in article_claims(article(*texts))]


def test_a_number_takes_the_source_of_its_sentence() -> None:
    assert parties("Noord-Korea heeft 10.000 militairen gestuurd, schat het Pentagon.") == [
        ("10.000", "het Pentagon")
    ]


def test_the_two_sentence_pattern() -> None:
    text = (
        "Noord-Korea stuurde 10.000 militairen naar Rusland. "
        "Dat meldt de Zuid-Koreaanse inlichtingendienst."
    )
    assert parties(text) == [("10.000", "de Zuid-Koreaanse inlichtingendienst")]


def test_no_source_means_no_party() -> None:
    assert parties("Het regime stuurde 10.000 militairen. Het was koud.") == [("10.000", None)]


def test_a_pronoun_stands_for_the_last_party_named() -> None:
    result = parties(
        "Volgens minister Brekelmans is de steun nodig.",
        "Hij zei dat Nederland 3,5 miljard euro uittrekt.",
    )
    assert result == [("3,5 miljard euro", "minister Brekelmans")]


def test_parties_listed_with_en_share_the_claim() -> None:
    result = parties("Oekraïne, de VS en Zuid-Korea claimden dat er 12.000 soldaten zijn.")
    assert result == [("12.000", "Oekraïne / de VS / Zuid-Korea")]


def test_what_is_counted() -> None:
    (claim,) = article_claims(article("Zelensky zegt dat 3000 Noord-Koreaanse militairen vochten."))
    assert (claim.counted, claim.group) == ("militairen", "troops")


def test_sample_corpus_lists_who_gives_which_troop_numbers() -> None:
    groups = corpus_claims(load_corpus([SEEDS]).articles)
    troops = {(claim.number_text, claim.party) for claim in groups["troops"]}
    assert ("3000", "De Oekraïense president Volodymyr Zelensky") in troops
    assert ("10.000", "het Amerikaanse Pentagon") in troops
    assert ("12.000", "Oekraïne / de Verenigde Staten / Zuid-Korea") in troops
    assert next(iter(groups)) == "troops", "the largest group comes first"
