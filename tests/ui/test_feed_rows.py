"""A large feed store in the reader (#15): the list holds light rows (FeedRow, no paragraphs)
and what shows an article reads it in full from the store (Pilot, no network)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from textual.pilot import Pilot

from reader.feeds.feed_row import FeedRow
from reader.feeds.items import Block, FeedItem
from reader.feeds.store import FeedStore
from reader.highlight.claims import Claim
from reader.model import Article, ParagraphKind
from reader.ui.app import ReaderApp, build_app
from reader.ui.row_list import RowList
from reader.ui.rows import article_row
from reader.ui.screens import ListScreen
from tests.conftest import SEEDS
from tests.ui.test_feed_sources import keep_days
from tests.ui.test_feeds import server as server  # a fixture
from tests.ui.test_feeds import settled

FEED = "https://example.org/feed.xml"
OTHER = "https://example.org/ander.xml"


def story(n: int, published: datetime, extra: str = "") -> FeedItem:
    blocks = (
        Block(ParagraphKind.BODY, f"Volgens de politie raakten {n + 2} mensen gewond.{extra}"),
        Block(ParagraphKind.SUBHEADING, "Reacties"),
        Block(ParagraphKind.BODY, f"Alinea twee van bericht {n}."),
    )
    return FeedItem(
        f"g{n}", f"Bericht {n} over de dijk", f"https://example.org/{n}", published, blocks
    )


def store_stories(count: int = 30) -> list[FeedItem]:
    keep_days(36500)
    now = datetime.now(UTC) - timedelta(hours=1)
    stories = [story(n, now - timedelta(minutes=n)) for n in range(count)]
    with FeedStore.open() as store:
        store.save(FEED, "Voorbeeld", stories[1:], fetched_at=now)
        store.save(OTHER, "Krant van Zeeland", stories[:1], fetched_at=now)
    return stories


@asynccontextmanager
async def reader() -> AsyncIterator[tuple[ReaderApp, Pilot[int]]]:
    app = build_app([SEEDS], feeds=True, samples_until_feeds=True)
    async with app.run_test(size=(130, 36), notifications=True) as pilot:
        await settled(pilot)
        yield app, pilot


async def test_the_list_holds_rows_and_the_pane_shows_the_article_in_full() -> None:
    store_stories()
    async with reader() as (app, pilot):
        rows = app.articles.items
        assert len(rows) == 30 and all(isinstance(row, FeedRow) for row in rows)
        assert all(row.paragraphs == () for row in rows)
        newest = app.articles.highlighted
        assert isinstance(newest, FeedRow) and newest.guid == "g0"
        shown = app.reader.shown
        assert isinstance(shown, Article) and not isinstance(shown, FeedRow)
        assert shown.guid == "g0" and len(shown.paragraphs) == 3
        assert "Volgens de politie raakten 2 mensen gewond." in app.reader.text
        assert "2¶" in article_row(newest, 100).plain  # counted by the store: no subheading
        await pilot.press("j")
        await pilot.pause()
        assert app.articles.highlighted is rows[1]
        assert "Alinea twee van bericht 1." in app.reader.text
        assert app.shows(rows[1])
        await pilot.press("n")  # the next article: from the row the pane shows, on
        await pilot.pause()
        assert app.articles.highlighted is rows[2]
        assert "Alinea twee van bericht 2." in app.reader.text


async def test_the_filter_goes_over_every_row_by_title_and_source() -> None:
    store_stories()
    async with reader() as (app, pilot):
        await pilot.press("slash", *"bericht 2")
        await pilot.pause()
        titles = {row.title for row in app.articles.visible_items}
        assert titles == {f"Bericht {n} over de dijk" for n in (2, *range(20, 30))}
        await pilot.press("escape")
        await pilot.press("slash", *"ander.xml")  # the source: its feed has no title yet
        await pilot.pause()
        assert [row.guid for row in app.articles.visible_items] == ["g0"]
        await pilot.press("enter")
        await pilot.pause()
        assert "Alinea twee van bericht 0." in app.reader.text


async def test_claims_over_the_rows_listed_read_their_text_and_open_their_row() -> None:
    store_stories(5)
    async with reader() as (app, pilot):
        await pilot.press("C")
        await settled(pilot)
        assert isinstance(app.screen, ListScreen)
        rows = app.screen.query_one(RowList).items
        claims = [row for row in rows if isinstance(row, Claim)]
        assert {claim.article.guid for claim in claims} == {f"g{n}" for n in range(5)}
        chosen = next(c for c in claims if c.article.guid == "g3")
        app.screen.query_one(RowList).cursor = list(rows).index(chosen)
        await pilot.press("enter")
        await pilot.pause()
        highlighted = app.articles.highlighted
        assert isinstance(highlighted, FeedRow) and highlighted.guid == "g3"
        assert app.reader.shown is chosen.article and app.shows(highlighted)
        await pilot.press("n")
        await pilot.pause()
        assert app.articles.highlighted.guid == "g4"  # type: ignore[union-attr]


async def test_a_text_changed_in_the_store_shows_changed_after_a_refresh(server: object) -> None:
    stories = store_stories(5)
    async with reader() as (app, pilot):
        await pilot.press("j", "j")
        await pilot.pause()
        assert "raakten 4 mensen gewond.\n" in app.reader.text + "\n"
        with FeedStore.open() as store:  # another nieuwslezer stores a correction: text only
            corrected = story(2, stories[2].published or datetime.now(UTC), " Eén is overleden.")
            store.save(FEED, "Voorbeeld", [corrected])
        await pilot.press("R")
        await settled(pilot)
        highlighted = app.articles.highlighted
        assert isinstance(highlighted, FeedRow) and highlighted.guid == "g2"
        assert "Eén is overleden." in app.reader.text


async def test_the_first_frame_shows_the_newest_stored_article_in_full() -> None:
    """Before the worker that reads the feeds has run (it is kept from running here)."""
    store_stories()
    app = build_app([SEEDS], feeds=True, samples_until_feeds=True)
    app.open_feeds = lambda: None  # type: ignore[method-assign]
    async with app.run_test(size=(130, 36)) as pilot:
        await pilot.pause()
        assert not app._feeds_opened
        assert [row.guid for row in app.feed_articles][:3] == ["g0", "g1", "g2"]
        assert app.articles.highlighted is app.feed_articles[0]
        assert "Volgens de politie raakten 2 mensen gewond." in app.reader.text
        await pilot.press("j")  # the store is not open yet: read as the first rows were
        await pilot.pause()
        assert "Alinea twee van bericht 1." in app.reader.text


async def test_the_newest_unread_stored_article_shows_before_the_store_and_library_open() -> None:
    """The newest two are read: the peeked rows' read marks, peeked at too, land on the third
    right after the first frame; the list read from the store keeps the cursor on it."""
    from reader.library.state import Library

    store_stories()
    with Library.open() as library:
        library.mark_read(["feed:g0", "feed:g1"])
    app = build_app([SEEDS], feeds=True, samples_until_feeds=True)
    app.open_feeds = lambda: None  # type: ignore[method-assign]
    app.open_library = lambda: None  # type: ignore[method-assign]
    async with app.run_test(size=(130, 36)) as pilot:
        await pilot.pause()
        assert app.library is None and not app._feeds_opened
        highlighted = app.articles.highlighted
        assert isinstance(highlighted, FeedRow) and highlighted.guid == "g2"
        assert "Volgens de politie raakten 4 mensen gewond." in app.reader.text
        ReaderApp.open_feeds(app)
        ReaderApp.open_library(app)
        await settled(pilot)
        await pilot.pause()
        highlighted = app.articles.highlighted
        assert isinstance(highlighted, FeedRow) and highlighted.guid == "g2"
        assert app.articles.cursor == 2
        assert "Volgens de politie raakten 4 mensen gewond." in app.reader.text
