"""The early landing (#15, reader/ui/landing.py): right after the first frame, before the
library or the feed store is opened (their workers are kept from running here), the reader
shows the article it lands on, read from a peek at the library; the proper landing later
puts the cursor on it, the reading pane as it was."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot

from reader.corpus import find_page_files, load_found
from reader.library.keys import article_key
from reader.library.session import Session, save_session
from reader.library.state import Library
from reader.ui.app import ReaderApp, build_app
from tests.ui.test_feeds import settled
from tests.ui.test_library import read_after_the_dwell
from tests.ui.test_session import GONE, NOS, messages, shown_title, store_items, write_pages


def keys_of(pages: Path) -> list[str]:
    return [article_key(a) for a in load_found(list(find_page_files([pages]))).articles]


def library_with(read: Sequence[str] = (), session: Session | None = None) -> None:
    with Library.open() as library:
        library.begin_run()
        library.mark_read(read)
        if session is not None:
            save_session(library, session)


@asynccontextmanager
async def held_back(
    paths: Sequence[Path] = (), *, feeds: bool = False, restore: bool = True, dwell: float = 3600
) -> AsyncIterator[tuple[ReaderApp, Pilot[int]]]:
    """The reader after its first frame, its library and feed store not opened (yet:
    `let_go` opens them)."""
    app = build_app(list(paths), feeds=feeds, restore=restore)
    app.read_dwell = dwell
    app.open_library = lambda: None  # type: ignore[method-assign]
    app.open_feeds = lambda: None  # type: ignore[method-assign]
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.library is None and not app._feeds_opened
        yield app, pilot


async def let_go(app: ReaderApp, pilot: Pilot[int]) -> None:
    """Open the library and the feed store, as the reader does, and wait for the landing."""
    if app.feeds_enabled:
        ReaderApp.open_feeds(app)
    ReaderApp.open_library(app)
    await settled(pilot)
    for _ in range(100):
        if app._landed and app._session_settled:
            return
        await pilot.pause(0.02)
    raise AssertionError("never landed")


async def test_the_session_s_page_is_shown_scrolled_before_the_library_is_open(
    tmp_path: Path,
) -> None:
    pages = write_pages(tmp_path / "pages", 5)
    library_with(session=Session(article=keys_of(pages)[3], scroll_y=12.0, pane="reader"))
    async with held_back([pages]) as (app, pilot):
        assert shown_title(app) == "Kabinet besluit over zaak 3"
        assert app.articles.cursor == 3
        assert app.reader.scroll_y == 12.0
        early = app.reader.shown
        await let_go(app, pilot)
        assert app.reader.shown is early and app.articles.cursor == 3
        assert app.reader.scroll_y == 12.0 and app.focused is app.reader
        assert messages(app) == []


async def test_a_stored_article_far_down_is_read_by_its_guid_before_the_store_is_open() -> None:
    guids = [f"n-{n:03}" for n in range(150)]  # more than the newest rows peeked at
    store_items(NOS, "NOS", guids, datetime.now(UTC))
    library_with(session=Session(article="feed:n-130", scroll_y=0.0, pane="articles"))
    async with held_back(feeds=True) as (app, pilot):
        assert shown_title(app) == "Bericht n-130"
        assert app.articles.cursor == 0, "not listed yet: the proper landing goes to it"
        await let_go(app, pilot)
        assert shown_title(app) == "Bericht n-130"
        highlighted = app.articles.highlighted
        assert highlighted is not None and highlighted.guid == "n-130"
        assert app.articles.cursor == 130
        assert GONE not in messages(app)


async def test_the_newest_unread_page_is_shown_before_the_library_is_open(tmp_path: Path) -> None:
    pages = write_pages(tmp_path / "pages", 4, paragraphs=3)
    library_with(read=keys_of(pages)[:2])
    async with held_back([pages]) as (app, pilot):
        assert shown_title(app) == "Kabinet besluit over zaak 2"
        assert app.articles.cursor == 2
        await let_go(app, pilot)
        assert shown_title(app) == "Kabinet besluit over zaak 2"
        assert app.articles.cursor == 2


async def test_fresh_lands_early_on_the_newest_unread_not_the_session(tmp_path: Path) -> None:
    pages = write_pages(tmp_path / "pages", 4, paragraphs=3)
    keys = keys_of(pages)
    library_with(read=keys[:1], session=Session(article=keys[3], pane="reader"))
    async with held_back([pages], restore=False) as (app, pilot):
        assert shown_title(app) == "Kabinet besluit over zaak 1"
        await let_go(app, pilot)
        assert shown_title(app) == "Kabinet besluit over zaak 1"
        assert app.articles.cursor == 1


async def test_a_stored_article_gone_is_left_to_the_landing_which_says_so() -> None:
    store_items(NOS, "NOS", ["a", "b", "c"], datetime.now(UTC))
    library_with(session=Session(article="feed:weg", pane="articles"))
    async with held_back(feeds=True) as (app, pilot):
        assert shown_title(app) == "Bericht a"
        await let_go(app, pilot)
        assert GONE in messages(app)
        assert shown_title(app) == "Bericht a"


async def test_the_article_landed_on_early_is_read_once_it_has_stayed(tmp_path: Path) -> None:
    pages = write_pages(tmp_path / "pages", 4, paragraphs=3)
    keys = keys_of(pages)
    library_with(session=Session(article=keys[2], pane="reader"))
    async with held_back([pages], dwell=0.05) as (app, pilot):
        assert shown_title(app) == "Kabinet besluit over zaak 2"
        await let_go(app, pilot)
        await read_after_the_dwell(pilot, keys[2])
        assert not app._read & set(keys[:2])


async def test_a_key_pressed_before_the_landing_keeps_the_cursor_where_it_went(
    tmp_path: Path,
) -> None:
    """The landing comes once the library is open; a reader who moved before that is not
    moved back (to the newest unread, or the session's article)."""
    pages = write_pages(tmp_path / "pages", 5)
    library_with(session=Session(article=keys_of(pages)[3]))
    async with held_back([pages]) as (app, pilot):
        assert app.articles.cursor == 3  # landed early on the session's article
        await pilot.press("k")
        await let_go(app, pilot)
        assert app.articles.cursor == 2
        assert shown_title(app) == "Kabinet besluit over zaak 2"
