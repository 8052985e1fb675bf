"""Fetched feed items kept on disk: SQLite in the user's data folder, one row per story.

Items are keyed on their GUID alone, not on (feed, GUID): the same story in NOS Algemeen and
NOS Buitenland carries the same GUID (its link), and the reader must never show one story
twice. The row belongs to the feed that delivered it first; only that feed updates it later.

Times are stored as Unix epoch seconds (REAL, UTC): they sort and compare as numbers, so the
newest-first order and retention are plain index range scans, and they read back as aware UTC
datetimes. The feed's own UTC offset is not kept (feedparser already gives UTC).

A block of text is stored as compact JSON (store_rows.py).

A date still in the future when its item was fetched (beyond a few minutes) is not believed:
the item counts as published when it was fetched, and keeps the date it gave as `dated_ahead`.

Feeds are told apart by address: each stored item keeps its feed's address, and the name it
is shown under is given when reading (`names`, from subscriptions.feed_names), so that two
feeds with one title stay two. The schema and its migrations are in schema.py; a file the
store cannot use raises StoreError naming the file and is never changed or deleted: the
caller shows the message and carries on without the store. Opened to be read
(FeedStore.open_to_read), a store that cannot be written (a read-only folder) or is damaged
is read all the same, as far as it can be (store_file.py, salvage.py), and says why nothing
is written to it (`cannot_write`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reader.closing import Closing
from reader.feeds.items import FeedItem
from reader.feeds.salvage import salvaged_articles, salvaged_feed_counts, salvaged_states
from reader.feeds.schema import (
    FUTURE_TOLERANCE_SECONDS,
    MIGRATIONS,
    SCHEMA_VERSION,
    StoreError,
    transaction,
)
from reader.feeds.store_file import (
    BUSY_TIMEOUT_SECONDS,
    SHORT_WAIT_SECONDS,
    StoreFile,
    open_store_file,
)
from reader.feeds.store_rows import (
    FEED_COLUMNS,
    NEWEST_FIRST,
    SELECT_ARTICLES,
    SELECT_ROWS,
    ArticleRow,
    FeedState,
    by_guids,
    encode_blocks,
    feed_rows,
    feed_state,
    in_order,
    row_articles,
)
from reader.feeds.tombstones import drop_unlisted, remove_older, tombstoned
from reader.gc_pause import gc_paused
from reader.model import Article
from reader.paths import data_dir
from reader.sqlite_files import BUSY, code_in, wait_for_locks

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "STORE_FILE",
    "FeedState",
    "FeedStore",
    "StoreBusy",
    "StoreError",
    "default_store_path",
]

STORE_FILE = "feeds.sqlite3"


class StoreBusy(StoreError):
    """Another program holds the store's write lock (for longer than was waited)."""


# An item stored before keeps the row's time when the feed gives the same date that was in
# the future when it was first fetched: else it would jump to that date once it has passed.
_UPDATE_ITEM = """
    UPDATE items SET source = :source, title = :title, link = :link, blocks_json = :blocks,
        cut = :cut, changed = :fetched,
        published = CASE WHEN dated_ahead = :date THEN NULL ELSE :published END,
        dated_ahead = CASE WHEN dated_ahead = :date THEN dated_ahead ELSE :dated_ahead END
    WHERE guid = :guid AND feed_url = :feed_url
        AND (source, title, link, blocks_json, cut, published, dated_ahead) IS NOT (
            :source, :title, :link, :blocks, :cut,
            CASE WHEN dated_ahead = :date THEN NULL ELSE :published END,
            CASE WHEN dated_ahead = :date THEN dated_ahead ELSE :dated_ahead END)
"""


def default_store_path() -> Path:
    return data_dir() / STORE_FILE


class FeedStore(Closing):
    """Thread-safe (the UI reads while a worker refreshes); open it with FeedStore.open(), or
    FeedStore.open_to_read() to read a store that may not be written."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self.path = path
        self._lock = threading.Lock()
        # Why nothing may be written (read-only, damaged); None: it may be.
        self.cannot_write: str | None = None
        self.damage: str | None = None  # what is wrong with the file, if it is damaged
        # Stored items the last reading of a damaged store could not read (None: unknown).
        self.unreadable: int | None = 0
        # Items older than this are not read: those the retention is yet to remove, when it
        # could not (the store busy or read-only). Set by reading.read_feeds.
        self.shown_since: datetime | None = None

    @classmethod
    def open(cls, path: Path | None = None) -> FeedStore:
        """Open (creating if need be) and migrate the store, to write to it; StoreError if it
        cannot be used, cannot be written, or is damaged (it is then left as it is)."""
        return cls._made(open_store_file(path or default_store_path(), writing=True), path)

    @classmethod
    def open_to_read(cls, path: Path | None = None) -> FeedStore:
        """The store as open() opens it, except that one that cannot be written, or is
        damaged, is opened to be read only (`cannot_write` says why); StoreError if it cannot
        be read at all."""
        return cls._made(open_store_file(path or default_store_path(), writing=False), path)

    @classmethod
    def _made(cls, opened: StoreFile, path: Path | None) -> FeedStore:
        store = cls(opened.connection, path or default_store_path())
        store.cannot_write, store.damage = opened.cannot_write, opened.damage
        return store

    def damage_report(self) -> str | None:
        """What is wrong with a damaged store, and how much the last reading of all of its
        articles could not read; None if it is whole."""
        if self.damage is None or self.cannot_write is None:
            return None
        lost = self.lost_report()
        return self.cannot_write if lost is None else f"{self.cannot_write}; {lost}"

    def lost_report(self) -> str | None:
        """How many articles the last reading of all of a damaged store could not read, if
        any: "6 of its articles could not be read"."""
        if self.damage is None or self.unreadable == 0:
            return None
        lost = "some" if self.unreadable is None else f"{self.unreadable:,}"
        return f"{lost} of its articles could not be read"

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    @contextmanager
    def _use(self, doing: str) -> Iterator[sqlite3.Connection]:
        """The connection, to one thread at a time, with SQLite errors as StoreError (and a
        write lock another program held too long as StoreBusy)."""
        with self._lock:
            try:
                yield self._connection
            except sqlite3.Error as error:
                failure = StoreBusy if code_in(error, BUSY) else StoreError
                raise failure(f"feed store {self.path}: {doing} failed ({error})") from error

    @contextmanager
    def _write(self, doing: str) -> Iterator[sqlite3.Connection]:
        """_use, for a change: StoreError at once, saying why, if nothing may be written."""
        if self.cannot_write is not None:
            raise StoreError(self.cannot_write)
        with self._use(doing) as connection:
            yield connection

    def save(
        self,
        feed_url: str,
        source: str,
        items: Sequence[FeedItem],
        fetched_at: datetime | None = None,
    ) -> int:
        """Store a feed's items in one transaction; returns how many were not stored before.

        An item already stored from this feed is updated in place when its content changed
        (its `changed` time then becomes `fetched_at`; its `fetched` stays when it was first
        stored); one already stored from another feed is left as it is. `source` is the name
        the items show as when no name is given for their feed on reading. Undated items the
        retention removed stay out while their feed lists them (tombstones.py).
        """
        fetched = (fetched_at or datetime.now(UTC)).timestamp()
        latest_believed = fetched + FUTURE_TOLERANCE_SECONDS
        new = 0
        with self._write(f"saving {feed_url}") as connection, transaction(connection):
            for item in items:
                date = None if item.published is None else item.published.timestamp()
                ahead = date is not None and date > latest_believed
                if (date is None or ahead) and tombstoned(connection, item.guid):
                    continue
                row = {
                    "guid": item.guid,
                    "feed_url": feed_url,
                    "source": source,
                    "title": item.title,
                    "link": item.link,
                    "blocks": encode_blocks(item.blocks),
                    "cut": item.cut,
                    "date": date,
                    "published": None if ahead else date,
                    "dated_ahead": date if ahead else None,
                    "fetched": fetched,
                }
                inserted = connection.execute(
                    "INSERT INTO items (guid, feed_url, source, title, link, published,"
                    " dated_ahead, blocks_json, cut, fetched, changed) VALUES (:guid, :feed_url,"
                    " :source, :title, :link, :published, :dated_ahead, :blocks, :cut, :fetched,"
                    " :fetched) ON CONFLICT (guid) DO NOTHING",
                    row,
                )
                if inserted.rowcount:
                    new += 1
                else:
                    connection.execute(_UPDATE_ITEM, row)
            drop_unlisted(connection, feed_url, [item.guid for item in items])
        return new

    def record_fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        title: str | None = None,
        error: str | None = None,
        fetched_at: datetime | None = None,
        new_version: bool = False,
        kept_days: int | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        """Record one fetch of a feed; `error` is why it failed, None when it succeeded;
        `retry_at`, when its server asked to be asked again (None: at any time).

        A value given as None keeps the one recorded before: a 304 Not Modified or a failure
        says nothing new about the channel title or the validators. With `new_version` (a
        200 with the feed) the validators are the response's, also when it sent none: old
        ones would ask the server about a version it no longer has; and `kept_days` is the
        retention period its items were stored under.
        """
        fetched = (fetched_at or datetime.now(UTC)).timestamp()
        with self._write(f"recording the fetch of {url}") as connection:
            connection.execute(
                "INSERT INTO feeds (url, title, etag, last_modified, last_fetched, last_error,"
                " kept_days, retry_at) VALUES (:url, :title, :etag, :last_modified, :fetched,"
                " :error, :kept_days, :retry_at) ON CONFLICT (url) DO UPDATE SET"
                " title = coalesce(excluded.title, title),"
                " etag = CASE WHEN :new THEN excluded.etag ELSE coalesce(excluded.etag, etag)"
                " END, last_modified = CASE WHEN :new THEN excluded.last_modified"
                " ELSE coalesce(excluded.last_modified, last_modified) END,"
                " kept_days = CASE WHEN :new THEN excluded.kept_days ELSE kept_days END,"
                " last_fetched = excluded.last_fetched, last_error = excluded.last_error,"
                " retry_at = excluded.retry_at",
                {
                    "url": url,
                    "title": title,
                    "etag": etag,
                    "last_modified": last_modified,
                    "fetched": fetched,
                    "error": error,
                    "kept_days": kept_days if new_version else None,
                    "new": new_version,
                    "retry_at": None if retry_at is None else retry_at.timestamp(),
                },
            )

    def asked_to_wait(self, now: datetime, longest: timedelta) -> dict[str, datetime]:
        """The feeds whose server asked not to be asked again before a moment after `now`
        (record_fetch's `retry_at`): that moment, by the feed's address. A value more than
        `longest` after `now` was not a server's (record_fetch never stores one) or the clock
        was put back; it asks nothing, nor does text: another program's, or damage."""
        with self._use("reading which servers asked to wait") as connection:
            rows = connection.execute(
                "SELECT url, retry_at FROM feeds WHERE retry_at > ? AND retry_at <= ?",
                (now.timestamp(), (now + longest).timestamp()),
            ).fetchall()
        return {
            str(url): datetime.fromtimestamp(at, UTC)
            for url, at in rows
            if isinstance(at, int | float)
        }

    def forget_validators(self, urls: Sequence[str]) -> None:
        """The next fetch of these feeds is a full one, not a conditional GET: for a feed
        subscribed to again, whose earlier items may have been removed meanwhile."""
        with self._write("forgetting validators") as connection, transaction(connection):
            connection.executemany(
                "UPDATE feeds SET etag = NULL, last_modified = NULL, kept_days = NULL"
                " WHERE url = ?",
                [(url,) for url in urls],
            )

    def feed_state(self, url: str) -> FeedState | None:
        """What the last fetch of `url` recorded; None if it was never fetched."""
        with self._use(f"reading the state of {url}") as connection:
            if self.damage is not None:
                return salvaged_states(connection).get(url)
            row = connection.execute(
                f"SELECT {FEED_COLUMNS} FROM feeds WHERE url = ?", (url,)
            ).fetchone()
        return None if row is None else feed_state(row)

    def channel_titles(self) -> dict[str, str]:
        """Each fetched feed's channel title by address: what subscriptions.feed_names needs."""
        with self._use("reading the feeds' titles") as connection:
            if self.damage is not None:
                states = salvaged_states(connection).values()
                return {state.url: state.title for state in states if state.title is not None}
            rows = connection.execute(
                "SELECT url, title FROM feeds WHERE title IS NOT NULL ORDER BY url"
            ).fetchall()
        return {str(url): str(title) for url, title in rows}

    def articles(
        self,
        *,
        feed: str | None = None,
        limit: int | None = None,
        changed_since: datetime | None = None,
        names: Mapping[str, str] | None = None,
        light: bool = False,
    ) -> list[Article]:
        """The stored items as Articles, newest first; only those of the feed at address
        `feed` if given; only those stored or changed in place at or after `changed_since`
        if given (what a refresh, here or elsewhere, added or corrected). Each shows as its
        feed's name in `names` (by address), if there. `light`: as FeedRows, without their
        paragraphs (articles_of reads them; a damaged store's are read in full all the same)."""
        if self.damage is not None:
            return self._salvaged(feed, changed_since, names)[:limit]
        where, parameters = _filter(feed, self.shown_since)
        if changed_since is not None:
            where += (" AND" if where else " WHERE") + " changed >= ?"
            parameters = (*parameters, changed_since.timestamp())
        sql = (SELECT_ROWS if light else SELECT_ARTICLES) + where + NEWEST_FIRST
        if limit is not None:
            sql += " LIMIT ?"
            parameters = (*parameters, limit)
        with gc_paused():
            with self._use("reading articles") as connection:
                rows = connection.execute(sql, parameters).fetchall()
            # Built outside the lock: a refresh may save while the articles are made.
            return (feed_rows if light else row_articles)(rows, names or {})

    def articles_of(
        self, guids: Sequence[str], names: Mapping[str, str] | None = None
    ) -> list[Article]:
        """The stored items of `guids` in full (the FeedRows' articles), in that order; those
        no longer stored are left out, as are all of a damaged store (read it whole)."""
        rows: list[ArticleRow] = []
        with gc_paused():
            for sql, chunk in by_guids(guids):
                with self._use("reading articles") as connection:
                    rows += connection.execute(sql, chunk).fetchall()
            return in_order(guids, row_articles(rows, names or {}))

    def iter_articles(
        self,
        *,
        feed: str | None = None,
        batch_size: int = 2000,
        names: Mapping[str, str] | None = None,
        light: bool = False,
    ) -> Iterator[list[Article]]:
        """articles() in batches of `batch_size`, newest first, so the first can show early
        (with `light`, as FeedRows, as articles() makes them).

        Each batch is its own query (paged on time and rowid), so no lock or read transaction
        is held between batches; items saved meanwhile appear only if older than those given.
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        if self.damage is not None:  # read whole, to be put in order
            salvaged = self._salvaged(feed, None, names)
            for start in range(0, len(salvaged), batch_size):
                yield salvaged[start : start + batch_size]
            return
        where, parameters = _filter(feed, self.shown_since)
        select, make = (SELECT_ROWS, feed_rows) if light else (SELECT_ARTICLES, row_articles)
        first_page = select + where + NEWEST_FIRST + " LIMIT ?"
        join = " AND" if where else " WHERE"
        next_page = (
            select
            + where
            + join
            # The first term is what lets SQLite seek in the index rather than scan from the top.
            + " coalesce(published, fetched) <= ?"
            + " AND (coalesce(published, fetched), rowid) < (?, ?)"
            + NEWEST_FIRST
            + " LIMIT ?"
        )
        sql, page_parameters = first_page, (*parameters, batch_size)
        while True:
            with gc_paused():
                with self._use("reading articles") as connection:
                    rows = connection.execute(sql, page_parameters).fetchall()
                batch: list[Article] = make(rows, names or {})
            if batch:
                yield batch
            if len(rows) < batch_size:
                return
            *_, last_time, last_rowid = rows[-1]
            sql = next_page
            page_parameters = (*parameters, last_time, last_time, last_rowid, batch_size)

    def count(self) -> int:
        with self._use("counting items") as connection:
            if self.damage is not None:
                return sum(salvaged_feed_counts(connection).values())
            return int(connection.execute("SELECT count(*) FROM items").fetchone()[0])

    def feed_counts(self) -> dict[str, int]:
        """How many items the store holds of each feed, by the feed's address."""
        with self._use("counting items per feed") as connection:
            if self.damage is not None:
                return salvaged_feed_counts(connection)
            rows = connection.execute(
                "SELECT feed_url, count(*) FROM items GROUP BY feed_url ORDER BY feed_url"
            ).fetchall()
        return {str(url): int(count) for url, count in rows}

    def prune(
        self,
        keep_days: int = 90,
        now: datetime | None = None,
        *,
        wait: bool = True,
        keep_guids: Collection[str] = (),
    ) -> int:
        """Remove items published (else fetched) over `keep_days` ago, except those whose guid
        is in `keep_guids` (the starred), each leaving a tombstone; returns how many.
        Without `wait`, StoreBusy at once (in a fraction of a second) if another program
        holds the write lock: a prune can always be done later, reading must not wait for it.

        A feed's validators then hold for no longer a period than `keep_days`: raised again
        later, the next fetch of the feed is full, and brings back what is within it."""
        with self._write("removing old items") as connection:
            if not wait:
                wait_for_locks(connection, SHORT_WAIT_SECONDS)
            try:
                with transaction(connection):
                    removed = remove_older(connection, keep_days, now, keep_guids)
            finally:
                if not wait:
                    wait_for_locks(connection, BUSY_TIMEOUT_SECONDS)
        return removed

    def _salvaged(
        self, feed: str | None, changed_since: datetime | None, names: Mapping[str, str] | None
    ) -> list[Article]:
        """articles() of a damaged store: what can be read; of all, how much cannot is kept."""
        with self._use("reading what can be read of the damaged store") as connection:
            articles, unreadable = salvaged_articles(
                connection, feed, changed_since, self.shown_since, names or {}
            )
        if feed is None and changed_since is None:
            self.unreadable = unreadable
        return articles


def _filter(feed: str | None, oldest: datetime | None) -> tuple[str, tuple[object, ...]]:
    """The WHERE clause for the items of the feed at address `feed` (all: None) not older
    than `oldest` (None: any), and its parameters."""
    terms, parameters = [], []
    if feed is not None:
        terms.append("feed_url = ?")
        parameters.append(feed)
    if oldest is not None:
        terms.append("coalesce(published, fetched) >= ?")
        parameters.append(oldest.timestamp())
    return (" WHERE " + " AND ".join(terms) if terms else ""), tuple(parameters)
