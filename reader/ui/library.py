"""Read state, new items and stars in the reader (issue 15): LibraryMixin.

The Library (reader/library/state.py, library.sqlite in the data folder) is opened in a
worker after the first frame; until then `self.library` is None and the rows show no marks.
The interface keeps its own copy of what is read and starred (sets of keys), changes it at
once on a key and hands the write to one writer worker, so a key never waits for SQLite.

The read rule: an item becomes read when opened with Enter or a click, or once it has been
in the reading pane for `read_dwell` seconds (2); moving through a list with j/k does not
mark what it passes. Read items stay listed (under "only unread" too) until the list is
listed again (source changed, U again, R, restart). "New": first listed in this run (it
arrived since the previous one), apart from unread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.binding import Binding, BindingType
from textual.timer import Timer

from reader.feeds.feed_row import FeedRow
from reader.model import Article, CorpusTickerItem, Diagnostic, Severity
from reader.present import plural
from reader.text import make_visible
from reader.ui.landing import LandingMixin
from reader.ui.library_messages import (
    LibraryFailed,
    LibraryOpened,
    ListSeen,
    ReadReloaded,
    WriteQueue,
)
from reader.ui.row_list import RowList
from reader.ui.sources import ALL_SOURCES, STARRED
from reader.ui.starred_view import (
    MARK_ALL_CONFIRM,
    RowState,
    marked_row,
    starred_items,
)

if TYPE_CHECKING:
    from reader.library.state import Library

Item = Article | CorpusTickerItem
Rows = RowList[Article] | RowList[CorpusTickerItem]

READ_DWELL = 2.0
"""Seconds an item stays in the reading pane before it counts as read."""

LIBRARY_BINDINGS: list[BindingType] = [
    Binding("m", "toggle_read", "Read", show=False, id="toggle-read",
            tooltip="Mark the highlighted item read, or unread again"),
    Binding("M", "mark_all_read", "All read", show=False, id="mark-all-read",
            tooltip="Mark read everything listed in the focused list (as filtered)"),
    Binding("u", "undo_mark", "Undo", show=False, id="undo-mark",
            tooltip="Undo the last M (mark all read)"),
    Binding("N", "next_unread", "Next unread", show=False, id="next-unread",
            tooltip="Go to the next unread item in the focused list"),
    Binding("P", "previous_unread", "Previous unread", show=False, id="previous-unread",
            tooltip="Go to the previous unread item in the focused list"),
    Binding("U", "only_unread", "Only unread", show=False, id="only-unread",
            tooltip="List only unread items, or all again (read ones stay until listed again)"),
    Binding("f", "star", "Star", show=False, id="star",
            tooltip="Star the article shown, or unstar it"),
    Binding("S", "starred", "Starred", show=False, id="starred",
            tooltip="List the starred articles; from them, all articles again"),
]  # fmt: skip
"""The library's keys, for ReaderApp.BINDINGS (a mixin's own BINDINGS would be ignored)."""

LIBRARY_ACTIONS = frozenset(b.action for b in LIBRARY_BINDINGS if isinstance(b, Binding))
HEADER_DELAY = 0.25  # seconds: the header's unread count after a mark
WRITER_IDLE = 2.0  # seconds the writer waits for more before it ends
FEED_PREFIX = "feed:"  # reader.library.keys.FEED (that module is loaded after the first frame)
STILL_OPENING = "The read marks and stars are still being loaded; a moment."


class LibraryMixin(LandingMixin):
    """Read, new and starred items: the marks in the rows, the counts, and their keys.

    A part of ReaderApp, before LoadingMixin and NavigationMixin (it extends their listing
    and opening); messages are handled by their on_* names.

    `self.library`: the Library, None until the worker has opened it (one that could not be
    opened is an in-memory one, `library_problem` saying why)."""

    read_dwell: float = READ_DWELL
    writer_idle: float = WRITER_IDLE

    def _init_library(self) -> None:
        self.library: Library | None = None
        self.library_problem: str | None = None
        self.only_unread = False
        self._read: set[str] = set()
        self._new: frozenset[str] = frozenset()
        self._starred: set[str] = set()
        self._keys: dict[int, tuple[object, str]] = {}  # id(item) -> (item, key)
        self._unread: dict[str | None, int | None] = {}  # list id -> unread among its items
        self._dwell: Timer | None = None
        self._header_timer: Timer | None = None
        self._init_landing()
        self._writes = WriteQueue()

    def marked(self, render: Callable[[Any, int], Any]) -> Callable[[Any, int], Any]:
        """`render` (a row renderer) with the item's marks before its row."""
        return partial(marked_row, render, self._row_state)

    def _row_state(self, item: object) -> RowState | None:
        if self.library is None:
            return None
        key = self.key_of(item)
        return RowState(key not in self._read, key in self._new, key in self._starred)

    def key_of(self, item: object) -> str:
        """The library's key of an article or ticker item: a feed article's from its guid;
        a page's or ticker item's (a hash of its text) worked out once and kept."""
        if isinstance(item, Article) and item.guid is not None:  # not kept: rows come anew
            return FEED_PREFIX + item.guid
        known = self._keys.get(id(item))
        if known is not None and known[0] is item:
            return known[1]
        from reader.library.keys import article_key, ticker_key

        key = article_key(item) if isinstance(item, Article) else ticker_key(item)  # type: ignore[arg-type]
        self._keys[id(item)] = (item, key)
        return key

    # -- opening ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        # After the first frame, which must not wait for the library (only for a peek at it
        # with a library file there: landing.py).
        self.call_after_refresh(self.open_library)

    def open_library(self) -> None:
        self.run_worker(
            self._open_library, thread=True, exclusive=True, group="library",
            exit_on_error=False, description="opening the library",
        )  # fmt: skip

    def _open_library(self) -> None:
        from reader.library.state import Library, LibraryError

        library = Library.open()
        problem = library.problem
        read: frozenset[str] = frozenset()
        new: frozenset[str] = frozenset()
        starred: frozenset[str] = frozenset()
        try:
            library.begin_run()
            read, new, starred = library.read_keys(), library.new_keys(), library.starred_keys()
        except LibraryError as error:
            problem = problem or str(error)
        if not self.post_message(LibraryOpened(library, read, new, starred, problem)):
            library.close()  # the reader has quit meanwhile: nobody else will

    def on_library_opened(self, message: LibraryOpened) -> None:
        self.library = message.library
        self._read, self._new, self._starred = set(message.read), message.new, set(message.starred)
        if message.problem:
            self._library_failed(message.problem)
        for rows in (self.articles, self.ticker):
            self._listed(rows)

    def _library_failed(self, problem: str) -> None:
        """Say what went wrong with the library, in a notice and in `d`."""
        self.library_problem = problem
        where = str(self.library.path) if self.library and self.library.path else "library"
        self.feed_diagnostics = [
            *self.feed_diagnostics,
            Diagnostic(where, 0, problem, Severity.ERROR),
        ]
        kept = self.library is not None and self.library.kept
        tail = "" if kept else " Read marks and stars are not kept after this run."
        self.notify(
            make_visible(problem) + tail, title="Library", severity="error", timeout=10,
            markup=False,
        )  # fmt: skip

    def on_library_failed(self, message: LibraryFailed) -> None:
        self._library_failed(message.problem)

    # -- listing ------------------------------------------------------------------------------

    def _show_articles(self) -> None:
        if self.chosen_feed == STARRED:
            self.articles.set_items(self._starred_items())
            self.query_one("#articles-pane").border_title = "Articles · Starred"
        else:
            super()._show_articles()  # type: ignore[misc]
        self._listed(self.articles)

    def _show_ticker(self) -> None:
        super()._show_ticker()  # type: ignore[misc]
        self._listed(self.ticker)

    def _listed(self, rows: Rows) -> None:
        """The list has been set: only the unread, if so chosen; then seen, in a worker."""
        library = self.library
        if library is None:
            return
        if self.only_unread:
            items = rows.items
            unread = [item for item in items if self.key_of(item) not in self._read]
            if len(unread) != len(items):
                rows.set_items(unread)
        self._unread[rows.id] = None
        self.run_worker(
            partial(self._see, library, rows, rows.items), thread=True, exclusive=True,
            group=f"library-see-{rows.id}", exit_on_error=False,
            description="noting the items listed",
        )  # fmt: skip

    def _see(self, library: Library, rows: Rows, items: Sequence[Any]) -> None:
        from reader.library.state import LibraryError

        keys = [self.key_of(item) for item in items]  # kept: counting them is quick after
        try:
            library.see(keys)
            new = library.new_keys()
        except LibraryError as error:
            self.post_message(LibraryFailed(str(error)))
            new = self._new
        self.post_message(ListSeen(rows, items, new))

    def on_list_seen(self, message: ListSeen) -> None:
        rows = message.rows
        if message.items is not rows.items:
            return  # listed again meanwhile
        self._new = message.new
        self._count_unread(rows)
        rows.redraw()
        self._update_counts()
        if rows is self.articles:
            self._land_if_ready()

    def _count_unread(self, rows: Rows) -> None:
        read, key_of = self._read, self.key_of
        self._unread[rows.id] = sum(key_of(item) not in read for item in rows.items)

    def unread_note(self, rows: Rows) -> str:
        """For a pane's position: " · 12 unread" (and " · unread only")."""
        if self.library is None:
            return ""
        unread = self._unread.get(rows.id)
        note = "" if unread is None else f" · {unread:,} unread"
        return note + (" · unread only" if self.only_unread else "")

    def unread_total_note(self) -> str:
        """For the header: " · 12 unread" over both lists, once both are counted."""
        counts = [self._unread.get(rows.id) for rows in (self.articles, self.ticker)]
        if self.library is None or None in counts:
            return ""
        return f" · {sum(c or 0 for c in counts):,} unread"

    def _nothing_to_read(self) -> str:
        if self.chosen_feed == STARRED and not self.articles.items:
            return "Nothing is starred: f stars the article shown; S lists all articles again."
        return super()._nothing_to_read()  # type: ignore[misc]

    # -- reading ------------------------------------------------------------------------------

    def _open(self, item: Item | None) -> None:
        super()._open(item)  # type: ignore[misc]
        self._dwell_on(item)

    def _dwelt(self, item: Item) -> None:
        self._dwell = None
        if self._lists_mounted() and self.shows(item):
            self.set_read(item, True)

    def on_row_list_selected(self, event: RowList.Selected) -> None:
        if event.row_list.id in ("articles", "ticker"):
            self.set_read(event.item, True)

    def set_read(self, item: object, read: bool) -> None:
        """Mark `item` read (or unread): its row at once, the library by the writer."""
        if self.library is None:
            return
        key = self.key_of(item)
        if (key not in self._read) is not read:
            return
        if read:
            self._read.add(key)
        else:
            self._read.discard(key)
        rows, row = self._row_of(item)
        if rows.refresh_item(row):
            count = self._unread.get(rows.id)
            if count is not None:
                self._unread[rows.id] = count - 1 if read else count + 1
            self._update_pane_title(rows)
        self._count_in_header_later()
        self._write(lambda library: library.set_read(key, read))

    def _row_of(self, item: object) -> tuple[Rows, object]:
        """The list `item` is in and its row there: a feed article shown in full is its
        FeedRow under the cursor (found by its story, not sought among 100,000 rows)."""
        rows: Rows = self.ticker if isinstance(item, CorpusTickerItem) else self.articles
        row = rows.highlighted
        if isinstance(row, FeedRow) and isinstance(item, Article) and row.guid == item.guid:
            return rows, row
        return rows, item

    def _count_in_header_later(self) -> None:
        """The header's count a moment later: writing the header lays out the whole screen
        (~20 ms), which a key that marks one row should not wait for."""
        if self._header_timer is None:
            self._header_timer = self.set_timer(HEADER_DELAY, self._count_in_header)

    def _count_in_header(self) -> None:
        self._header_timer = None
        if self._lists_mounted():
            self._update_counts()

    def _lists_mounted(self) -> bool:
        """False once the reader is closing (a timer may fire as its widgets go)."""
        return bool(self.screen_stack) and bool(self.query("#articles"))

    def _write(self, change: Callable[[Library], object]) -> None:
        """Hand `change` to the writer: one worker at a time, changes in their order."""
        if self._writes.put(change):
            self.run_worker(
                partial(self._writes.drain, self.library, self.writer_idle, self.post_message),
                thread=True, group="library-write", exit_on_error=False,
                description="saving read marks and stars",
            )  # fmt: skip

    def on_unmount(self) -> None:
        self._writes.close()  # the changes still queued are made first (a moment at most)
        if self.library is not None:  # the session was saved as the app exited, before
            self.library.close()  # its WAL and shared-memory files go with the connection

    # -- keys ---------------------------------------------------------------------------------

    def _library_ready(self) -> bool:
        if self.library is None:
            self.notify(STILL_OPENING, markup=False)
        return self.library is not None

    def action_toggle_read(self) -> None:
        item = self._item_to_mark()
        if item is not None and self._library_ready():
            if self._dwell is not None:  # a mark made by hand is not undone by the dwell
                self._dwell.stop()
                self._dwell = None
            self.set_read(item, self.key_of(item) not in self._read)

    def _item_to_mark(self) -> Item | None:
        """The highlighted item of the focused list; from the reading pane, the item shown
        (as its list's row, where it has one, so that the row shows the mark)."""
        if self.focused is not self.reader:
            return self._list_in_focus().highlighted
        rows = (self.articles.highlighted, self.ticker.highlighted)
        return next((row for row in rows if self.shows(row)), self.reader.shown)

    def action_mark_all_read(self) -> None:
        rows = self._list_in_focus()
        if not self._library_ready():
            return
        unread = [i for i in rows.visible_items if self.key_of(i) not in self._read]
        if not unread:
            self.notify("Nothing listed is unread.", markup=False)
        elif len(unread) > MARK_ALL_CONFIRM:
            from reader.ui.screens import ConfirmScreen  # with the dialogs, not at start-up

            question = f"Mark {plural(len(unread), 'item')} read?"
            done = partial(self._mark_all, rows, unread)
            self.push_screen(ConfirmScreen(question), lambda yes: done() if yes else None)
        else:
            self._mark_all(rows, unread)

    def _mark_all(self, rows: Rows, items: list[Any]) -> None:
        keys = [self.key_of(item) for item in items]
        self._read.update(keys)
        count = self._unread.get(rows.id)
        if count is not None:
            self._unread[rows.id] = max(count - len(keys), 0)
        rows.redraw()
        self._update_counts()
        self._write(lambda library: library.mark_read(keys))
        self.notify(f"Marked {len(keys):,} read. u undoes.", markup=False)

    def action_undo_mark(self) -> None:
        if self._library_ready():
            self._write(self._undo)

    def _undo(self, library: Library) -> None:
        undone = library.undo()
        self.post_message(ReadReloaded(library.read_keys(), undone))

    def on_read_reloaded(self, message: ReadReloaded) -> None:
        if not message.undone:
            self.notify("Nothing to undo.", markup=False)
            return
        self._read = set(message.read)
        for rows in (self.articles, self.ticker):
            self._listed(rows)  # counted again
            rows.redraw()
        self.notify(f"Marked {message.undone:,} unread again.", markup=False)

    def _step_unread(self, step: int) -> None:
        rows = self._list_in_focus()
        if not self._library_ready():
            return
        items = rows.visible_items
        position = rows.cursor + step
        while 0 <= position < len(items):
            if self.key_of(items[position]) not in self._read:
                rows.cursor = position
                self._open(rows.highlighted)
                return
            position += step
        self.notify("No more unread.", markup=False)

    def action_next_unread(self) -> None:
        self._step_unread(+1)

    def action_previous_unread(self) -> None:
        self._step_unread(-1)

    def action_only_unread(self) -> None:
        if not self._library_ready():
            return
        self.only_unread = not self.only_unread
        self._show_articles()
        self._show_ticker()
        self._update_counts()
        self.notify("Only unread items." if self.only_unread else "All items.", markup=False)

    def action_star(self) -> None:
        shown = self.reader.shown
        if not self._library_ready():
            return
        if not isinstance(shown, Article):
            self.notify("Only an article can be starred.", markup=False)
            return
        from reader.library.state import Starred

        key = self.key_of(shown)
        starring = key not in self._starred
        if starring:
            entry = Starred.of(shown)
            self._starred.add(key)
            self._write(lambda library: library.star(entry))
        else:
            self._starred.discard(key)
            self._write(lambda library: library.unstar(key))
        self.articles.refresh_item(self._row_of(shown)[1])
        self.notify("Starred." if starring else "No longer starred.", markup=False)

    def action_starred(self) -> None:
        """The starred articles; from them, all articles again (without feeds there is no
        source chooser to leave them by)."""
        if self._library_ready():
            self.show_source(ALL_SOURCES if self.chosen_feed == STARRED else STARRED)

    def _starred_items(self) -> list[Article]:
        library = self.library
        if library is None:
            return []
        from reader.library.state import LibraryError

        try:
            entries = library.starred()
        except LibraryError as error:
            self._library_failed(str(error))
            return []
        items, keys = starred_items(entries, self.feed_articles, self.corpus.articles,
                                    self.key_of, self._stored)  # fmt: skip
        for item, key in zip(items, keys, strict=True):
            self._keys[id(item)] = (item, key)
        return items
