"""Pilot tests of read state, new items and stars in the reader (reader/ui/library.py): every
key with the state asserted after in the library as reopened, the read rule, a restart, the
starred view, and a damaged library file."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot

from reader.feeds.store import default_store_path
from reader.library.db import default_library_path
from reader.library.keys import FEED
from reader.library.state import Library
from reader.paths import config_dir
from reader.ui.app import ReaderApp, build_app
from reader.ui.library import FEED_PREFIX
from reader.ui.library_messages import ListSeen
from reader.ui.row_list import RowList
from reader.ui.screens import ConfirmScreen, ListScreen
from reader.ui.starred_view import RowState
from tests.conftest import SEEDS

V5_STORE = Path(__file__).resolve().parent.parent / "fixtures" / "stores" / "v5.sqlite"
NEVER = 3600.0  # a dwell that never ends in a test


async def settled(pilot: Pilot[int]) -> None:
    """Wait until the library is open and every worker (and write) is done."""
    app = pilot.app
    assert isinstance(app, ReaderApp)
    for _ in range(500):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.library is not None and not app._writes.writing and not app.workers._workers:
            return
    raise AssertionError("the library never opened")


@asynccontextmanager
async def library_app(
    dwell: float = NEVER, feeds: bool = False, paths: tuple[Path, ...] = (SEEDS,)
) -> AsyncIterator[tuple[ReaderApp, Pilot[int]]]:
    app = build_app(list(paths), feeds=feeds)
    app.read_dwell = dwell
    app.writer_idle = 0.0  # the writer ends as soon as it is done: settled() waits for it
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settled(pilot)
        yield app, pilot
        await settled(pilot)


async def read_after_the_dwell(pilot: Pilot[int], key: str) -> None:
    """Wait for the item `key` to become read by staying in the reading pane."""
    app = pilot.app
    assert isinstance(app, ReaderApp)
    for _ in range(100):
        await pilot.pause(0.02)
        if key in app._read:
            break
    await settled(pilot)
    assert key in app._read


def reopened() -> Library:
    """The library as a later run finds it."""
    return Library.open(default_library_path())


def notices(app: ReaderApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_m_toggles_the_highlighted_item_and_the_library_keeps_it() -> None:
    async with library_app() as (app, pilot):
        first = app.articles.highlighted
        assert app._row_state(first) == RowState(unread=True, new=False, starred=False)
        await pilot.press("m")
        await settled(pilot)
        assert app._row_state(first).unread is False
        assert "4 unread" in str(app.query_one("#articles-pane").border_subtitle)
        key = app.key_of(first)
    with reopened() as library:
        assert library.is_read(key)
    async with library_app() as (app, pilot):
        await pilot.press("g", "m")  # it landed on the newest unread: back to the first
        await settled(pilot)
    with reopened() as library:
        assert not library.is_read(key)


async def test_m_in_the_reading_pane_marks_the_item_shown_and_the_dwell_leaves_it() -> None:
    """From the reading pane, m marks what it shows (a ticker item here, though the article
    list has a highlighted row too); marked unread by hand, it is not marked read again by
    having stayed in the pane."""
    async with library_app(dwell=0.05) as (app, pilot):
        await pilot.press("tab")  # the ticker
        item = app.ticker.highlighted
        await pilot.press("enter")  # opened: read; the focus in the reading pane
        await settled(pilot)
        assert app.focused is app.reader and app.key_of(item) in app._read
        article_read = app.key_of(app.articles.highlighted) in app._read
        await pilot.press("m")
        await pilot.pause(0.2)  # well past the dwell
        await settled(pilot)
        assert app.key_of(item) not in app._read
        assert (app.key_of(app.articles.highlighted) in app._read) is article_read
    with reopened() as library:
        assert not library.is_read(app.key_of(item))


async def test_moving_past_items_does_not_mark_them_but_enter_does() -> None:
    async with library_app() as (app, pilot):
        await pilot.press("j", "j")
        await settled(pilot)
        assert app._read == set()
        third = app.articles.highlighted
        await pilot.press("enter")
        await settled(pilot)
        assert app._read == {app.key_of(third)}
    with reopened() as library:
        assert library.read_keys() == {app.key_of(third)}


async def test_an_item_in_the_reading_pane_for_the_dwell_becomes_read() -> None:
    async with library_app(dwell=0.05) as (app, pilot):
        await pilot.press("j")
        second = app.articles.highlighted
        await read_after_the_dwell(pilot, app.key_of(second))
    with reopened() as library:
        assert library.is_read(app.key_of(second))


async def test_read_and_stars_survive_a_restart_and_new_is_what_this_run_first_lists() -> None:
    async with library_app() as (app, pilot):
        await pilot.press("m", "f")
        await settled(pilot)
        first = app.key_of(app.articles.highlighted)
    async with library_app() as (app, pilot):
        row = next(a for a in app.articles.items if app.key_of(a) == first)
        # Listed by the previous run: no longer new.
        assert app._row_state(row) == RowState(unread=False, new=False, starred=True)
        # The cursor landed on the newest unread article: the second.
        assert app.articles.cursor == 1
        assert app.key_of(app.reader.shown) != first


async def test_N_and_P_go_to_the_next_and_previous_unread() -> None:
    async with library_app() as (app, pilot):
        items = app.articles.items
        await pilot.press("j", "m", "g")  # the second read; back to the first
        await pilot.press("N")
        assert app.articles.highlighted is items[2]  # past the read second
        await pilot.press("P")
        assert app.articles.highlighted is items[0]
        await pilot.press("P")
        assert app.articles.highlighted is items[0]
        assert "No more unread." in notices(app)


async def test_U_lists_only_unread_and_keeps_what_is_read_meanwhile_until_listed_again() -> None:
    async with library_app() as (app, pilot):
        await pilot.press("m")  # the first read
        first = app.articles.highlighted
        await pilot.press("U")
        await settled(pilot)
        assert first not in app.articles.items
        assert len(app.articles.items) == 4
        assert "unread only" in str(app.query_one("#articles-pane").border_subtitle)
        second = app.articles.highlighted
        await pilot.press("m")
        await settled(pilot)
        assert second in app.articles.items  # read, still listed
        await pilot.press("U", "U")  # listed again, only unread
        await settled(pilot)
        assert second not in app.articles.items
        await pilot.press("U")
        await settled(pilot)
        assert len(app.articles.items) == 5


async def test_M_marks_read_only_what_the_filter_lets_through() -> None:
    async with library_app() as (app, pilot):
        await pilot.press("slash", *"oekra", "enter")
        listed = app.articles.visible_items
        assert 0 < len(listed) < len(app.articles.items)
        await pilot.press("M")
        await settled(pilot)
        assert app._read == {app.key_of(a) for a in listed}
        assert any("u undoes" in n for n in notices(app))
    with reopened() as library:
        assert library.read_keys() == {app.key_of(a) for a in listed}


async def test_M_asks_first_over_twenty_items_and_u_undoes() -> None:
    async with library_app() as (app, pilot):
        app.ticker.focus()
        await pilot.pause()
        await pilot.press("M")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app._read == set()
        await pilot.press("M")
        await pilot.press("y")
        await settled(pilot)
        ticker_keys = {app.key_of(item) for item in app.ticker.items}
        assert app._read == ticker_keys
        with reopened() as library:
            assert library.read_keys() == ticker_keys
        await pilot.press("u")
        await settled(pilot)
        assert app._read == set()
        assert app._unread["ticker"] == len(ticker_keys)
    with reopened() as library:
        assert library.read_keys() == frozenset()


async def test_f_stars_and_S_lists_the_starred_also_a_page_not_loaded() -> None:
    async with library_app() as (app, pilot):
        other = Path(app.articles.highlighted.file)
        await pilot.press("j", "f")
        starred = app.articles.highlighted
        await settled(pilot)
        await pilot.press("S")
        await settled(pilot)
        assert list(app.articles.items) == [starred]
        assert "Starred" in str(app.query_one("#articles-pane").border_title)
        key = app.key_of(starred)
        await pilot.press("S")  # back to all: without feeds there is no `s` to leave by
        assert len(app.articles.items) == 5
        assert "Starred" not in str(app.query_one("#articles-pane").border_title)
    with reopened() as library:
        assert library.starred_keys() == {key}
    # Opened on another file: the starred page is not loaded, and says so.
    async with library_app(paths=(other,)) as (app, pilot):
        await pilot.press("S")
        await settled(pilot)
        (item,) = app.articles.items
        assert item.title == starred.title
        assert "not loaded" in item.paragraphs[0].text
        await pilot.press("f")  # unstars what is shown
        await settled(pilot)
    with reopened() as library:
        assert library.starred_keys() == frozenset()


async def test_the_source_chooser_has_a_starred_entry() -> None:
    default_store_path().parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(V5_STORE, default_store_path())  # a real store, of old articles: kept
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "config.toml").write_text("[feeds]\nkeep_days = 36500\n")
    async with library_app(feeds=True) as (app, pilot):
        await pilot.press("f", "s")
        screen = app.screen
        assert isinstance(screen, ListScreen)
        assert [choice.label for choice in screen._rows][1] == "Starred"
        screen.query_one(RowList).cursor = 1
        await pilot.press("enter")
        await settled(pilot)
        assert app.chosen_feed == "\0starred"
        assert len(app.articles.items) == 1


async def test_a_feed_article_read_in_full_marks_its_row_and_its_count() -> None:
    """The reading pane shows a feed article in full, the list its row (FeedRow): reading it
    marks the row, and the pane's count goes down."""
    default_store_path().parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(V5_STORE, default_store_path())
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "config.toml").write_text("[feeds]\nkeep_days = 36500\n")
    async with library_app(feeds=True) as (app, pilot):
        row = app.articles.highlighted
        assert app.reader.shown is not row and app.shows(row)  # the article in full
        unread = app._unread["articles"]
        app.set_read(app.reader.shown, True)  # as the dwell marks what the pane shows
        await pilot.pause()
        assert app._row_state(row).unread is False
        assert app._unread["articles"] == unread - 1
        assert f"{unread - 1} unread" in str(app.query_one("#articles-pane").border_subtitle)
        await pilot.press("f")
        await settled(pilot)
        assert app._row_state(row).starred
        assert "★" in str(app.articles.render_line(0).text)


async def test_a_damaged_library_is_said_left_alone_and_the_reader_works() -> None:
    path = default_library_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a database at all" * 100)
    before = path.read_bytes()
    async with library_app() as (app, pilot):
        assert app.library_problem
        assert any("not kept" in n for n in notices(app))
        assert any(d.message == app.library_problem for d in app.feed_diagnostics)
        await pilot.press("m")  # works for this run
        await settled(pilot)
        assert app._row_state(app.articles.highlighted).unread is False
    assert path.read_bytes() == before


def test_the_feed_prefix_is_the_library_s() -> None:
    assert FEED_PREFIX == FEED


async def test_the_help_lists_the_library_keys() -> None:
    async with library_app() as (app, _):
        groups = dict(app._key_groups())
        keys = [keys for keys, _ in groups["Read, new and starred"]]
        assert keys == ["m", "M", "u", "N", "P", "U", "f", "S"]


async def test_the_item_landed_on_at_start_becomes_read_after_the_dwell() -> None:
    """The first article is shown from the first frame on: the landing does not move to it,
    but it counts as read once it has stayed, as any item opened does."""
    async with library_app(dwell=0.05) as (app, pilot):
        first = app.articles.highlighted
        assert app.articles.cursor == 0 and app.reader.shown is first
        await read_after_the_dwell(pilot, app.key_of(first))


async def test_quitting_closes_the_library_after_the_last_write() -> None:
    """Nothing of the library's WAL is left in the data folder, and a mark made just before
    quitting is kept."""
    async with library_app() as (app, pilot):
        app.writer_idle = 5.0  # the writer still waits for more as the reader quits
        first = app.articles.highlighted
        await pilot.press("m", "q")
    path = default_library_path()
    assert [p.name for p in path.parent.glob("library.sqlite*")] == ["library.sqlite"]
    with reopened() as library:
        assert library.is_read(app.key_of(first))


async def test_a_list_noted_as_seen_while_the_reader_closes_is_let_be(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker that notes a list as seen may report once the reader's screens are gone
    (seen in CI: quitting right after a start); its handler looked for the lists and failed
    with NoMatches."""
    close_all = App._close_all

    async def reported_while_closing(app: ReaderApp) -> None:
        rows = app.articles
        await close_all(app)
        app.post_message(ListSeen(rows, rows.items, frozenset()))
        await asyncio.sleep(0.1)  # for the app to handle it, if it does

    monkeypatch.setattr(ReaderApp, "_close_all", reported_while_closing)
    async with library_app():
        pass  # leaving closes the reader, which raised what its handler raised
