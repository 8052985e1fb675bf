"""Where the cursor lands on start (issue 15): LandingMixin, a part of LibraryMixin.

Twice. Early, for the first frame (`land_early`, called as the app mounts, once the pages of
a small corpus and the newest stored rows are listed): a read-only peek at the library
(reader/library/peek.py) says which of the first rows listed are read and (SessionMixin)
where the session saved last was, and the first frame shows the article landed on: the newest
unread among those rows, or the session's article (from the rows, or from the store by its
guid when it is further down). Then properly, once the library is open and the lists are
filled (`_land_if_ready`, once): the cursor on the newest unread listed, or the whole session
restored (SessionMixin overrides `_land_cursor`); what landed early is then where the cursor
goes, the same object in the reading pane, scrolled as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual import events

from reader.model import Article, CorpusTickerItem

if TYPE_CHECKING:
    from reader.library.peek import Peeked

Item = Article | CorpusTickerItem
EARLY_ROWS = 100  # the rows whose read marks the early landing peeks at (a screenful or more)


class LandingMixin:
    """Landing the cursor on start; the state it reads (`library`, `_read`, `_unread`,
    `_landed`, `_dwell`) is LibraryMixin's."""

    def _init_landing(self) -> None:
        self._landed = False
        self._user_acted = False  # a key or a click before the landing: it then moves nothing

    async def on_event(self, event: events.Event) -> None:
        if not self._landed and isinstance(event, events.Key | events.MouseDown):
            self._user_acted = True
        await super().on_event(event)  # type: ignore[misc]

    def on_worker_state_changed(self, _: object) -> None:
        # The pages or the feeds may have finished loading with no list shown again after
        # (no store): land then. Later, once LoadingMixin's and FeedsMixin's handlers ran.
        if not self._landed:
            self.call_later(self._land_if_ready)

    def _land_if_ready(self) -> None:
        """Land the cursor once: the library open, the article list seen, the lists filled."""
        seen = self.library is not None and self._unread.get(self.articles.id) is not None
        if seen and not self._landed and self._ready_to_land():
            self._landed = True
            if self._user_acted:  # the reader is being used: the cursor stays where it went
                self._land_where_used()
            else:
                self._land_cursor()

    def _ready_to_land(self) -> bool:
        feeds_coming = self.feeds_enabled and (not self._feeds_opened or self.feeds_loading)
        return not self.loading_corpus and not feeds_coming

    def land_early(self) -> None:
        """Before the first frame (the pages of a small corpus and the newest stored rows
        are listed by then): the article the reader lands on, from a peek at the library
        (reader/library/peek.py): the newest unread among the first rows listed
        (SessionMixin: the session's article). With no library file (a first run) this
        costs nothing; else a millisecond or two, and SQLite's import (~2 ms) when no feed
        store has brought it. The proper landing follows once the library is open and the
        lists are filled."""
        from reader.library.peek import library_path, peek_landing

        if self._landed or self.library is not None or not library_path().is_file():
            return
        listed = self.articles.visible_items[:EARLY_ROWS]
        keys = [self.key_of(item) for item in listed]
        peeked = peek_landing(keys, session=self._restoring())
        if peeked is not None:
            self._land_early(peeked, listed, keys)

    def _restoring(self) -> bool:
        """Whether the session is to be restored (SessionMixin says)."""
        return False

    def _land_early(self, peeked: Peeked, listed: Sequence[Article], keys: list[str]) -> None:
        """The newest unread of the rows peeked at, shown (none unread: left to the landing)."""
        unread = next((i for i, k in zip(listed, keys, strict=True) if k not in peeked.read), None)
        if unread is not None and unread is not self.articles.highlighted:
            self.articles.select_item(unread)  # which opens it, the list being focused
            if not self.shows(unread):
                self._open(unread)

    def _land_cursor(self) -> None:
        """Where the cursor lands on start, called once: when the library is open and the
        lists have been read (pages and stored feed articles). Here: on the newest unread
        article (the first unread row: feed articles are listed newest first). Session
        restore overrides this to restore the session, and calls `super()._land_cursor()`
        when there is none to restore."""
        item = self._landing_item()
        if item is not None and item is not self.articles.highlighted:
            self.articles.select_item(item)
            self._open(item)
        else:
            self._dwell_on(self.reader.shown)  # landed early: read once it has stayed

    def _land_where_used(self) -> None:
        """The landing, when a key or a click came before it: nothing moves; what is shown
        counts as read once it has stayed. Session restore extends this (quitting saves)."""
        self._dwell_on(self.reader.shown)

    def _dwell_on(self, item: Item | None) -> None:
        """Count `item` read once it has stayed `read_dwell` seconds in the reading pane."""
        if self._dwell is not None:
            self._dwell.stop()
            self._dwell = None
        if item is not None and self.library is not None:
            self._dwell = self.set_timer(self.read_dwell, partial(self._dwelt, item))

    def _landing_item(self) -> Article | None:
        """The newest unread article listed, if any."""
        for item in self.articles.visible_items:
            if self.key_of(item) not in self._read:
                return item
        return None
