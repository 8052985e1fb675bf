"""The feeds as the reader and `export` read them: feeds.toml, the `[feeds]` settings and
the store, pruned as the settings keep, with each feed's name (FeedsRead).

Reading never depends on writing: a store that cannot be written (a read-only folder) or is
damaged is read as far as it can be, and one whose write lock another program holds is read
at once; the articles the retention could not remove then are left out of what is read, and
the removal is tried again later (`prune_later`). Starred feed articles are never removed: the
library (library.sqlite beside the store) is read for them first, and when it cannot be read,
nothing is removed (`Pruned.skipped` says why).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from reader.config import default_config_path
from reader.feeds.names import store_feed_names
from reader.feeds.settings import FeedSettings, load_feed_settings
from reader.feeds.store import FeedStore, StoreBusy, StoreError, default_store_path
from reader.feeds.subscriptions import Subscription, default_subscriptions_path, load_subscriptions
from reader.library.db import LibraryError, read_starred_guids
from reader.model import Diagnostic, Severity
from reader.paths import LIBRARY_FILE


@dataclass(frozen=True)
class FeedsRead:
    """What was read of the feeds: the subscriptions, the store (None without one), the
    settings, each feed's name (unique, by address), problems, how many stored articles it
    removed as older than the settings keep, and whether that removal is still to be done
    (the store was busy: `prune_later`)."""

    store: FeedStore | None
    subscriptions: list[Subscription]
    settings: FeedSettings
    names: dict[str, str] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    removed: int = 0
    prune_later: bool = False


def read_feeds(
    store: FeedStore | None, now: datetime | None = None, *, create: bool = True
) -> FeedsRead:
    """Read feeds.toml, the `[feeds]` settings and the store (opened if need be, to be read
    if it cannot be written; made only with `create` and subscriptions), and remove stored
    articles older than the settings keep: what the reader (in a worker) and `export` show."""
    subscriptions, problems = load_subscriptions()
    settings, setting_problems = load_feed_settings()
    # Each problem under the file it comes from: the settings are in config.toml.
    diagnostics = [Diagnostic(str(default_subscriptions_path()), 0, p) for p in problems]
    diagnostics += [Diagnostic(str(default_config_path()), 0, p) for p in setting_problems]
    try:
        if store is None:
            if not default_store_path().exists() and not (create and subscriptions):
                return FeedsRead(None, subscriptions, settings, problems=diagnostics)
            store = FeedStore.open_to_read()
        if store.cannot_write is not None:
            severity = Severity.ERROR if store.damage else Severity.WARNING
            diagnostics.append(_store_problem(store.cannot_write, severity))
        pruned = prune_keeping_stars(store, settings, now)
        removed, prune_later = pruned.removed, pruned.later
        if prune_later:
            diagnostics.append(_store_problem(PRUNE_LATER, Severity.INFO))
        if pruned.skipped is not None:
            diagnostics.append(_store_problem(pruned.skipped, Severity.WARNING))
        names = store_feed_names(subscriptions, store)
    except StoreError as error:
        diagnostics.append(_store_problem(str(error), Severity.ERROR))
        return FeedsRead(None, subscriptions, settings, problems=diagnostics)
    return FeedsRead(store, subscriptions, settings, names, diagnostics, removed, prune_later)


PRUNE_LATER = (
    "another program is writing to the feed store: the articles older than keep_days are"
    " hidden, and removed later"
)


@dataclass(frozen=True, slots=True)
class Pruned:
    """What a prune did: how many articles it removed, whether that is still to be done (the
    store was busy), and why it removed nothing on purpose (`skipped`), if it did not."""

    removed: int
    later: bool = False
    skipped: str | None = None


def prune_keeping_stars(
    store: FeedStore, settings: FeedSettings, now: datetime | None = None
) -> Pruned:
    """Remove the stored articles older than the settings keep, except the starred ones,
    without waiting for another program's write lock. The articles older are not read
    meanwhile, nor from a store that cannot be written. When the library cannot be read,
    which articles are starred is unknown: nothing is removed, and `skipped` says why."""
    oldest = (now or datetime.now(UTC)) - timedelta(days=settings.keep_days)
    if store.cannot_write is not None:
        store.shown_since = oldest
        return Pruned(0)
    try:
        starred = read_starred_guids(store.path.with_name(LIBRARY_FILE))
    except LibraryError as error:
        store.shown_since = None
        return Pruned(0, skipped=f"{error}: {PRUNE_SKIPPED}")
    try:
        removed = store.prune(settings.keep_days, now, wait=False, keep_guids=starred)
    except StoreBusy:
        store.shown_since = oldest
        return Pruned(0, later=True)
    store.shown_since = None
    return Pruned(removed)


PRUNE_SKIPPED = (
    "which articles are starred is unknown, so none older than keep_days is removed this time"
)


def _store_problem(message: str, severity: Severity) -> Diagnostic:
    return Diagnostic(str(default_store_path()), 0, message, severity)
