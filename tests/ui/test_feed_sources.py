"""Feeds told apart by address, a store shared with other readers, retention said aloud, and
the samples only until there are feed articles (Pilot, against tests/feed_server.py)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.feeds.items import Block, FeedItem
from reader.feeds.store import FeedStore
from reader.feeds.subscriptions import add_subscription
from reader.model import Article, ParagraphKind
from reader.ui.app import ReaderApp, build_app
from reader.ui.row_list import RowList
from reader.ui.screens import ListScreen
from reader.ui.sources import ALL_SOURCES, SourceChoice
from tests.conftest import SEEDS, nieuwslezer_command
from tests.feed_server import FeedServer, Route
from tests.ui.test_feeds import FEEDS, NOS, choose_source, settled
from tests.ui.test_feeds import server as server  # a fixture
from tests.ui.test_feeds import subscribed as subscribed  # a fixture


@asynccontextmanager
async def reader(**options: bool) -> AsyncIterator[tuple[ReaderApp, Pilot[int]]]:
    app = build_app([SEEDS], feeds=True, **options)
    async with app.run_test(size=(130, 36), notifications=True) as pilot:
        await settled(pilot)
        yield app, pilot


def messages(app: ReaderApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


def keep_days(days: int) -> None:
    config = Path(os.environ["NIEUWSLEZER_CONFIG_DIR"]) / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"[feeds]\nkeep_days = {days}\n", encoding="utf-8")


def item(guid: str, published: datetime) -> FeedItem:
    text = f"Het bericht {guid} telt 12 woorden."
    link = f"https://example.org/{guid}"
    return FeedItem(guid, f"Bericht {guid}", link, published, (Block(ParagraphKind.BODY, text),))


async def sources_rows(app: ReaderApp, pilot: Pilot[int]) -> list[SourceChoice]:
    await pilot.press("s")
    await pilot.pause()
    rows: list[SourceChoice] = list(app.screen.query_one(RowList).items)
    await pilot.press("escape")
    await pilot.pause()
    return rows


# -- retention said aloud (#12, point 2) ------------------------------------------------------


async def test_articles_removed_on_opening_under_a_shorter_keep_days_are_reported() -> None:
    now = datetime.now(UTC)
    with FeedStore.open() as store:
        old = [item(f"oud-{n}", now - timedelta(days=60)) for n in range(48)]
        store.save("https://example.org/feed.xml", "Voorbeeld", [*old, item("nieuw", now)])
    keep_days(30)
    async with reader() as (app, _):
        assert [a.title for a in app.feed_articles] == ["Bericht nieuw"]
        assert any("48 stored articles older than 30 days removed" in m for m in messages(app))


async def test_a_refresh_after_keep_days_was_shortened_reports_what_it_removed(
    subscribed: FeedServer,
) -> None:
    async with reader() as (app, pilot):
        stored = len(app.feed_articles)
        assert stored > 1
        keep_days(1)  # the fixtures are dated 2024: every stored article is older
        await pilot.press("R")
        await settled(pilot)
        assert app.feed_articles == []
        assert any(f"{stored} stored articles older than 1 day removed" in m for m in messages(app))


# -- two readers on one store (#12, point 3) --------------------------------------------------


async def test_R_shows_what_another_reader_stored_though_the_server_says_unchanged(
    subscribed: FeedServer,
) -> None:
    server = subscribed
    async with reader() as (app, pilot):
        wethouder = 'Wethouder: "Binnenstad blijft bereikbaar"'
        assert wethouder not in [a.title for a in app.feed_articles]
        # Another nieuwslezer (here `nieuwslezer refresh`) fetches the feed's next version
        # and stores it, with its ETag: to this reader's R, the server answers 304.
        server.add_file("/nos.xml", FEEDS / "rss2_double_escaped.xml", etag='"nos-2"')
        other = subprocess.run(
            [*nieuwslezer_command(), "refresh"], capture_output=True, text=True, timeout=60
        )
        assert "3 new of 3 items" in other.stdout, other.stderr
        await pilot.press("R")
        await settled(pilot)
        assert server.not_modified["/nos.xml"] == 1
        assert wethouder in [a.title for a in app.articles.items]
        with FeedStore.open() as store:
            assert len(app.feed_articles) == store.count()
        assert any("more articles from the store" in m for m in messages(app))


async def test_after_its_own_refresh_a_reader_shows_articles_stored_directly(
    subscribed: FeedServer,
) -> None:
    async with reader() as (app, pilot):
        with FeedStore.open() as store:
            store.save(subscribed.url("/nos.xml"), NOS, [item("elders", datetime.now(UTC))])
        await choose_source(app, pilot, NOS)
        await pilot.press("r")
        await settled(pilot)
        assert "Bericht elders" in [a.title for a in app.articles.visible_items]


async def test_R_refreshes_a_feed_added_from_another_terminal(subscribed: FeedServer) -> None:
    server = subscribed
    async with reader() as (app, pilot):
        add_subscription(server.add_file("/zeeland.xml", FEEDS / "rss2_cp1252.xml"))
        await pilot.press("R")
        await settled(pilot)
        assert server.hits["/zeeland.xml"] == 1
        assert server.url("/zeeland.xml") in {a.feed for a in app.feed_articles}
        rows = await sources_rows(app, pilot)
        assert server.url("/zeeland.xml") in {row.feed for row in rows}


async def test_R_with_no_feeds_at_start_reads_the_subscriptions_again(
    server: FeedServer,
) -> None:
    keep_days(36500)
    async with reader() as (app, pilot):
        assert not app.feeds_active
        add_subscription(server.add_file("/nos.xml", FEEDS / "rss2_full.xml"))
        await pilot.press("R")
        await settled(pilot)
        assert server.hits["/nos.xml"] == 1
        assert app.feeds_active
        assert NOS in {a.source for a in app.articles.items}


# -- feeds told apart by address (#12, point 5) ----------------------------------------------


@pytest.fixture
def twins(server: FeedServer) -> FeedServer:
    """Two feeds the user named alike: one works, one answers 404."""
    add_subscription(server.add_file("/a.xml", FEEDS / "rss2_full.xml"), title="NOS Nieuws")
    add_subscription(server.add("/b.xml", Route(status=404)), title="NOS Nieuws")
    keep_days(36500)
    return server


async def test_two_feeds_of_one_title_are_two_sources(twins: FeedServer) -> None:
    server = twins
    a, b = server.url("/a.xml"), server.url("/b.xml")
    async with reader() as (app, pilot):
        rows = {row.feed: row for row in await sources_rows(app, pilot)}
        assert {a, b} <= rows.keys()
        assert rows[a].label != rows[b].label  # told apart where they are listed
        assert rows[a].articles == 4 and rows[a].note == ""
        assert rows[b].articles == 0 and "HTTP 404" in rows[b].note
        await choose_source(app, pilot, rows[a].label)
        assert app.chosen_feed == a
        assert {article.feed for article in app.articles.items} == {a}
        await pilot.press("r")
        await settled(pilot)
        assert (server.hits["/a.xml"], server.hits["/b.xml"]) == (2, 1)
        assert messages(app)[-1].startswith(f"{rows[a].label}: ")  # named as listed
        await choose_source(app, pilot, rows[b].label)
        assert app.articles.items == []
        assert "HTTP 404 Not Found" in app.reader.text


async def test_r_on_an_article_refreshes_its_own_feed_only(twins: FeedServer) -> None:
    server = twins
    async with reader() as (app, pilot):
        shown = app.reader.shown
        assert isinstance(shown, Article) and shown.feed == server.url("/a.xml")
        await pilot.press("r")
        await settled(pilot)
        assert (server.hits["/a.xml"], server.hits["/b.xml"]) == (2, 1)


# -- the samples until there are feed articles (#12, point 19) -------------------------------


async def test_the_samples_make_way_for_stored_feed_articles(subscribed: FeedServer) -> None:
    async with reader(samples_until_feeds=True) as (app, pilot):
        assert app.feed_articles
        assert all(article.feed is not None for article in app.articles.items)
        assert app.ticker.items == []
        assert "0 ticker items" in app.sub_title
        ticker_pane, articles_pane = app.query_one("#ticker-pane"), app.query_one("#articles-pane")
        assert not ticker_pane.display, "an empty ticker pane would halve the article list"
        assert articles_pane.outer_size.height == app.query_one("#lists").size.height
        assert isinstance(app.reader.shown, Article) and app.reader.shown.feed is not None
        assert "Saved pages" not in [row.label for row in await sources_rows(app, pilot)]
        await pilot.press("C")
        await settled(pilot)
        assert isinstance(app.screen, ListScreen)
        claims = [row for row in app.screen.query_one(RowList).items if not isinstance(row, str)]
        assert claims and all(claim.article.feed is not None for claim in claims)


async def test_without_feed_articles_the_samples_show(server: FeedServer) -> None:
    async with reader(samples_until_feeds=True) as (app, _):
        assert len(app.articles.items) == 5
        assert app.ticker.items


def test_the_command_line_shows_the_samples_until_there_are_feeds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reader import cli
    from reader.commands import read

    calls: list[dict[str, object]] = []

    def run_reader(paths: list[Path], *args: object, **options: object) -> int:
        calls.append({"paths": paths, **options})
        return 0

    monkeypatch.setattr("reader.ui.app.run_reader", run_reader)
    monkeypatch.setattr(read, "_not_a_terminal", lambda: None)
    page = str(sorted(SEEDS.glob("*.txt"))[0])
    assert cli.main([]) == cli.main(["--samples"]) == cli.main([page]) == 0
    plain, samples, with_path = calls
    assert (plain["feeds"], plain["samples_until_feeds"]) == (True, True)
    assert (samples["feeds"], samples["samples_until_feeds"]) == (True, False)
    assert (with_path["feeds"], with_path["samples_until_feeds"]) == (False, False)


# -- review of #12 ---------------------------------------------------------------------------


async def test_starting_a_refresh_never_describes_the_articles_shown(
    subscribed: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker without a description is described by repr() of its arguments, on the UI
    thread: with 100,000 articles shown every r and R froze the screen for a second."""
    described: list[str] = []

    def counted(article: Article) -> str:
        described.append(article.title)
        return "Article(…)"

    async with reader() as (app, pilot):
        assert app.feed_articles
        monkeypatch.setattr(Article, "__repr__", counted)
        await pilot.press("R")
        await settled(pilot)
        await pilot.press("r")
        await settled(pilot)
        assert subscribed.hits["/nos.xml"] >= 2
    assert described == []


def long_item(guid: str, published: datetime, title: str) -> FeedItem:
    blocks = tuple(Block(ParagraphKind.BODY, f"Alinea {n} van {guid}.") for n in range(80))
    return FeedItem(guid, title, f"https://example.org/{guid}", published, blocks)


async def test_an_article_corrected_in_the_store_is_shown_corrected_in_its_place(
    server: FeedServer,
) -> None:
    """Stored hours ago, corrected now by another nieuwslezer: R shows the correction where
    the article was, the cursor and the reading position kept."""
    keep_days(36500)
    feed = "https://example.org/feed.xml"
    hours_ago = datetime.now(UTC) - timedelta(hours=3)
    stories = [long_item(f"b{n}", hours_ago - timedelta(minutes=n), f"Kop {n}") for n in range(6)]
    with FeedStore.open() as store:
        store.save(feed, "Voorbeeld", stories, fetched_at=hours_ago)
    async with reader() as (app, pilot):
        reading = next(a for a in app.articles.items if a.guid == "b2")
        app.articles.select_item(reading)
        await pilot.pause()
        assert app.shows(reading)
        app.reader.scroll_to(y=12, animate=False, immediate=True)
        await pilot.pause()
        assert app.reader.scroll_y == 12
        with FeedStore.open() as store:
            corrected = replace(stories[2], title="Kop 2, verbeterd")
            store.save(
                feed, "Voorbeeld", [corrected, long_item("nieuw", datetime.now(UTC), "Nieuw")]
            )
        await pilot.press("R")
        await settled(pilot)
        assert [a.title for a in app.articles.items][:4] == [
            "Nieuw",
            "Kop 0",
            "Kop 1",
            "Kop 2, verbeterd",
        ]
        highlighted = app.articles.highlighted
        assert isinstance(highlighted, Article)
        assert (highlighted.guid, highlighted.title) == ("b2", "Kop 2, verbeterd")
        assert app.shows(highlighted)
        assert "Kop 2, verbeterd" in app.reader.text
        assert app.reader.scroll_y == 12


@pytest.fixture
def namesakes(server: FeedServer) -> tuple[str, str]:
    """Two feeds titled alike, both with stored articles; only the first still subscribed."""
    body = (FEEDS / "rss2_full.xml").read_bytes()
    body = body.replace(b"nos-25310", b"tweede-25310").replace(b"/artikel/", b"/tweede/")
    kept, removed = server.add_file("/nos.xml", FEEDS / "rss2_full.xml"), server.url("/oud.xml")
    server.add("/oud.xml", Route(body))
    keep_days(36500)
    from reader.feeds.refresh import refresh_feeds
    from reader.feeds.settings import FeedSettings
    from reader.feeds.subscriptions import Subscription

    with FeedStore.open() as store:
        settings = FeedSettings(keep_days=36500)
        list(refresh_feeds([Subscription(kept), Subscription(removed)], store, settings))
    add_subscription(kept)  # the other was unsubscribed: its articles stay until too old
    return kept, removed


async def test_a_feed_unsubscribed_keeps_a_name_of_its_own_beside_its_namesake(
    namesakes: tuple[str, str],
) -> None:
    kept, removed = namesakes
    async with reader() as (app, pilot):
        for step in ("opened", "refreshed"):
            sources = {article.feed: article.source for article in app.feed_articles}
            assert sources[kept] == NOS, step
            assert sources[removed] == f"{NOS} ({removed.partition('://')[2]})", step
            rows = {row.feed: row.label for row in await sources_rows(app, pilot)}
            assert rows[removed] == sources[removed], step
            await pilot.press("R")
            await settled(pilot)


async def test_a_feed_unsubscribed_is_listed_only_while_it_has_articles(
    subscribed: FeedServer,
) -> None:
    from reader.feeds.subscriptions import remove_subscription

    gone, nos = subscribed.url("/gone.xml"), subscribed.url("/nos.xml")
    async with reader() as (app, pilot):
        assert {gone, nos} <= {row.feed for row in await sources_rows(app, pilot)}
        remove_subscription(gone)  # from another terminal; it never gave an article
        remove_subscription(nos)  # its articles are stored
        await pilot.press("R")
        await settled(pilot)
        listed = {row.feed for row in await sources_rows(app, pilot)}
        assert gone not in listed
        assert nos in listed


async def test_saved_pages_chosen_make_way_for_all_sources_once_feed_articles_arrive(
    server: FeedServer,
) -> None:
    keep_days(36500)
    add_subscription(server.add("/later.xml", Route(status=503)))  # nothing yet
    async with reader(samples_until_feeds=True) as (app, pilot):
        await choose_source(app, pilot, "Saved pages")
        assert len(app.articles.items) == 5
        server.add_file("/later.xml", FEEDS / "rss2_full.xml")
        await pilot.press("R")
        await settled(pilot)
        assert app.articles.items and all(a.feed for a in app.articles.items)
        assert app.source == ALL_SOURCES
        assert any("sample pages are hidden" in m for m in messages(app))
        shown = app.reader.shown
        assert isinstance(shown, Article) and shown.feed is not None
        hits = server.hits["/later.xml"]
        await pilot.press("r")  # the feed of the article on show
        await settled(pilot)
        assert server.hits["/later.xml"] == hits + 1
        # Saved pages chosen with none to show: nothing to refresh there, and r is not offered.
        app.chosen_feed = None
        app._show_articles()
        assert app.articles.items == []
        assert "r refreshes" not in app._nothing_to_read()
