"""Feeds in the reader (Pilot): refresh on start, r and R, the sources screen, o, and errors.

A real HTTP server on 127.0.0.1 serves the feed fixtures; the subscriptions, config and store
live in the test's private folders (tests/conftest.py)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.browser import Browser
from reader.feeds.store import FeedStore, default_store_path
from reader.feeds.subscriptions import add_subscription
from reader.model import Article
from reader.ui.app import ReaderApp, build_app
from reader.ui.feeds import ALL_SOURCES, SourceChoice
from reader.ui.row_list import RowList
from reader.ui.screens import ListScreen
from tests.conftest import SEEDS
from tests.feed_server import FeedServer, Route

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
NOS = "NOS Nieuws - Algemeen"  # the channel title of rss2_full.xml


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


@pytest.fixture
def subscribed(server: FeedServer) -> FeedServer:
    """NOS (full text, with an ETag), an Atom feed, a feed that answers 404 and one whose
    XML breaks off after its first item."""
    add_subscription(server.add_file("/nos.xml", FEEDS / "rss2_full.xml", etag='"nos-1"'))
    add_subscription(server.add_file("/atom.xml", FEEDS / "atom.xml", etag='"atom-1"'))
    add_subscription(server.add("/gone.xml", Route(status=404)))
    add_subscription(server.add_file("/broken.xml", FEEDS / "malformed.xml"))
    # The fixtures are dated 2024: keep them, whatever today is.
    config = Path(os.environ["NIEUWSLEZER_CONFIG_DIR"]) / "config.toml"
    config.write_text("[feeds]\nkeep_days = 36500\n", encoding="utf-8")
    return server


async def settled(pilot: Pilot[int]) -> None:
    """Wait for every worker, including those the first ones started (the refresh)."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


@asynccontextmanager
async def feed_reader(
    size: tuple[int, int] = (130, 36),
) -> AsyncIterator[tuple[ReaderApp, Pilot[int]]]:
    app = build_app([SEEDS], feeds=True)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settled(pilot)
        yield app, pilot


def titles(app: ReaderApp) -> list[str]:
    return [article.title for article in app.articles.visible_items]


def feed_sources(app: ReaderApp) -> set[str | None]:
    return {article.source for article in app.articles.visible_items}


async def test_refresh_on_start_brings_the_feeds_beside_the_samples(subscribed: FeedServer) -> None:
    async with feed_reader() as (app, _):
        sources = feed_sources(app)
        assert NOS in sources
        assert None in sources  # the sample pages are still there
        assert "Kabinet trekt 2,5 miljard euro extra uit voor woningbouw" in titles(app)
        feed_articles = [a for a in app.articles.visible_items if a.source is not None]
        dates = [a.published for a in feed_articles if a.published is not None]
        assert dates == sorted(dates, reverse=True)  # newest first
        assert app.articles.visible_items[: len(feed_articles)] == feed_articles
        assert str(len(app.articles.items)) in app.sub_title
        with FeedStore.open() as store:
            assert store.count() == len(feed_articles)


async def test_a_failing_feed_is_a_diagnostic_not_a_crash(subscribed: FeedServer) -> None:
    async with feed_reader() as (app, pilot):
        assert any("failed" in str(n.message) for n in app._notifications)
        await pilot.press("d")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ListScreen)
        rows = screen.query_one(RowList)
        failures = [d for d in rows.items if d.file.endswith("/gone.xml")]
        assert len(failures) == 1
        assert "HTTP 404 Not Found" in failures[0].message
        assert failures[0].severity == "error"
        # A feed read in part is a warning, and its item is there all the same.
        broken = [d for d in rows.items if d.file.endswith("/broken.xml")]
        assert [d.severity for d in broken] == ["warning", "warning"]
        assert "malformed XML" in broken[0].message
        assert "Omroep Zeeland - Nieuws" in feed_sources(app)


async def choose_source(app: ReaderApp, pilot: Pilot[int], label: str) -> None:
    await pilot.press("s")
    await pilot.pause()
    rows: RowList[SourceChoice] = app.screen.query_one(RowList)
    rows.cursor = [choice.label for choice in rows.items].index(label)
    await pilot.press("enter")
    await pilot.pause()


async def test_the_sources_screen_shows_one_source_at_a_time(subscribed: FeedServer) -> None:
    async with feed_reader() as (app, pilot):
        everything = len(app.articles.items)
        await choose_source(app, pilot, NOS)
        assert feed_sources(app) == {NOS}
        assert app.source == NOS
        assert NOS in str(app.query_one("#articles-pane").border_title)
        # The reading pane shows the article of one of the rows listed, in full.
        assert any(app.shows(row) for row in app.articles.visible_items)
        await choose_source(app, pilot, "Saved pages")
        assert feed_sources(app) == {None}
        await choose_source(app, pilot, "All sources")
        assert app.source == ALL_SOURCES
        assert len(app.articles.items) == everything


async def test_r_refreshes_the_source_on_show_and_R_every_feed(subscribed: FeedServer) -> None:
    server = subscribed
    async with feed_reader() as (app, pilot):
        assert server.hits["/nos.xml"] == server.hits["/atom.xml"] == 1
        await choose_source(app, pilot, NOS)
        await pilot.press("r")
        await settled(pilot)
        assert server.hits["/nos.xml"] == 2
        assert server.not_modified["/nos.xml"] == 1  # the ETag was sent back: unchanged
        assert server.hits["/atom.xml"] == 1
        assert any("unchanged" in str(n.message) for n in app._notifications)
        await pilot.press("R")
        await settled(pilot)
        assert server.hits["/nos.xml"] == 3
        assert server.hits["/atom.xml"] == 2
        assert server.hits["/gone.xml"] == 3 - 1  # on start and on R


async def test_r_on_a_sample_page_explains_instead_of_fetching(subscribed: FeedServer) -> None:
    server = subscribed
    async with feed_reader() as (app, pilot):
        await choose_source(app, pilot, "Saved pages")
        hits = sum(server.hits.values())
        await pilot.press("r")
        await settled(pilot)
        assert sum(server.hits.values()) == hits
        assert any("R to refresh" in str(n.message) for n in app._notifications)


async def o_on_a_feed_article(app: ReaderApp, pilot: Pilot[int]) -> Article:
    """`o` pressed on an article of the feed NOS, which has a link; that article."""
    await choose_source(app, pilot, NOS)
    shown = app.reader.shown
    assert isinstance(shown, Article) and shown.link
    await pilot.press("o")
    return shown


async def test_o_opens_the_article_link_in_a_browser(
    subscribed: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    browser = Browser(("firefox",), in_terminal=False)
    monkeypatch.setattr("reader.browser.choose_browser", lambda terminal: browser)
    monkeypatch.setattr("reader.browser.start_detached", lambda browser, url: opened.append(url))
    async with feed_reader() as (app, pilot):
        shown = await o_on_a_feed_article(app, pilot)
        await settled(pilot)
        assert opened == [shown.link]


async def test_o_in_the_web_mode_opens_the_link_in_the_readers_browser(
    subscribed: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under `nieuwslezer serve` the page's browser opens it (a new tab), not a browser of
    the machine serving, which the user may not even sit at."""
    opened: list[tuple[str, bool]] = []
    monkeypatch.setattr(ReaderApp, "is_web", property(lambda app: True))
    monkeypatch.setattr(
        ReaderApp, "open_url", lambda app, url, *, new_tab=True: opened.append((url, new_tab))
    )
    monkeypatch.setattr("reader.browser.choose_browser", lambda terminal: pytest.fail("local"))
    async with feed_reader() as (app, pilot):
        shown = await o_on_a_feed_article(app, pilot)
        await pilot.pause()
        assert opened == [(shown.link, True)]


async def test_o_without_a_display_copies_the_link_instead(
    subscribed: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reader.browser.choose_browser", lambda terminal: None)
    async with feed_reader() as (app, pilot):
        shown = await o_on_a_feed_article(app, pilot)
        await pilot.pause()
        assert app.clipboard == shown.link
        assert any("copied" in str(n.message) for n in app._notifications)


async def test_markup_in_a_feed_article_stays_text(subscribed: FeedServer) -> None:
    async with feed_reader() as (app, pilot):
        hostile = next(a for a in app.articles.items if "[@click=app.quit]" in a.title)
        app.articles.select_item(hostile)
        await pilot.pause()
        assert "[@click=app.quit]" in app.reader.text
        assert app.is_running


async def test_without_subscriptions_the_reader_is_as_it_was(server: FeedServer) -> None:
    async with feed_reader() as (app, pilot):
        assert feed_sources(app) == {None}
        assert not default_store_path().exists()  # nothing created, nothing fetched
        assert sum(server.hits.values()) == 0
        assert not app.feeds_active
        await pilot.press("s")
        await pilot.pause()
        assert not isinstance(app.screen, ListScreen)


async def test_a_feed_that_never_answered_can_be_chosen_and_refreshed(
    subscribed: FeedServer,
) -> None:
    server = subscribed
    gone = server.url("/gone.xml")
    async with feed_reader() as (app, pilot):
        await choose_source(app, pilot, gone)  # no title yet: named by its address
        assert app.articles.items == []
        assert "HTTP 404 Not Found" in app.reader.text  # why it is empty
        await pilot.press("r")
        await settled(pilot)
        assert server.hits["/gone.xml"] == 2
        assert server.hits["/nos.xml"] == 1


async def test_claims_over_one_source(subscribed: FeedServer) -> None:
    async with feed_reader() as (app, pilot):
        await choose_source(app, pilot, NOS)
        await pilot.press("C")
        await settled(pilot)
        assert isinstance(app.screen, ListScreen)
        assert NOS in str(app.screen.query_one(".list-box").border_title)
        claims = [row for row in app.screen.query_one(RowList).items if not isinstance(row, str)]
        assert claims, "the NOS articles hold numbers"
        assert {claim.article.source for claim in claims} == {NOS}


async def test_the_newest_feed_article_opens_first(subscribed: FeedServer) -> None:
    async with feed_reader() as (app, _):
        assert app.articles.cursor == 0
        newest = app.articles.highlighted
        assert isinstance(newest, Article) and newest.source is not None
        assert app.shows(newest)


async def test_one_refresh_at_a_time(subscribed: FeedServer) -> None:
    server = subscribed
    server.latency = 0.3
    app = build_app([SEEDS], feeds=True)
    async with app.run_test(size=(130, 36), notifications=True) as pilot:
        while app.refresh_progress is None:  # the refresh on start is under way
            await pilot.pause(0.02)
        await pilot.press("R", "R")
        await settled(pilot)
        assert any("under way" in str(n.message) for n in app._notifications)
        assert server.hits["/nos.xml"] == 1
        assert app.refresh_progress is None
        await pilot.press("R")  # and once it is over, the next one runs
        await settled(pilot)
        assert server.hits["/nos.xml"] == 2


async def test_quitting_during_a_refresh_does_not_wait_for_the_network(
    subscribed: FeedServer,
) -> None:
    import time

    server = subscribed
    server.add("/hangs.xml", Route(hang=True))
    add_subscription(server.url("/hangs.xml"))
    config = Path(os.environ["NIEUWSLEZER_CONFIG_DIR"]) / "config.toml"
    config.write_text("[feeds]\nkeep_days = 36500\ntimeout = 60\n", encoding="utf-8")
    app = build_app([SEEDS], feeds=True)
    async with app.run_test(size=(130, 36)) as pilot:
        while server.hits["/hangs.xml"] == 0:
            await pilot.pause(0.02)
        start = time.monotonic()
        await pilot.press("q")
    assert time.monotonic() - start < 2  # not the feed's 60 s time-out


async def test_a_refresh_that_fails_does_not_block_the_next(
    subscribed: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.feeds.refresh

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in refreshing")

    async with feed_reader() as (app, pilot):
        with monkeypatch.context() as patched:
            patched.setattr(reader.feeds.refresh, "refresh_feeds", broken)
            await pilot.press("R")
            await settled(pilot)
        assert app.refresh_progress is None
        assert any("a bug in refreshing" in str(n.message) for n in app._notifications)
        hits = subscribed.hits["/nos.xml"]
        await pilot.press("R")
        await settled(pilot)
        assert subscribed.hits["/nos.xml"] == hits + 1


async def test_new_articles_never_take_the_article_being_read_away(
    subscribed: FeedServer,
) -> None:
    server = subscribed
    async with feed_reader() as (app, pilot):
        reading = app.reader.shown
        assert isinstance(reading, Article) and reading.source is not None
        before = len(app.articles.items)
        server.add_file("/atom.xml", FEEDS / "rss2_double_escaped.xml")  # other stories
        await pilot.press("R")
        await settled(pilot)
        assert len(app.articles.items) > before
        assert app.reader.shown is reading
        assert app.shows(app.articles.highlighted)


async def test_an_article_the_feed_gives_no_text_for_says_so(subscribed: FeedServer) -> None:
    server = subscribed
    add_subscription(server.add_file("/ommen.xml", FEEDS / "rss091.xml"))
    async with feed_reader() as (app, pilot):
        empty = next(a for a in app.articles.items if a.source and not a.paragraphs)
        app.articles.select_item(empty)
        await pilot.pause()
        assert "The feed gives no text for this article; o opens it." in app.reader.text
