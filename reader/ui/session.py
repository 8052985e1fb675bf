"""Where the user left off (issue 15): the session saved when the reader quits and restored
when it starts again (reader/library/session.py keeps it in the library).

Saved (on `q`, Ctrl+Q, the palette's Quit, and SIGTERM/SIGHUP/SIGINT when the CLI runs the
reader): the key of the item shown, the reading pane's scroll offset, the focused pane, the
source shown (by address, not by its name, which another feed's title can change), the two
lists' filters and whether the English is on. Saving never raises and never holds quitting
for longer than the library's busy wait; a failure is said on stderr once the app is gone.

Restored by identity: the item by its key, wherever the list has put it since.

The hook with LibraryMixin (reader/ui/library.py): LibraryMixin calls `_land_cursor()` once,
when its Library is open and the lists are filled (the pages and the stored feed articles
loaded). SessionMixin, before LibraryMixin in the app's bases, overrides it: it restores the
session, read in a worker as soon as the library is open (LibraryOpened). With no session to
restore (none saved, `--fresh`, or one that cannot be read: then with a notification), and
when the saved item is gone (with a notification), it calls LibraryMixin's `_land_cursor()`:
the newest unread item. The session is saved on quitting only once this is settled:
quitting before keeps the session saved last (what showed meanwhile is not where the user
left off).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input

from reader.feeds.feed_row import FeedRow
from reader.model import Article, CorpusTickerItem
from reader.text import make_visible
from reader.ui.library import FEED_PREFIX
from reader.ui.panes import FilterInput
from reader.ui.row_list import RowList
from reader.ui.sources import ALL_SOURCES, STARRED

if TYPE_CHECKING:  # the library is imported in the worker and on quitting
    from reader.library.peek import Peeked
    from reader.library.session import LoadedSession, Session
    from reader.ui.library import LibraryOpened

GONE = "The article you were reading is no longer stored."
# The sources that are no feed, as the session keeps them (a feed's address has a scheme).
SAVED_PAGES = "saved pages"
STARRED_VIEW = "starred"
PANES = ("articles", "ticker", "reader")
LISTS = ("articles", "ticker")
QUIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
# A long article's wrapping reaches the saved offset within SCROLL_TRIES x SCROLL_WAIT s.
SCROLL_TRIES = 100
SCROLL_WAIT = 0.05


class SessionLoaded(Message):
    """The session saved last, read from the library (or why it could not be)."""

    def __init__(self, loaded: LoadedSession) -> None:
        super().__init__()
        self.loaded = loaded


def saved_source(chosen: str | None) -> str | None:
    """The source as the session keeps it: None for all sources, SAVED_PAGES, STARRED_VIEW,
    else the feed's address (`chosen`: FeedsMixin.chosen_feed)."""
    if chosen == ALL_SOURCES:
        return None
    if chosen == STARRED:
        return STARRED_VIEW
    return SAVED_PAGES if chosen is None else chosen


def chosen_source(source: str | None) -> str | None:
    """The other way round: FeedsMixin.chosen_feed for a saved source."""
    if source is None:
        return ALL_SOURCES
    if source == STARRED_VIEW:
        return STARRED
    return None if source == SAVED_PAGES else source


class SessionMixin:
    """Saving the session on quitting and restoring it on start. A part of ReaderApp, before
    LibraryMixin (it overrides `_land_cursor`); messages are handled by their on_* names."""

    def _init_session(self, *, restore: bool) -> None:
        self.restore_session = restore  # False: `--fresh` (the next quit saves all the same)
        self.quit_on_signals = False  # the CLI's run: SIGTERM, SIGHUP, SIGINT quit and save
        self._loaded_session: LoadedSession | None = None  # read, waiting for the landing
        self._landing = False  # LibraryMixin asked to land the cursor
        self._session_settled = False  # restored, or landed without: quitting saves
        self._session_saved = False
        self.session_problem: str | None = None  # why saving failed: said after the app ends

    # -- quitting ------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._catch_quit_signals()

    def on_unmount(self) -> None:
        self._release_quit_signals()

    def _catch_quit_signals(self) -> None:
        """SIGTERM, SIGHUP and SIGINT quit as `q` does (the session saved, the terminal
        given back), in the CLI's run only: a test's process keeps its own handlers."""
        if not self.quit_on_signals:
            return
        loop = asyncio.get_running_loop()
        for number in QUIT_SIGNALS:
            try:
                loop.add_signal_handler(number, self.exit)
            except (NotImplementedError, RuntimeError, ValueError):  # not on this system
                return

    def _release_quit_signals(self) -> None:
        if not self.quit_on_signals:
            return
        loop = asyncio.get_running_loop()
        for number in QUIT_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(number)

    def exit(self, *args: object, **kwargs: object) -> None:
        """Every way of quitting ends here (App.exit): the session is saved first, once."""
        self._save_session()
        super().exit(*args, **kwargs)  # type: ignore[misc]

    def _save_session(self) -> None:
        library = getattr(self, "library", None)
        if self._session_saved or not self._session_settled or library is None:
            return
        self._session_saved = True
        from reader.library.session import save_session
        from reader.library.state import LibraryError

        try:
            save_session(library, self.current_session())
        except LibraryError as error:  # said plainly by the library
            self.session_problem = f"the session could not be saved: {error}"
        except Exception as error:  # quitting must not fail: said once the app is gone
            self.session_problem = f"the session could not be saved: {error!r}"

    def current_session(self) -> Session:
        """Where the user is now, as the session keeps it."""
        from reader.library.session import Session
        from reader.ui.reading_pane import ReadingPane  # loaded long ago: the panes are

        main = self.screen_stack[0]  # a dialog may be open over the panes
        reader = main.query_one("#reader", ReadingPane)
        shown = reader.shown
        focused = main.focused
        pane = None
        if focused is not None and focused.id is not None:
            pane = focused.id.removesuffix("-filter")  # a filter field: its list
        filters = {name: main.query_one(f"#{name}", RowList).filter_text for name in LISTS}
        return Session(
            article=None if shown is None else self.key_of(shown),
            scroll_y=float(reader.scroll_y),
            pane=pane if pane in PANES else None,
            source=saved_source(self.chosen_feed),
            filters={name: text for name, text in filters.items() if text},
            english=self.english_on,
        )

    # -- starting ------------------------------------------------------------------------

    def on_library_opened(self, message: LibraryOpened) -> None:
        """Read the session as soon as the library is open, while LibraryMixin notes the
        lists as seen: landing then need not wait for it."""
        if self.restore_session:
            self.read_session(message.library)

    def _land_cursor(self) -> None:
        """LibraryMixin's landing, called once the library is open and the lists filled:
        the session restored instead, when there is one (now, or once it has been read)."""
        self._landing = True
        if not self.restore_session or getattr(self, "library", None) is None:
            self._land_without_session()
        elif self._loaded_session is not None:
            self._restore(self._loaded_session)

    @work(thread=True, group="session", exit_on_error=False, description="reading the session")
    def read_session(self, library: object) -> None:
        from reader.library.session import load_session

        self.post_message(SessionLoaded(load_session(library)))  # type: ignore[arg-type]

    def on_session_loaded(self, message: SessionLoaded) -> None:
        self._loaded_session = message.loaded
        if self._landing and not self._session_settled:
            self._restore(message.loaded)

    def _restoring(self) -> bool:
        return self.restore_session

    def _land_early(self, peeked: Peeked, listed: Sequence[Article], keys: list[str]) -> None:
        """LibraryMixin's early landing: the session's article shown at once, from the rows
        listed or (a feed article further down) from the store; its row is gone to, and the
        rest restored, once the lists are filled (`_land_cursor`)."""
        session = peeked.session
        if session is None:
            super()._land_early(peeked, listed, keys)  # type: ignore[misc]
            return
        from reader.library.keys import find_item

        key = session.article
        item = find_item(key, [*self.articles.items, *self.ticker.items])
        if item is None and key.startswith(FEED_PREFIX):
            from reader.feeds.peek import stored_article

            item = stored_article(key.removeprefix(FEED_PREFIX))
        if item is None:  # gone (said by the landing), or not listed yet
            super()._land_early(peeked, listed, keys)  # type: ignore[misc]
            return
        rows: RowList[Article] | RowList[CorpusTickerItem] = (
            self.ticker if isinstance(item, CorpusTickerItem) else self.articles
        )
        as_saved = chosen_source(session.source) == self.chosen_feed and not session.filtered
        if as_saved and any(listed is item for listed in rows.items):
            rows.select_item(item)  # type: ignore[arg-type]
        if not self.shows(item):
            self.reader.show(self.full_article(item))
        self.call_after_refresh(self._scroll_back, session.scroll_y, self.reader.shown, -1.0, 0)

    def _land_where_used(self) -> None:
        """LibraryMixin's landing after the reader was used: no session is restored over
        what the user did, and quitting saves where they are."""
        self._session_settled = True
        super()._land_where_used()  # type: ignore[misc]

    def _land_without_session(self) -> None:
        self._session_settled = True
        super()._land_cursor()  # type: ignore[misc]

    def _restore(self, loaded: LoadedSession) -> None:
        """Restore the session read (the lists are filled: LibraryMixin lands only then), or
        land as without one when there is none to restore."""
        if loaded.problem is not None:
            self.notify(make_visible(loaded.problem), title="Session", markup=False)
        session = loaded.session
        if session is None:
            self._land_without_session()
            return
        self._session_settled = True
        chosen = self._restored_source(session.source)
        if chosen != self.chosen_feed:
            self.chosen_feed = chosen
            self._show_articles()
        for name in LISTS:
            self._restore_filter(name, session.filters.get(name, ""))
        item = self._restored_item(session.article)
        if item is None:
            if session.article is not None:
                self.notify(GONE, title="Session", markup=False)
            super()._land_cursor()  # type: ignore[misc]
        else:
            self._reopen(item, session.scroll_y)
        self._restore_focus(session.pane)
        if session.english and not self.english_on:
            self.action_translate()  # it sends the text to the translator: as the user had it

    def _restored_source(self, source: str | None) -> str | None:
        """The source to show (FeedsMixin.chosen_feed): all sources when the one saved is
        not there any more (a feed no longer subscribed to nor stored, no pages shown)."""
        chosen = chosen_source(source)
        if chosen in (ALL_SOURCES, STARRED):
            return chosen
        if chosen is None:
            return chosen if self.shows_pages and self.corpus.articles else ALL_SOURCES
        known = chosen in self._source_names or any(a.feed == chosen for a in self.feed_articles)
        return chosen if known else ALL_SOURCES

    def _restore_filter(self, name: str, text: str) -> None:
        rows: RowList[Article] | RowList[CorpusTickerItem] = self.query_one(f"#{name}", RowList)
        if rows.filter_text == text:
            return
        rows.filter(text)
        field = self._filter_of(rows)
        if field is None and text:  # shown as `/` would show it, with the text in it
            field = FilterInput(text, placeholder=f"filter {name}", id=f"{name}-filter")
            field.display = True
            self.query_one(f"#{name}-pane").mount(field, before=rows)
        elif field is not None:
            with field.prevent(Input.Changed):
                field.value = text
            field.display = bool(text)
        self._update_pane_titles()

    def _restored_item(self, key: str | None) -> Article | CorpusTickerItem | None:
        """The item with this key: in the lists as they stand, else among every article
        loaded (the source shown may not list it)."""
        if key is None:
            return None
        from reader.library.keys import find_item

        lists: Sequence[Sequence[Article] | Sequence[CorpusTickerItem]] = (
            self.articles.items,
            self.ticker.items,
            self.feed_articles,
            self.corpus.articles,
        )
        for items in lists:
            item = find_item(key, items)
            if item is not None:
                return item
        return None

    def _reopen(self, item: Article | CorpusTickerItem, scroll_y: float) -> None:
        shown = self.reader.shown
        if isinstance(item, FeedRow) and isinstance(shown, Article) and shown.guid == item.guid:
            self._full.keep(item, shown)  # shown early (_land_early): kept, as it is scrolled
        if isinstance(item, CorpusTickerItem):
            self.ticker.select_item(item)
        else:
            self.select_article(item)
        if not self.shows(item):  # the cursor's move showed it, unless it is not listed
            self._open(item)
        else:  # shown early (landing.py), or by the cursor's move: read once it has stayed
            self._dwell_on(self.reader.shown)
        self.call_after_refresh(self._scroll_back, scroll_y, self.reader.shown, -1.0, 0)

    def _scroll_back(self, y: float, shown: object, set_to: float, tries: int) -> None:
        """Scroll the pane to `y` (as far as it goes). A long article is wrapped a step at a
        time, frame by frame: until it is long enough, tried again a little later, unless the
        user has moved on meanwhile (another item, or scrolled)."""
        reader = self.reader
        if reader.shown is not shown or (set_to >= 0 and reader.scroll_y != set_to):
            return
        reader.scroll_to(y=y, animate=False, immediate=True)
        if reader.scroll_y < y and tries < SCROLL_TRIES:
            again = partial(self._scroll_back, y, shown, reader.scroll_y, tries + 1)
            self.set_timer(SCROLL_WAIT, again)

    def _restore_focus(self, pane: str | None) -> None:
        if pane not in PANES:
            return
        widget: Widget = self.query_one(f"#{pane}")
        if pane == "ticker" and not self.query_one("#ticker-pane").display:
            widget = self.articles
        widget.focus()
