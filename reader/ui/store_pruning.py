"""Removing the feed articles older than the settings keep, tried again while another
program holds the store's write lock: the reader reads the store without waiting for it
(reader/feeds/reading.py), and the removal is tried every PRUNE_RETRY_SECONDS till it is done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.timer import Timer

from reader.text import make_visible
from reader.ui.feed_messages import StorePruned, removed_notice

if TYPE_CHECKING:  # the core is imported in the worker
    from reader.feeds.settings import FeedSettings
    from reader.feeds.store import FeedStore

PRUNE_RETRY_SECONDS = 60.0


class PruningMixin:
    """A part of ReaderApp, through FeedsMixin, whose store and settings it prunes by."""

    def _init_pruning(self) -> None:
        self._prune_timer: Timer | None = None  # the next try, while one is due

    def _prune_later(self) -> None:
        """Try again in a while to remove the articles older than the settings keep."""
        if self._prune_timer is None:
            self._prune_timer = self.set_timer(PRUNE_RETRY_SECONDS, self._retry_prune)

    def _retry_prune(self) -> None:
        self._prune_timer = None
        store, settings = self._store, self._feed_settings
        if store is not None and settings is not None:
            self.prune_store(store, settings)

    @work(thread=True, group="prune", exit_on_error=False, description="removing old articles")
    def prune_store(self, store: FeedStore, settings: FeedSettings) -> None:
        from reader.feeds.reading import prune_keeping_stars

        pruned = prune_keeping_stars(store, settings)
        self.post_message(StorePruned(pruned.removed, pruned.later, pruned.skipped))

    def on_store_pruned(self, message: StorePruned) -> None:
        from reader.feeds.reading import PRUNE_LATER

        if message.later:
            self._prune_later()
            return
        self.feed_diagnostics = [d for d in self.feed_diagnostics if d.message != PRUNE_LATER]
        self._read_problems = [d for d in self._read_problems if d.message != PRUNE_LATER]
        if message.skipped is not None:  # as read_feeds says it on the first try
            self.notify(
                make_visible(message.skipped), title="Feeds", severity="warning", markup=False
            )
        if message.removed and self._feed_settings is not None:
            notice = removed_notice(message.removed, self._feed_settings)
            self.notify(notice, title="Feeds", markup=False)
