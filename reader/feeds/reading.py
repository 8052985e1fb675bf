"""The feeds as the reader and `export` read them: feeds.toml, the `[feeds]` settings and
the store, pruned as the settings keep, with each feed's name (FeedsRead)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from reader.config import default_config_path
from reader.feeds.names import store_feed_names
from reader.feeds.settings import FeedSettings, load_feed_settings
from reader.feeds.store import FeedStore, StoreError, default_store_path
from reader.feeds.subscriptions import Subscription, default_subscriptions_path, load_subscriptions
from reader.model import Diagnostic, Severity


@dataclass(frozen=True)
class FeedsRead:
    """What was read of the feeds: the subscriptions, the store (None without one), the
    settings, each feed's name (unique, by address), problems, and how many stored articles
    it removed as older than the settings keep."""

    store: FeedStore | None
    subscriptions: list[Subscription]
    settings: FeedSettings
    names: dict[str, str] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    removed: int = 0


def read_feeds(
    store: FeedStore | None, now: datetime | None = None, *, create: bool = True
) -> FeedsRead:
    """Read feeds.toml, the `[feeds]` settings and the store (opened if need be; made only
    with `create` and subscriptions), and remove stored articles older than the settings
    keep: what the reader (in a worker) and `export` show."""
    subscriptions, problems = load_subscriptions()
    settings, setting_problems = load_feed_settings()
    # Each problem under the file it comes from: the settings are in config.toml.
    diagnostics = [Diagnostic(str(default_subscriptions_path()), 0, p) for p in problems]
    diagnostics += [Diagnostic(str(default_config_path()), 0, p) for p in setting_problems]
    try:
        if store is None:
            if not default_store_path().exists() and not (create and subscriptions):
                return FeedsRead(None, subscriptions, settings, problems=diagnostics)
            store = FeedStore.open()
        removed = store.prune(settings.keep_days, now)
        names = store_feed_names(subscriptions, store)
    except StoreError as error:
        diagnostics.append(Diagnostic(str(default_store_path()), 0, str(error), Severity.ERROR))
        return FeedsRead(None, subscriptions, settings, problems=diagnostics)
    return FeedsRead(store, subscriptions, settings, names, diagnostics, removed)
