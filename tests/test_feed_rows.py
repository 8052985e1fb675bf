"""The light rows the reader lists a large store by (FeedRow: no paragraphs), and the articles
in full read back by guid (FeedStore.articles_of) (#15: 100,000 stored articles in memory)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reader.feeds import peek
from reader.feeds.feed_row import FeedRow
from reader.feeds.items import Block, FeedItem
from reader.feeds.peek import newest_rows, stored_article
from reader.feeds.store import STORE_FILE, FeedStore
from reader.model import Link, ParagraphKind
from reader.ui.feed_reading import FullArticles, in_full
from reader.ui.rows import paragraph_count

FEED = "https://example.org/feed.xml"
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def stored_items() -> list[FeedItem]:
    """Items whose texts hold what could pass for the JSON of a block: a quote, brackets and
    the word subheading in quotes; subheadings at the start, in the middle and at the end."""
    tricky = 'Hij zei: ["subheading", "Kop"] en "subheading" is geen kop.'
    return [
        FeedItem(
            "a",
            "Kabinet trekt 2,5 miljard euro uit",
            "https://example.org/a",
            NOW,
            (
                Block(ParagraphKind.SUBHEADING, "Vooraf"),
                Block(ParagraphKind.BODY, tricky),
                Block(ParagraphKind.BODY, "Tweede", (Link("de NOS", "https://nos.nl/1"),)),
                Block(ParagraphKind.SUBHEADING, "Reacties"),
                Block(ParagraphKind.BODY, "Derde."),
                Block(ParagraphKind.SUBHEADING, "Tot slot"),
            ),
        ),
        FeedItem("b", "Zonder tekst", None, NOW - timedelta(hours=1), ()),
        FeedItem(
            "c",
            "Ongedateerd",
            "https://example.org/c",
            None,
            (Block(ParagraphKind.BODY, "Eén alinea."),),
            cut=True,
        ),
    ]


def store_of(tmp_path: Path) -> FeedStore:
    store = FeedStore.open(tmp_path / "feeds.sqlite3")
    store.save(FEED, "Voorbeeld", stored_items(), fetched_at=NOW + timedelta(hours=1))
    return store


def test_light_rows_are_the_articles_without_their_paragraphs(tmp_path: Path) -> None:
    with store_of(tmp_path) as store:
        names = {FEED: "Voorbeeld (1)"}
        full = store.articles(names=names)
        rows = store.articles(names=names, light=True)
    assert [type(row) for row in rows] == [FeedRow] * 3
    assert all(row.paragraphs == () for row in rows)
    columns = ("guid", "title", "file", "link", "source", "published", "fetched", "cut", "feed")
    for row, article in zip(rows, full, strict=True):
        assert [getattr(row, c) for c in columns] == [getattr(article, c) for c in columns]
        assert row.sort_time == article.sort_time
        # What the row shows: the paragraphs that are no subheadings, counted by SQLite.
        assert paragraph_count(row) == paragraph_count(article)
    assert {row.guid: paragraph_count(row) for row in rows} == {"a": 3, "b": 0, "c": 1}


def test_the_articles_of_light_rows_are_read_in_full_by_guid(tmp_path: Path) -> None:
    with store_of(tmp_path) as store:
        full = {article.guid: article for article in store.articles()}
        assert store.articles_of(["c", "gone", "a"]) == [full["c"], full["a"]]
        many = [f"x{n}" for n in range(1200)]  # more than one query's worth of guids
        assert store.articles_of([*many, "b"]) == [full["b"]]


def test_light_rows_come_in_batches_as_articles_do(tmp_path: Path) -> None:
    with store_of(tmp_path) as store:
        batches = list(store.iter_articles(batch_size=2, light=True))
        assert [len(batch) for batch in batches] == [2, 1]
        assert [row for batch in batches for row in batch] == store.articles(light=True)


def test_the_full_articles_of_rows_are_kept_and_read_again_when_the_row_changed(
    tmp_path: Path,
) -> None:
    with store_of(tmp_path) as store:
        rows = store.articles(light=True)
        full = FullArticles(size=2)
        assert rows[0].guid == "c"  # undated: as of when it was fetched, the newest
        first = full.of(rows[1], store)
        assert first == store.articles()[1]
        assert full.of(rows[1], store) is first  # kept: the same object
        # The story changed in place: its row read again differs, and so does its text.
        changed = stored_items()[0]
        changed = FeedItem(changed.guid, changed.title, changed.link, changed.published, ())
        store.save(FEED, "Voorbeeld", [changed], fetched_at=NOW + timedelta(hours=2))
        again = store.articles(light=True)[1]
        assert (again.guid, again.title) == ("a", rows[1].title)
        assert again != rows[1]
        assert full.of(again, store).paragraphs == ()
        # Only the last `size` are kept: the first shown again is read again.
        kept = full.of(rows[0], store)
        full.of(rows[2], store)
        full.of(again, store)
        assert full.of(rows[0], store) is not kept
        # Anything else is itself; a row the store no longer has stays a row.
        assert full.of("ticker item", store) == "ticker item"
        gone = FeedRow("Weg", "https://example.org/weg", 0, (), guid="weg", feed=FEED)
        assert full.of(gone, store) is gone
        assert in_full([gone, rows[2]], store) == [gone, store.articles()[2]]


def test_the_newest_rows_are_read_at_once_without_writing(tmp_path: Path) -> None:
    with store_of(tmp_path) as store:
        expected = store.articles(light=True)[:2]
        newest_full = store.articles()[0]
    path = tmp_path / "feeds.sqlite3"
    before = path.read_bytes()
    rows, newest = newest_rows(2, path)
    assert rows == expected and newest == newest_full
    assert path.read_bytes() == before
    assert STORE_FILE == peek.STORE_FILE


def test_the_newest_rows_of_no_store_or_an_unusual_one_are_none(tmp_path: Path) -> None:
    assert newest_rows(5, tmp_path / "none.sqlite3") == ([], None)
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    assert newest_rows(5, garbage) == ([], None)
    store_of(tmp_path).close()
    path = tmp_path / "feeds.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 99")  # from a newer nieuwslezer
    connection.close()
    assert newest_rows(5, path) == ([], None)
    assert newest_rows(5, tmp_path) == ([], None)  # a folder


def test_an_article_is_read_in_full_before_the_store_is_opened(tmp_path: Path) -> None:
    with store_of(tmp_path) as store:
        full = {article.guid: article for article in store.articles()}
    path = tmp_path / "feeds.sqlite3"
    assert stored_article("a", path) == full["a"]
    assert stored_article("gone", path) is None
    assert stored_article("a", tmp_path / "none.sqlite3") is None


def test_a_row_is_a_value_of_all_its_fields() -> None:
    """FeedRow compares, hashes and is copied by Article's fields and its own: renamed (its
    feed's name changed), a row keeps its paragraph count and when it changed."""
    row = FeedRow(*("t", "f", 0, ()), source="s", guid="g", paragraph_count=3, changed=1.0)
    renamed = replace(row, source="anders")
    assert isinstance(renamed, FeedRow)
    assert (renamed.source, renamed.paragraph_count, renamed.changed) == ("anders", 3, 1.0)
    assert renamed != row and row == FeedRow(
        "t", "f", 0, (), "s", guid="g", paragraph_count=3, changed=1.0
    )
    assert row != replace(row, changed=2.0) and hash(row) != hash(replace(row, changed=2.0))


def test_a_row_whose_text_is_not_json_is_listed_with_no_paragraphs(tmp_path: Path) -> None:
    with store_of(tmp_path) as store:
        path = store.path
    connection = sqlite3.connect(path)
    connection.execute("UPDATE items SET blocks_json = '[[\"body\", \"half' WHERE guid = 'a'")
    connection.execute("UPDATE items SET blocks_json = '{\"a\": 1}' WHERE guid = 'b'")
    connection.commit()
    connection.close()
    with FeedStore.open(path) as store:
        rows = store.articles(light=True)
    assert {row.guid: paragraph_count(row) for row in rows} == {"a": 0, "b": 0, "c": 1}
