"""Refreshing subscriptions: fetch every feed in parallel, parse, store, one outcome per feed.

Used by `nieuwslezer refresh` and by the reader's refresh worker alike. Fetching runs in
parallel (bounded); parsing and storing run in the calling thread, one feed at a time, as the
answers come in, so the first outcome is ready as soon as the fastest feed has answered.

A feed is fetched whole, not asked "changed since?", when its validators cannot be trusted to
bring what the store lacks: with `full`, after it was subscribed to again (its validators are
forgotten), and when the retention period is now longer than the one its stored version was
kept under (store.FeedState.kept_days), or items older than that would never come back.

Each feed's outcome is its own: whatever goes wrong while fetching, reading, converting or
storing one feed (a bug included) is that feed's failed outcome, and the others carry on, so a
refresh of N feeds always gives N outcomes. A server that asked to wait (Retry-After on a 429
or 503) is not asked again before then, by this refresh or the next, for any of its feeds.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from reader.feeds.fetch import (
    MAX_RETRY_AFTER,
    Fetched,
    FetchFailed,
    Validators,
    fetch_all,
    server_of,
)
from reader.feeds.parse import NotAFeed, parse_feed
from reader.feeds.reading import prune_keeping_stars
from reader.feeds.settings import DEFAULT_KEEP_DAYS, FeedSettings
from reader.feeds.store import FeedStore, StoreError
from reader.feeds.subscriptions import Subscription, feed_name, feed_names
from reader.http_errors import unexpected
from reader.present import plural
from reader.text import make_visible


class Status(StrEnum):
    NEW = "new"  # fetched and read; `new_items` of them were not stored before
    UNCHANGED = "unchanged"  # the server answered 304 Not Modified
    FAILED = "failed"  # `reason` says why (also: not asked, as its server asked to wait)


@dataclass(frozen=True, slots=True)
class _NotAsked:
    """A feed left alone this time: `server` ("the server": the feed's own) asked to wait."""

    until: datetime
    server: str


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """What one refresh of one subscription did."""

    subscription: Subscription
    status: Status
    # What the feed shows as, unique among the feeds (subscriptions.feed_names); unless
    # `name_final` is false: then its own name (feed_name), as its unique one may still change.
    name: str
    source: str | None = None  # the channel's own title, when the feed was read
    new_items: int = 0
    items: int = 0  # items in the feed
    too_old: int = 0  # of those, published over `keep_days` ago: not kept
    keep_days: int = DEFAULT_KEEP_DAYS
    reason: str | None = None  # why it failed
    notes: tuple[str, ...] = ()  # read anyway, but something was off (malformed XML)
    name_final: bool = True
    asked: bool = True  # False (and FAILED): not asked, as its server asked to wait

    @property
    def label(self) -> str:
        """The feed as a line names it: its name, with its address while that name may still
        change, so that the line stays true once the other feeds' titles are known."""
        url = self.subscription.url
        return self.name if self.name_final or self.name == url else f"{self.name} ({url})"

    def summary(self) -> str:
        """One line for a terminal: "NOS Nieuws: 3 new of 40 items"."""
        label = self.label
        if self.status is Status.FAILED:
            line = f"{label}: error: {self.reason}"
            if self.subscription.url not in label:
                line += f" ({self.subscription.url})"
        elif self.status is Status.UNCHANGED:
            line = f"{label}: unchanged"
        else:
            line = f"{label}: {self.new_items} new of {plural(self.items, 'item')}"
            remarks = list(self.notes)
            if self.too_old:
                days = plural(self.keep_days, "day")
                remarks.insert(0, f"{self.too_old:,} older than {days}, not kept")
            if remarks:
                line += f" ({'; '.join(remarks)})"
        return make_visible(line)


def refresh_feeds(
    subscriptions: Sequence[Subscription],
    store: FeedStore,
    settings: FeedSettings | None = None,
    now: datetime | None = None,
    stop: Callable[[], bool] | None = None,
    *,
    only: Collection[str] | None = None,
    full: bool = False,
    prune: bool = True,
    on_pruned: Callable[[int, bool], None] | None = None,
    on_prune_skipped: Callable[[str], None] | None = None,
) -> Iterator[FeedOutcome]:
    """Refresh every subscription, or those at the addresses in `only`; yields each outcome
    as that feed is done, fastest first. Outcomes are named as names.store_feed_names names
    the feeds among all of `subscriptions`; but while a feed of this refresh whose title is
    not yet known (never fetched) is still to come, each by its own name, which its line
    gives with its address (`name_final` false): that feed may bring the same title, and
    then the two are told apart.

    Items older than the retention period are removed first, unless `prune` is false (the
    caller just did: reading.read_feeds), and not stored again: otherwise a feed that still
    carries them would bring them back on every refresh. That removal never waits for another
    program's write lock (reading.prune_keeping_stars): `on_pruned` is told how many items it
    removed, and whether it is still to be done; starred articles are kept, and when the
    library that says which they are cannot be read, nothing is removed and
    `on_prune_skipped` is told why. The refresh goes on either way, each feed's storing
    succeeding or failing as that feed's outcome. With `full`, no feed is asked only for
    changes. When `stop()` turns true, no further feed is waited for.
    """
    settings = settings or FeedSettings()
    now = now or datetime.now(UTC)
    if prune:
        pruned = prune_keeping_stars(store, settings, now)
        if on_pruned is not None:
            on_pruned(pruned.removed, pruned.later)
        if pruned.skipped is not None and on_prune_skipped is not None:
            on_prune_skipped(pruned.skipped)
    # As names.store_feed_names names them, from values read once: the feeds with stored
    # articles stay those after the prune above, while titles change as feeds come in.
    titles, stored = store.channel_titles(), store.feed_counts()
    names = feed_names(subscriptions, titles, stored)
    names_stale = False  # a title changed since `names` was worked out
    chosen = [s for s in subscriptions if only is None or s.url in only]
    untitled = {s.url for s in chosen if feed_name(s, titles.get(s.url)) == s.url}
    waits = _waits(store, chosen, now)
    asked = [s for s in chosen if s.url not in waits]
    jobs = [(s.url, None if full else _validators(store, s.url, settings.keep_days)) for s in asked]
    fetched = fetch_all(
        jobs, max_parallel=settings.max_parallel, timeout=settings.timeout, stop=stop
    )
    results: Iterable[tuple[Subscription, Fetched | FetchFailed | _NotAsked]] = itertools.chain(
        ((s, waits[s.url]) for s in chosen if s.url in waits),
        ((asked[index], result) for index, result in fetched),
    )
    for subscription, result in results:
        url = subscription.url
        outcome = _outcome(subscription, result, store, settings.keep_days, now)
        untitled.discard(url)
        if outcome.source is not None and titles.get(url) != outcome.source:
            titles[url] = outcome.source  # a feed's first fetch, or a channel renamed
            names_stale = True
        if untitled:
            yield replace(outcome, name=feed_name(subscription, titles.get(url)), name_final=False)
            continue
        # Worked out again only when a title changed and a line needs it: each time costs
        # as much as there are feeds. (A subscription's name never depends on the others
        # stored, so the titles suffice.)
        if names_stale:
            names, names_stale = feed_names(subscriptions, titles, stored), False
        yield replace(outcome, name=names[url])


def _waits(store: FeedStore, chosen: Sequence[Subscription], now: datetime) -> dict[str, _NotAsked]:
    """The feeds of `chosen` not to be asked, as they or another feed of their server were
    asked to wait past `now`, by their address."""
    try:
        longest = timedelta(seconds=MAX_RETRY_AFTER)
        asked_to_wait: Mapping[str, datetime] = store.asked_to_wait(now, longest)
    except Exception:  # StoreError, or a bug: every feed is asked, and its outcome says
        return {}  # what is wrong with the store
    by_server: dict[str, datetime] = {}
    for url, until in asked_to_wait.items():
        server = server_of(url)
        by_server[server] = max(until, by_server.get(server, until))
    waits = {}
    for subscription in chosen:
        url = subscription.url
        if url in asked_to_wait:
            waits[url] = _NotAsked(asked_to_wait[url], "the server")
        elif server_of(url) in by_server:
            waits[url] = _NotAsked(by_server[server_of(url)], server_of(url))
    return waits


def _validators(store: FeedStore, url: str, keep_days: int) -> Validators | None:
    """What to ask the server whether the feed changed with; None for a full fetch (also when
    what the last fetch left cannot be read: that feed's state, not the refresh's concern)."""
    try:
        state = store.feed_state(url)
    except StoreError:
        return None
    if state is None or not (state.etag or state.last_modified):
        return None
    if state.kept_days is None or state.kept_days < keep_days:
        return None  # the store may lack items of that version that are now kept
    return Validators(state.etag, state.last_modified)


def _outcome(
    subscription: Subscription,
    result: Fetched | FetchFailed | _NotAsked,
    store: FeedStore,
    keep_days: int,
    now: datetime,
) -> FeedOutcome:
    """What came of one feed, never an exception: a failure of any kind is its outcome."""
    url = subscription.url
    try:
        return _store(subscription, result, store, keep_days, now)
    except StoreError as error:
        return FeedOutcome(subscription, Status.FAILED, url, reason=str(error))
    except Exception as error:  # a bug, or a library's, with this feed's document
        reason = unexpected(error)
        with contextlib.suppress(Exception):  # recorded if it can be, for `feeds list`
            store.record_fetch(url, error=reason, fetched_at=now)
        return FeedOutcome(subscription, Status.FAILED, url, reason=reason)


def _store(
    subscription: Subscription,
    result: Fetched | FetchFailed | _NotAsked,
    store: FeedStore,
    keep_days: int,
    now: datetime,
) -> FeedOutcome:
    """Record and store one feed's result; the outcome's name is set by the caller."""
    url = subscription.url
    if isinstance(result, FetchFailed) and not result.asked:  # another feed's answer: not kept
        result = _NotAsked(now + timedelta(seconds=result.retry_after or 0), server_of(url))
    if isinstance(result, _NotAsked):  # nothing asked, so nothing recorded
        reason = f"not asked: {result.server} asked to wait until {_clock(result.until)}"
        return FeedOutcome(subscription, Status.FAILED, url, reason=reason, asked=False)
    if isinstance(result, FetchFailed):
        reason, retry_at = result.reason, None
        if result.retry_after is not None:
            retry_at = now + timedelta(seconds=result.retry_after)
            reason += (
                f"; the server asks to wait {_duration(result.retry_after)}:"
                f" not asked again before {_clock(retry_at)}"
            )
        store.record_fetch(url, error=reason, fetched_at=now, retry_at=retry_at)
        return FeedOutcome(subscription, Status.FAILED, url, reason=reason)
    if result.status == 304:
        store.record_fetch(url, fetched_at=now)
        return FeedOutcome(subscription, Status.UNCHANGED, url)
    parsed = parse_feed(result.body, result.url, result.content_type)
    if isinstance(parsed, NotAFeed):
        store.record_fetch(url, error=parsed.reason, fetched_at=now)
        return FeedOutcome(subscription, Status.FAILED, url, reason=parsed.reason)
    oldest = now - timedelta(days=keep_days)
    recent = [i for i in parsed.items if i.published is None or i.published >= oldest]
    # Stored under the feed's own name (a title given wins); shown under its unique one.
    new = store.save(url, feed_name(subscription, parsed.title), recent, fetched_at=now)
    store.record_fetch(
        url,
        etag=result.validators.etag,
        last_modified=result.validators.last_modified,
        title=parsed.title,
        fetched_at=now,
        new_version=True,
        kept_days=keep_days,
    )
    return FeedOutcome(
        subscription,
        Status.NEW,
        url,
        parsed.title,
        new,
        len(parsed.items),
        len(parsed.items) - len(recent),
        keep_days,
        notes=parsed.problems,
    )


def _clock(moment: datetime) -> str:
    """A moment within the next hours, as the local clock shows it: "14:05"."""
    return moment.astimezone().strftime("%H:%M")


def _duration(seconds: float) -> str:
    """ "45 s", "2 min", "1.5 h"."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{round(seconds / 3600, 1):g} h"
