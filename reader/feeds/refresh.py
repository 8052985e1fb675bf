"""Refreshing subscriptions: fetch every feed in parallel, parse, store, one outcome per feed.

Used by `nieuwslezer refresh` and by the reader's refresh worker alike. Fetching runs in
parallel (bounded); parsing and storing run in the calling thread, one feed at a time, as the
answers come in, so the first outcome is ready as soon as the fastest feed has answered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from reader.feeds.fetch import Fetched, FetchFailed, Validators, fetch_all
from reader.feeds.parse import NotAFeed, parse_feed
from reader.feeds.settings import FeedSettings
from reader.feeds.store import FeedStore, StoreError
from reader.feeds.subscriptions import Subscription, feed_name
from reader.text import make_visible


class Status(StrEnum):
    NEW = "new"  # fetched and read; `new_items` of them were not stored before
    UNCHANGED = "unchanged"  # the server answered 304 Not Modified
    FAILED = "failed"  # `reason` says why


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """What one refresh of one subscription did."""

    subscription: Subscription
    status: Status
    source: str | None = None  # the channel title, when the feed was read
    new_items: int = 0
    items: int = 0  # items in the feed (within the retention period)
    reason: str | None = None  # why it failed
    notes: tuple[str, ...] = ()  # read anyway, but something was off (malformed XML)

    @property
    def name(self) -> str:
        return feed_name(self.subscription, self.source)

    def summary(self) -> str:
        """One line for a terminal: "NOS Nieuws: 3 new of 40 items"."""
        if self.status is Status.FAILED:
            line = f"{self.name}: error: {self.reason}"
            if self.name != self.subscription.url:
                line += f" ({self.subscription.url})"
        elif self.status is Status.UNCHANGED:
            line = f"{self.name}: unchanged"
        else:
            line = f"{self.name}: {self.new_items} new of {self.items} items"
            if self.notes:
                line += f" ({'; '.join(self.notes)})"
        return make_visible(line)


def refresh_feeds(
    subscriptions: Sequence[Subscription],
    store: FeedStore,
    settings: FeedSettings | None = None,
    now: datetime | None = None,
    stop: Callable[[], bool] | None = None,
) -> Iterator[FeedOutcome]:
    """Refresh every subscription; yields each outcome as that feed is done, fastest first.

    Items older than the retention period are removed first and not stored again: otherwise
    a feed that still carries them would bring them back on every refresh. When `stop()`
    turns true, no further feed is waited for.
    """
    settings = settings or FeedSettings()
    now = now or datetime.now(UTC)
    store.prune(settings.keep_days, now)
    oldest = now - timedelta(days=settings.keep_days)
    jobs = [
        (subscription.url, _validators(store, subscription.url)) for subscription in subscriptions
    ]
    results = fetch_all(
        jobs, max_parallel=settings.max_parallel, timeout=settings.timeout, stop=stop
    )
    for index, result in results:
        subscription = subscriptions[index]
        try:
            yield _store(subscription, result, store, oldest, now)
        except StoreError as error:
            yield FeedOutcome(subscription, Status.FAILED, reason=str(error))


def _validators(store: FeedStore, url: str) -> Validators | None:
    state = store.feed_state(url)
    if state is None or not (state.etag or state.last_modified):
        return None
    return Validators(state.etag, state.last_modified)


def _store(
    subscription: Subscription,
    result: Fetched | FetchFailed,
    store: FeedStore,
    oldest: datetime,
    now: datetime,
) -> FeedOutcome:
    url = subscription.url
    state = store.feed_state(url)
    known_title = state.title if state else None  # from an earlier fetch, for the outcome's name
    if isinstance(result, FetchFailed):
        store.record_fetch(url, error=result.reason, fetched_at=now)
        return FeedOutcome(subscription, Status.FAILED, known_title, reason=result.reason)
    if result.status == 304:
        store.record_fetch(url, fetched_at=now)
        return FeedOutcome(subscription, Status.UNCHANGED, known_title)
    parsed = parse_feed(result.body, result.url, result.content_type)
    if isinstance(parsed, NotAFeed):
        store.record_fetch(url, error=parsed.reason, fetched_at=now)
        return FeedOutcome(subscription, Status.FAILED, known_title, reason=parsed.reason)
    recent = [i for i in parsed.items if i.published is None or i.published >= oldest]
    source = subscription.title or parsed.title  # a name the user gave wins
    new = store.save(url, source, recent, fetched_at=now)
    store.record_fetch(
        url,
        etag=result.validators.etag,
        last_modified=result.validators.last_modified,
        title=source,
        fetched_at=now,
        new_version=True,
    )
    return FeedOutcome(subscription, Status.NEW, source, new, len(recent), notes=parsed.problems)
