"""Feeds in the reader: the messages the feed workers send, and the choice of source.

The workers themselves are the app's (reader/ui/app.py); the feed core (reader/feeds) is
imported inside them, so the first frame never waits for requests or feedparser.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from textual.message import Message

from reader.model import Article, Diagnostic

if TYPE_CHECKING:  # the core is imported in the workers
    from reader.feeds.refresh import FeedOutcome
    from reader.feeds.settings import FeedSettings
    from reader.feeds.store import FeedStore
    from reader.feeds.subscriptions import Subscription


class FeedArticlesLoaded(Message):
    """Stored feed articles, newest first: all of them when `complete`, else the newest."""

    def __init__(self, articles: list[Article], complete: bool) -> None:
        super().__init__()
        self.articles = articles
        self.complete = complete


class FeedRefreshed(Message):
    """One feed of a refresh is done (`done` of `total`)."""

    def __init__(self, outcome: FeedOutcome, done: int, total: int) -> None:
        super().__init__()
        self.outcome = outcome
        self.done = done
        self.total = total


class RefreshFinished(Message):
    """A refresh is over; `added` are the articles it stored, newest first."""

    def __init__(self, outcomes: list[FeedOutcome], added: list[Article], now: datetime) -> None:
        super().__init__()
        self.outcomes = outcomes
        self.added = added
        self.now = now


class FeedsOpened(Message):
    """The subscriptions, the store (None without one) and the settings, read in a worker."""

    def __init__(
        self,
        store: FeedStore | None,
        subscriptions: list[Subscription],
        names: dict[str, str],
        settings: FeedSettings,
        problems: list[Diagnostic],
    ) -> None:
        super().__init__()
        self.store = store
        self.subscriptions = subscriptions
        self.names = names  # a feed's address -> the source its articles show as
        self.settings = settings
        self.problems = problems


def merged(added: list[Article], known: list[Article], now: datetime) -> list[Article]:
    """Articles a refresh added merged into those shown, newest first, each story once.

    An undated article sorts as if published when it was stored, as the store orders it;
    one just added was stored `now`."""
    guids = {article.guid for article in added}
    kept = [article for article in known if article.guid not in guids]
    return list(
        heapq.merge(added, kept, key=lambda a: a.published or now, reverse=True),
    )


ALL_SOURCES = "\0all"  # the choice that shows every source; no channel title is this


@dataclass(frozen=True, slots=True)
class SourceChoice:
    """A row of the sources screen: a feed's channel title, the saved pages, or all."""

    source: str | None  # ALL_SOURCES, a channel title, or None for the saved pages
    label: str
    articles: int
    note: str = ""  # the feed's last error, if any


def source_choices(articles: Iterable[Article], failures: dict[str, str]) -> list[SourceChoice]:
    """All sources, then each feed by name (with why its last refresh failed), then the saved
    pages (if any). `failures` maps a feed's name to the reason."""
    counts = Counter(article.source for article in articles)
    pages = counts.pop(None, 0)
    total = sum(counts.values()) + pages
    choices = [SourceChoice(ALL_SOURCES, "All sources", total)]
    for source in sorted(counts.keys() | failures.keys(), key=str.casefold):
        choices.append(SourceChoice(source, source, counts[source], failures.get(source, "")))
    if pages:
        choices.append(SourceChoice(None, "Saved pages", pages))
    return choices


def shows(source: str | None, article: Article) -> bool:
    """Whether the article list shows `article` while `source` is chosen."""
    return source == ALL_SOURCES or article.source == source
