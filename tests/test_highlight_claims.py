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


def test_corpus_claims_keep_the_unattributed_numbers_after_the_attributed() -> None:
    troops = corpus_claims(load_corpus([SEEDS]).articles)["troops"]
    given = [(claim.number_text, claim.party) for claim in troops]
    assert ("3000", None) in given and ("10.000", None) in given
    attributed = [bool(claim.sources) for claim in troops]
    assert attributed == sorted(attributed, reverse=True), "the unattributed come last"


def test_collecting_claims_reports_progress_and_stops_when_asked() -> None:
    texts = [f"Het Pentagon zegt dat {n} militairen vertrokken." for n in range(1, 11)]
    read: list[int] = []
    claims = article_claims(article(*texts), progress=read.append)
    assert read == list(range(1, 11)) and len(claims) == 10
    stopped = article_claims(article(*texts), stop=lambda: len(read) >= 13, progress=read.append)
    assert [claim.number_text for claim in stopped] == ["1", "2", "3"]
    corpus_read: list[int] = []
    corpus_claims([article(*texts), article(*texts)], progress=corpus_read.append)
    assert corpus_read[-1] == 20, "counted over all the articles"


def test_a_ticker_item_has_claims_as_a_one_paragraph_article() -> None:
    from reader.highlight.claims import ticker_article

    ticker = load_corpus([SEEDS]).ticker
    item = next(item for item in ticker if "Duizenden mensen" in item.text)
    claims = article_claims(ticker_article(item))
    assert claims and all(claim.paragraph.text == item.text for claim in claims)
    assert claims[0].number_text == "Duizenden"
