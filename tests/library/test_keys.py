"""Item keys: stable, by identity (a feed item's guid; a page's path and text)."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from reader.library.keys import (
    article_key,
    feed_key,
    find_item,
    guid_of,
    page_key_path,
    page_path,
    real_path,
    storable_path,
    ticker_key,
)
from reader.model import (
    Article,
    CorpusTickerItem,
    Dateline,
    Paragraph,
    ParagraphKind,
    Sighting,
    TickerItem,
)


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


def test_a_page_whose_file_name_is_not_utf8_has_a_key_sqlite_can_hold(tmp_path: Path) -> None:
    """Review finding 1: the key held the name's lone surrogate (UnicodeEncodeError)."""
    name = str(tmp_path / os.fsdecode(b"caf\xe9 100%.txt"))
    key = article_key(page(name))
    key.encode("utf-8")  # no lone surrogate left
    assert page_key_path(key) == name
    assert os.fsencode(real_path(storable_path(name))) == os.fsencode(name)
    assert article_key(page(str(tmp_path / os.fsdecode(b"caf\xe8 100%.txt")))) != key


def test_a_utf8_path_is_stored_as_it_is_and_every_path_comes_back() -> None:
    for path in ("/home/jan/nieuws/café.txt", "/a/100%.txt", "/a/%E9.txt", "relatief%"):
        assert storable_path(path) == path == real_path(path)
    odd = ["/a/\udce9%E9.txt", "%/niet-absoluut", "/w/\ud800", "/a/%25\udcff%"]
    for path in odd:
        stored = storable_path(path)
        stored.encode("utf-8")
        assert real_path(stored) == path
    assert len({storable_path(p) for p in [*odd, "/a/%E9.txt"]}) == len(odd) + 1


def test_the_same_page_through_a_symbolic_link_is_one_page(tmp_path: Path) -> None:
    """Review finding 14: abspath kept the link's name, so one page had two keys."""
    (tmp_path / "echt").mkdir()
    file = tmp_path / "echt" / "nieuws.txt"
    file.write_text("x")
    (tmp_path / "link.txt").symlink_to(file)
    (tmp_path / "map").symlink_to(tmp_path / "echt")
    key = article_key(page(str(file)))
    assert article_key(page(str(tmp_path / "link.txt"))) == key
    assert article_key(page(str(tmp_path / "map" / "nieuws.txt"))) == key
    assert page_path(str(tmp_path / "link.txt")) == str(file)


def test_an_item_is_found_by_its_key_among_others(tmp_path: Path) -> None:
    """Session restore and the search find an item by its key: a feed article by its guid,
    a page by its file and text, a ticker item by its place and text."""
    feed = Article("Nieuws", "https://nos.nl/1", 0, (), source="NOS", guid="nos-1")
    first, edited = page(str(tmp_path / "a.txt")), page(str(tmp_path / "a.txt"), text="Anders.")
    dateline = Dateline("KYIV", ("ANP",))
    ticker = CorpusTickerItem(dateline, "Drie doden.", None, (Sighting("b.txt", 4, None),))
    items = [feed, edited, first, ticker]
    assert find_item(feed_key("nos-1"), items) is feed
    assert find_item(article_key(first), items) is first
    assert find_item(ticker_key(ticker), items) is ticker
    assert find_item(feed_key("gone"), items) is None
    assert find_item(article_key(page(str(tmp_path / "b.txt"))), items) is None
