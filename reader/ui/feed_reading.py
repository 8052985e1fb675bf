"""The feeds as the reader reads them, in its workers: feeds.toml, the settings and the store
(FeedsRead), and the articles shown kept up to date with what the store gained (merged).

No Textual here: reader/ui/feeds.py runs these in its workers. The feed core is imported
inside the functions, so that the first frame does not wait for it.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from reader.model import Article, Diagnostic, Severity

if TYPE_CHECKING:
    from reader.feeds.settings import FeedSettings
    from reader.feeds.store import FeedStore
    from reader.feeds.subscriptions import Subscription

# Items are stored (and changed in place) as of when their refresh began: one that began
# this long before the store was last read (here or in another nieuwslezer) may have stored
# them after. Longer than any refresh takes, its time-outs included.
STORE_LAG = timedelta(hours=1)


@dataclass(frozen=True)
class FeedsRead:
    """What a worker read of the feeds: the subscriptions, the store (None without one), the
    settings, each feed's name (unique, by address), problems, and how many stored articles
    it removed as older than the settings keep."""

    store: FeedStore | None
    subscriptions: list[Subscription]
    settings: FeedSettings
    names: dict[str, str] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    removed: int = 0


def read_feeds(store: FeedStore | None, now: datetime | None = None) -> FeedsRead:
    """Read feeds.toml, the `[feeds]` settings and the store (opened if need be), and remove
    stored articles older than the settings keep. Runs in a worker."""
    from reader.config import default_config_path
    from reader.feeds.names import store_feed_names
    from reader.feeds.settings import load_feed_settings
    from reader.feeds.store import FeedStore, StoreError, default_store_path
    from reader.feeds.subscriptions import default_subscriptions_path, load_subscriptions

    subscriptions, problems = load_subscriptions()
    settings, setting_problems = load_feed_settings()
    # Each problem under the file it comes from: the settings are in config.toml.
    diagnostics = [Diagnostic(str(default_subscriptions_path()), 0, p) for p in problems]
    diagnostics += [Diagnostic(str(default_config_path()), 0, p) for p in setting_problems]
    try:
        if store is None:
            if not subscriptions and not default_store_path().exists():
                return FeedsRead(None, [], settings, problems=diagnostics)
            store = FeedStore.open()
        removed = store.prune(settings.keep_days, now)
        names = store_feed_names(subscriptions, store)
    except StoreError as error:
        diagnostics.append(Diagnostic(str(default_store_path()), 0, str(error), Severity.ERROR))
        return FeedsRead(None, subscriptions, settings, problems=diagnostics)
    return FeedsRead(store, subscriptions, settings, names, diagnostics, removed)


def merged(
    fresh: list[Article], shown: list[Article], oldest_kept: datetime, names: dict[str, str]
) -> tuple[list[Article], int]:
    """The articles `shown`, with those read again from the store (`fresh`, newest first:
    stored or changed since it was last read) in their place or added, and without those the
    store no longer keeps (older than `oldest_kept`); each under its feed's name now. Also:
    how many of `fresh` are new here."""
    fresh_guids = {article.guid for article in fresh}
    shown_guids = {article.guid for article in shown}
    kept = [
        _renamed(article, names)
        for article in shown
        if article.guid not in fresh_guids and (article.sort_time or oldest_kept) >= oldest_kept
    ]
    newest_first = heapq.merge(
        fresh, kept, key=lambda article: article.sort_time or oldest_kept, reverse=True
    )
    return list(newest_first), sum(article.guid not in shown_guids for article in fresh)


def _renamed(article: Article, names: dict[str, str]) -> Article:
    """The article under its feed's name in `names`: names change when another feed of the
    same title is subscribed to."""
    name = names.get(article.feed or "")
    return article if name is None or name == article.source else replace(article, source=name)


def keeping_identity(articles: list[Article], *kept: Article | object | None) -> list[Article]:
    """`articles`, with the same object in place of those read again unchanged among `kept`
    (the article being read, the one under the cursor), so that they stay where they are."""
    wanted = {a.guid: a for a in kept if isinstance(a, Article) and a.guid is not None}
    if not wanted:
        return articles
    return [wanted[a.guid] if a.guid in wanted and wanted[a.guid] == a else a for a in articles]


def same_story(article: Article, articles: list[Article]) -> Article | None:
    """The article of `articles` that is the story `article` is (its guid), as it now stands;
    None if it is not there, or `article` is no feed article."""
    if article.guid is None:
        return None
    return next((other for other in articles if other.guid == article.guid), None)
