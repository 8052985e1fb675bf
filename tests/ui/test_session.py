"""Session restore (#15): quitting and starting again reopens where the user left off, by
identity; `--fresh` starts afresh; a session that cannot be used is a fresh start, said."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from reader.corpus import load_found
from reader.feeds.items import Block, FeedItem
from reader.feeds.store import FeedStore
from reader.library.keys import article_key
from reader.library.session import SESSION, Session, load_session, save_session
from reader.library.state import Library, LibraryError
from reader.model import Article, CorpusTickerItem, ParagraphKind
from reader.translate.service import TranslationService
from reader.ui.app import ReaderApp, build_app
from reader.ui.panes import FilterInput
from reader.ui.session import GONE, SCROLL_TRIES, SCROLL_WAIT
from reader.ui.sources import ALL_SOURCES, STARRED
from tests.conftest import SEEDS
from tests.translate_server import translate_server
from tests.ui.test_feeds import choose_source, settled
from tests.ui.test_translation import translator

NOS = "https://example.org/nos.xml"
RTL = "https://example.org/rtl.xml"


@asynccontextmanager
async def reader(
    paths: Sequence[Path] = (),
    *,
    restore: bool = True,
    feeds: bool = False,
    size: tuple[int, int] = (120, 30),
    translator: TranslationService | None = None,
) -> AsyncIterator[tuple[ReaderApp, Pilot[int]]]:
    app = build_app(list(paths), translator=translator, feeds=feeds, restore=restore)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settled(pilot)
        yield app, pilot


async def quit_reader(pilot: Pilot[int]) -> None:
    await pilot.press("q")
    await pilot.pause()


def messages(app: ReaderApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


def saved() -> Session | None:
    with Library.open() as library:
        return load_session(library).session


def write_pages(folder: Path, count: int, paragraphs: int = 40) -> Path:
    """`count` long pages of one article each (000.txt first)."""
    folder.mkdir(exist_ok=True)
    for page in range(count):
        body = [
            f"DEN HAAG (ANP) - Bericht {page}, alinea {index}: het kabinet neemt maatregelen."
            for index in range(paragraphs)
        ]
        (folder / f"{page:03}.txt").write_text(
            f"Kabinet besluit over zaak {page}\n" + "\n".join(body), encoding="utf-8"
        )
    return folder


def item(guid: str, published: datetime, words: str = "het kabinet") -> FeedItem:
    text = f"Het bericht {guid} over {words} telt 12 woorden."
    link = f"https://example.org/{guid}"
    return FeedItem(guid, f"Bericht {guid}", link, published, (Block(ParagraphKind.BODY, text),))


def store_items(feed: str, title: str, guids: Sequence[str], start: datetime) -> None:
    """Items newest first: the first guid published at `start`, each next an hour earlier."""
    items = [item(guid, start - timedelta(hours=n)) for n, guid in enumerate(guids)]
    with FeedStore.open() as store:
        store.save(feed, title, items)


def shown_title(app: ReaderApp) -> str | None:
    shown = app.reader.shown
    return shown.title if isinstance(shown, Article) else None


def slow_feeds(monkeypatch: pytest.MonkeyPatch) -> None:
    """The feeds read half a second late: after the library is open and the pages seen."""
    from reader.feeds import reading

    read_feeds = reading.read_feeds

    def slowly(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.5)
        return read_feeds(*args, **kwargs)

    monkeypatch.setattr(reading, "read_feeds", slowly)


# -- the whole session ------------------------------------------------------------------------


async def test_quitting_and_starting_again_reopens_the_article_scrolled_and_focused(
    tmp_path: Path,
) -> None:
    pages = write_pages(tmp_path / "pages", 5)
    async with reader([pages]) as (app, pilot):
        await pilot.press("j", "j", "enter")  # the third article, read in the reading pane
        await pilot.press("space", "space", "down")
        await pilot.pause()
        scrolled = app.reader.scroll_y
        assert scrolled > 10 and app.focused is app.reader
        title = shown_title(app)
        await quit_reader(pilot)
    assert title == "Kabinet besluit over zaak 2"
    async with reader([pages]) as (app, pilot):
        assert shown_title(app) == title
        assert app.articles.cursor == 2
        assert app.reader.scroll_y == scrolled
        assert app.focused is app.reader
        assert messages(app) == []


async def test_the_source_the_filters_and_the_list_focused_are_restored(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    store_items(NOS, "NOS", ["nos-1", "nos-2", "nos-3"], now)
    store_items(RTL, "RTL", ["rtl-1", "rtl-2", "rtl-3", "rtl-4"], now - timedelta(minutes=30))
    async with reader(feeds=True) as (app, pilot):
        await choose_source(app, pilot, RTL)  # a stored feed: named by its address
        await pilot.press("slash", *"bericht rtl", "enter")  # the filter kept, back to the list
        await pilot.press("j", "j")
        await pilot.pause()
        assert shown_title(app) == "Bericht rtl-3" and app.focused is app.articles
        await quit_reader(pilot)
    async with reader(feeds=True) as (app, pilot):
        assert app.chosen_feed == RTL
        assert app.articles.filter_text == "bericht rtl"
        field = app.query_one("#articles-filter", FilterInput)
        assert field.value == "bericht rtl" and field.display
        assert shown_title(app) == "Bericht rtl-3"
        assert app.articles.highlighted is not None
        assert app.articles.highlighted.guid == "rtl-3"
        assert app.focused is app.articles


async def test_the_saved_pages_as_the_source_are_restored() -> None:
    store_items(NOS, "NOS", ["nos-1", "nos-2"], datetime.now(UTC))
    async with reader([SEEDS], feeds=True) as (app, pilot):
        await choose_source(app, pilot, "Saved pages")
        await pilot.press("j")
        await pilot.pause()
        title = shown_title(app)
        assert app.chosen_feed is None and title is not None
        await quit_reader(pilot)
    async with reader([SEEDS], feeds=True) as (app, pilot):
        assert app.chosen_feed is None
        assert all(article.feed is None for article in app.articles.items)
        assert shown_title(app) == title and app.articles.cursor == 1


async def test_the_article_is_found_by_identity_when_newer_ones_came_before_it(
    tmp_path: Path,
) -> None:
    now = datetime.now(UTC)
    store_items(NOS, "NOS", ["a", "b", "c", "d"], now - timedelta(days=1))
    async with reader(feeds=True) as (app, pilot):
        await pilot.press("j", "j", "enter")
        await pilot.pause()
        assert shown_title(app) == "Bericht c" and app.articles.cursor == 2
        await quit_reader(pilot)
    store_items(NOS, "NOS", ["nieuw-1", "nieuw-2", "nieuw-3"], now)  # listed before it
    async with reader(feeds=True) as (app, pilot):
        assert shown_title(app) == "Bericht c"
        assert app.articles.cursor == 5, "by its guid, not by its place in the list"
        assert app.articles.highlighted is not None
        assert app.articles.highlighted.guid == "c"
        assert app.focused is app.reader


async def test_the_english_is_on_again_when_it_was(tmp_path: Path) -> None:
    pages = write_pages(tmp_path / "pages", 2, paragraphs=2)
    with translate_server() as (url, state):
        async with reader([pages], translator=translator(url, tmp_path)) as (app, pilot):
            await pilot.press("t")
            await settled(pilot)
            assert app.english_on
            await quit_reader(pilot)
        state.texts.clear()
        (tmp_path / "empty").mkdir()  # a cache without the English: it is asked again
        restarted = translator(url, tmp_path / "empty")
        async with reader([pages], translator=restarted) as (app, pilot):
            await settled(pilot)
            assert app.english_on
            assert state.texts, "sent to the translator, as the user had it"
        async with reader([pages], translator=translator(url, tmp_path)) as (app, pilot):
            await pilot.press("t")  # off again
            await quit_reader(pilot)
        async with reader([pages], translator=translator(url, tmp_path)) as (app, pilot):
            assert not app.english_on


async def test_a_ticker_item_is_restored_and_quitting_from_a_dialog_saves_too() -> None:
    async with reader([SEEDS]) as (app, pilot):
        await pilot.press("tab", "j", "j", "j")  # the ticker, its fourth item
        await pilot.pause()
        item = app.reader.shown
        assert isinstance(item, CorpusTickerItem) and app.focused is app.ticker
        await pilot.press("question_mark")  # the help over the panes
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    async with reader([SEEDS]) as (app, pilot):
        assert app.reader.shown == item
        assert app.ticker.cursor == 3
        assert app.focused is app.ticker


async def test_the_session_is_restored_when_the_feeds_open_after_the_list_was_seen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No store: nothing lists the articles again once the feeds are read; the landing (and
    the restoring) waited for a listing that never came."""
    slow_feeds(monkeypatch)
    third = load_found([SEEDS / "002_643072ad90021aff.txt"]).articles[0]
    with Library.open() as library:
        save_session(library, Session(article=article_key(third), pane="reader"))
    app = build_app([SEEDS], feeds=True, samples_until_feeds=True, restore=True)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settled(pilot)
        assert shown_title(app) == third.title
        assert app.articles.cursor == 2 and app.focused is app.reader


async def test_a_long_article_wrapped_in_steps_is_scrolled_back_all_the_way(
    tmp_path: Path,
) -> None:
    pages = write_pages(tmp_path / "pages", 2, paragraphs=2000)  # ~150,000 characters
    async with reader([pages]) as (app, pilot):
        await pilot.press("enter", "end")
        await pilot.pause()
        bottom = app.reader.scroll_y
        assert bottom > 1000, "further than the first steps of its wrapping reach"
        await quit_reader(pilot)
    async with reader([pages]) as (app, pilot):
        for _ in range(SCROLL_TRIES):  # its wrapping goes on frame by frame
            if app.reader.scroll_y == bottom:
                break
            await pilot.pause(SCROLL_WAIT)
        assert app.reader.scroll_y == bottom


async def test_the_starred_view_is_restored(tmp_path: Path) -> None:
    pages = write_pages(tmp_path / "pages", 3, paragraphs=3)
    async with reader([pages]) as (app, pilot):
        await pilot.press("j", "f", "S")
        await pilot.pause()
        assert app.chosen_feed == STARRED
        await quit_reader(pilot)
    async with reader([pages]) as (app, pilot):
        assert app.chosen_feed == STARRED
        assert [a.title for a in app.articles.items] == ["Kabinet besluit over zaak 1"]
        assert shown_title(app) == "Kabinet besluit over zaak 1"


# -- when the session cannot be used ----------------------------------------------------------


async def test_an_article_no_longer_stored_lands_on_the_first_unread_and_says_so(
    tmp_path: Path,
) -> None:
    pages = write_pages(tmp_path / "pages", 4, paragraphs=3)
    async with reader([pages]) as (app, pilot):
        await pilot.press("j", "j", "j", "enter")
        await pilot.pause()
        assert shown_title(app) == "Kabinet besluit over zaak 3"
        await quit_reader(pilot)
    (pages / "003.txt").unlink()
    async with reader([pages]) as (app, pilot):
        assert GONE in messages(app)
        assert shown_title(app) == "Kabinet besluit over zaak 0", "the first unread"
        assert app.articles.cursor == 0


async def test_an_edited_page_is_another_article(tmp_path: Path) -> None:
    pages = write_pages(tmp_path / "pages", 3, paragraphs=3)
    async with reader([pages]) as (app, pilot):
        await pilot.press("j", "enter")
        await quit_reader(pilot)
    page = pages / "001.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\nEen nieuwe alinea.", encoding="utf-8")
    async with reader([pages]) as (app, _):
        assert GONE in messages(app)


async def test_a_malformed_session_is_a_fresh_start_with_a_notification(tmp_path: Path) -> None:
    pages = write_pages(tmp_path / "pages", 3, paragraphs=3)
    with Library.open() as library:
        library.set_value(SESSION, '{"version": 1, "scroll_y": "far"')
    async with reader([pages]) as (app, pilot):
        assert any("the last session could not be read" in m for m in messages(app))
        assert shown_title(app) == "Kabinet besluit over zaak 0"
        assert app.focused is app.articles
        await pilot.press("j", "j")
        await quit_reader(pilot)
    session = saved()
    assert session is not None and session.article is not None
    assert session.article.startswith(f"page:{pages / '002.txt'}:"), "saved again"
    assert session.pane == "articles"


async def test_a_feed_no_longer_there_shows_all_sources(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    store_items(NOS, "NOS", ["nos-1", "nos-2"], now)
    with Library.open() as library:
        save_session(library, Session(article="feed:weg", source="https://example.org/weg.xml"))
    async with reader(feeds=True) as (app, _):
        assert app.chosen_feed == ALL_SOURCES
        assert GONE in messages(app)
        assert shown_title(app) == "Bericht nos-1"


async def test_a_session_that_cannot_be_saved_lets_the_reader_quit_and_says_why(
    tmp_path: Path,
) -> None:
    pages = write_pages(tmp_path / "pages", 3, paragraphs=3)

    def refuse(name: str, value: str | None) -> None:
        raise LibraryError("the library is read-only")

    async with reader([pages]) as (app, pilot):
        assert app.library is not None
        app.library.set_value = refuse  # type: ignore[method-assign]
        await quit_reader(pilot)
    assert app.return_code == 0
    assert app.session_problem == "the session could not be saved: the library is read-only"
    assert saved() is None


# -- starting afresh --------------------------------------------------------------------------


async def test_fresh_starts_without_restoring_and_the_next_quit_saves_again(
    tmp_path: Path,
) -> None:
    pages = write_pages(tmp_path / "pages", 4, paragraphs=3)
    async with reader([pages]) as (app, pilot):
        await pilot.press("j", "j", "enter")
        await quit_reader(pilot)
    async with reader([pages], restore=False) as (app, pilot):
        assert shown_title(app) == "Kabinet besluit over zaak 0"
        assert app.focused is app.articles
        await pilot.press("j")
        await quit_reader(pilot)
    async with reader([pages]) as (app, pilot):
        assert shown_title(app) == "Kabinet besluit over zaak 1"
        assert app.focused is app.articles


async def test_quitting_before_the_session_is_restored_keeps_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = write_pages(tmp_path / "pages", 3, paragraphs=3)
    async with reader([pages]) as (app, pilot):
        await pilot.press("j", "j", "enter")
        await quit_reader(pilot)
    before = saved()
    assert before is not None and before.pane == "reader"
    slow_feeds(monkeypatch)
    app = build_app([pages], feeds=True, restore=True)
    async with app.run_test(size=(120, 30)) as pilot:
        while app.library is None:  # open, but the feeds are still being read
            await pilot.pause(0.01)
        await pilot.press("q")
    assert not app._session_settled
    assert saved() == before
