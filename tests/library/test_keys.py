"""Item keys: stable, by identity (a feed item's guid; a page's path and text)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from reader.library.keys import article_key, feed_key, guid_of, ticker_key
from reader.model import Article, Dateline, Paragraph, ParagraphKind, TickerItem


def page(file: str, title: str = "Kabinet valt", text: str = "Het kabinet is gevallen.") -> Article:
    lead = Paragraph(ParagraphKind.LEAD, text, file, 3, Dateline("DEN HAAG", ("ANP",)))
    return Article(title, file, 1, (lead,))


def test_a_feed_article_is_keyed_on_its_guid_alone() -> None:
    article = Article("Titel", "https://nos.nl/l/1", 0, (), source="NOS", guid="guid-1")
    assert article_key(article) == "feed:guid-1" == feed_key("guid-1")
    edited = replace(article, title="Andere titel", source="NOS Buitenland")
    assert article_key(edited) == article_key(article)
    assert guid_of(article_key(article)) == "guid-1"
    assert guid_of("page:/x:0") is None


def test_a_page_is_keyed_on_its_absolute_path_and_its_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    absolute = str(tmp_path / "nieuws.txt")
    key = article_key(page(absolute))
    assert key.startswith(f"page:{absolute}:") and len(key.rsplit(":", 1)[1]) == 16
    monkeypatch.chdir(tmp_path)
    assert article_key(page("nieuws.txt")) == key, "a relative path counts as its absolute one"
    assert article_key(page(absolute)) == key, "the same text: the same key"
    assert article_key(page(absolute, text="Het kabinet is niet gevallen.")) != key
    assert article_key(page(absolute, title="Kabinet valt!")) != key
    assert article_key(page(str(tmp_path / "ander.txt"))) != key


def test_a_ticker_item_is_keyed_on_its_place_and_text_in_any_file() -> None:
    one = TickerItem(Dateline("KYIV", ("Reuters",)), "Aanval op de hoofdstad.", "/a.txt", 10)
    same = replace(one, file="/b.txt", line=3)
    assert ticker_key(one) == ticker_key(same)
    assert ticker_key(one).startswith("ticker:")
    assert ticker_key(replace(one, dateline=Dateline("ODESSA", ("Reuters",)))) != ticker_key(one)
    assert ticker_key(replace(one, dateline=None)) != ticker_key(one)
    # Parts are kept apart: ("ab", "c") is not ("a", "bc").
    assert ticker_key(TickerItem(Dateline("AB", ()), "C", "/a", 1)) != ticker_key(
        TickerItem(Dateline("A", ()), "BC", "/a", 1)
    )
