"""Fetched feed items kept on disk: SQLite in the user's data folder, one row per story.

Items are keyed on their GUID alone, not on (feed, GUID): the same story in NOS Algemeen and
NOS Buitenland carries the same GUID (its link), and the reader must never show one story
twice. The row belongs to the feed that delivered it first; only that feed updates it later.

Times are stored as Unix epoch seconds (REAL, UTC): they sort and compare as numbers, so the
newest-first order and retention are plain index range scans, and they read back as aware UTC
datetimes. The feed's own UTC offset is not kept (feedparser already gives UTC).

A block of text is stored as a compact JSON array, `[kind, text]` or `[kind, text, links]`
with links as `[text, href]` pairs, so reading 100,000 items is one query and one json.loads
per row.

A date still in the future when its item was fetched (beyond a few minutes) is not believed:
the item counts as published when it was fetched, and keeps the date it gave as `dated_ahead`.

Feeds are told apart by address: each stored item keeps its feed's address, and the name it
is shown under is given when reading (`names`, from subscriptions.feed_names), so that two
feeds with one title stay two. The schema and its migrations are in schema.py; a file the
store cannot use raises StoreError naming the file and is never changed or deleted: the
caller shows the message and carries on without the store.
"""

from __future__ import annotations

import gc
import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType

from reader.feeds.items import Block, FeedItem, feed_article
from reader.feeds.schema import (
    FUTURE_TOLERANCE_SECONDS,
    MIGRATIONS,
    SCHEMA_VERSION,
    StoreError,
    prepare,
    transaction,
)
from reader.model import Article, Link, ParagraphKind
from reader.paths import data_dir

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "STORE_FILE",
    "FeedState",
    "FeedStore",
    "StoreError",
    "default_store_path",
]

STORE_FILE = "feeds.sqlite3"

_BUSY_TIMEOUT_SECONDS = 5.0  # another nieuwslezer refreshing at the same moment

_SELECT_ARTICLES = (
    "SELECT guid, feed_url, source, title, link, published, blocks_json, cut, fetched,"
    " dated_ahead, coalesce(published, fetched), rowid FROM items"
)
# Newest first; rowid breaks ties so that paging by (time, rowid) is exact.
_NEWEST_FIRST = " ORDER BY coalesce(published, fetched) DESC, rowid DESC"

_KINDS = {kind.value: kind for kind in ParagraphKind}

_ArticleRow = tuple[
    str, str, str, str, str | None, float | None, str, int, float, float | None, float, int
]

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


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the last fetch of a feed left behind, for the next conditional GET and the UI."""

    url: str
    title: str | None  # the channel title
    etag: str | None
    last_modified: str | None  # the Last-Modified header as the server sent it
    last_fetched: datetime | None  # the last attempt, successful or not
    last_error: str | None  # why the last attempt failed; None when it succeeded
    # The retention period (keep_days) under which the store holds all of the version of the
    # feed the validators name; None: not known, so they are not used.
    kept_days: int | None = None


def default_store_path() -> Path:
    return data_dir() / STORE_FILE


class FeedStore:
    """Thread-safe (the UI reads while a worker refreshes); open it with FeedStore.open()."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self.path = path
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path | None = None) -> FeedStore:
        """Open (creating if need be) and migrate the store; StoreError if it cannot be used."""
        path = path or default_store_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: transactions are begun and committed explicitly below.
            connection = sqlite3.connect(
                path,
                timeout=_BUSY_TIMEOUT_SECONDS,
                isolation_level=None,
                check_same_thread=False,
            )
        except (sqlite3.Error, OSError) as error:
            raise StoreError(f"feed store {path} cannot be opened ({error})") from error
        try:
            prepare(connection, path)
        except BaseException:
            connection.close()
            raise
        return cls(connection, path)

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def __enter__(self) -> FeedStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _use(self, doing: str) -> Iterator[sqlite3.Connection]:
        """The connection, to one thread at a time, with SQLite errors as StoreError."""
        with self._lock:
            try:
                yield self._connection
            except sqlite3.Error as error:
                raise StoreError(f"feed store {self.path}: {doing} failed ({error})") from error

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
        the items show as when no name is given for their feed on reading.
        """
        fetched = (fetched_at or datetime.now(UTC)).timestamp()
        latest_believed = fetched + FUTURE_TOLERANCE_SECONDS
        new = 0
        with self._use(f"saving {feed_url}") as connection, transaction(connection):
            for item in items:
                date = None if item.published is None else item.published.timestamp()
                ahead = date is not None and date > latest_believed
                row = {
                    "guid": item.guid,
                    "feed_url": feed_url,
                    "source": source,
                    "title": item.title,
                    "link": item.link,
                    "blocks": _encode(item.blocks),
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
    ) -> None:
        """Record one fetch of a feed; `error` is why it failed, None when it succeeded.

        A value given as None keeps the one recorded before: a 304 Not Modified or a failure
        says nothing new about the channel title or the validators. With `new_version` (a
        200 with the feed) the validators are the response's, also when it sent none: old
        ones would ask the server about a version it no longer has; and `kept_days` is the
        retention period its items were stored under.
        """
        fetched = (fetched_at or datetime.now(UTC)).timestamp()
        with self._use(f"recording the fetch of {url}") as connection:
            connection.execute(
                "INSERT INTO feeds (url, title, etag, last_modified, last_fetched, last_error,"
                " kept_days) VALUES (:url, :title, :etag, :last_modified, :fetched, :error,"
                " :kept_days) ON CONFLICT (url) DO UPDATE SET"
                " title = coalesce(excluded.title, title),"
                " etag = CASE WHEN :new THEN excluded.etag ELSE coalesce(excluded.etag, etag)"
                " END, last_modified = CASE WHEN :new THEN excluded.last_modified"
                " ELSE coalesce(excluded.last_modified, last_modified) END,"
                " kept_days = CASE WHEN :new THEN excluded.kept_days ELSE kept_days END,"
                " last_fetched = excluded.last_fetched, last_error = excluded.last_error",
                {
                    "url": url,
                    "title": title,
                    "etag": etag,
                    "last_modified": last_modified,
                    "fetched": fetched,
                    "error": error,
                    "kept_days": kept_days if new_version else None,
                    "new": new_version,
                },
            )

    def forget_validators(self, urls: Sequence[str]) -> None:
        """The next fetch of these feeds is a full one, not a conditional GET: for a feed
        subscribed to again, whose earlier items may have been removed meanwhile."""
        with self._use("forgetting validators") as connection, transaction(connection):
            connection.executemany(
                "UPDATE feeds SET etag = NULL, last_modified = NULL, kept_days = NULL"
                " WHERE url = ?",
                [(url,) for url in urls],
            )

    def feed_state(self, url: str) -> FeedState | None:
        """What the last fetch of `url` recorded; None if it was never fetched."""
        with self._use(f"reading the state of {url}") as connection:
            row = connection.execute(
                "SELECT url, title, etag, last_modified, last_fetched, last_error, kept_days"
                " FROM feeds WHERE url = ?",
                (url,),
            ).fetchone()
        if row is None:
            return None
        url, title, etag, last_modified, last_fetched, last_error, kept_days = row
        fetched = _utc(last_fetched)
        return FeedState(url, title, etag, last_modified, fetched, last_error, kept_days)

    def channel_titles(self) -> dict[str, str]:
        """Each fetched feed's channel title by address: what subscriptions.feed_names needs."""
        with self._use("reading the feeds' titles") as connection:
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
    ) -> list[Article]:
        """The stored items as Articles, newest first; only those of the feed at address
        `feed` if given; only those stored or changed in place at or after `changed_since`
        if given (what a refresh, here or elsewhere, added or corrected). Each shows as its
        feed's name in `names` (by address), if there."""
        where, parameters = _feed_filter(feed)
        if changed_since is not None:
            where += (" AND" if where else " WHERE") + " changed >= ?"
            parameters = (*parameters, changed_since.timestamp())
        sql = _SELECT_ARTICLES + where + _NEWEST_FIRST
        if limit is not None:
            sql += " LIMIT ?"
            parameters = (*parameters, limit)
        with _gc_paused():
            with self._use("reading articles") as connection:
                rows = connection.execute(sql, parameters).fetchall()
            # Built outside the lock: a refresh may save while the articles are made.
            return _articles(rows, names or {})

    def iter_articles(
        self,
        *,
        feed: str | None = None,
        batch_size: int = 2000,
        names: Mapping[str, str] | None = None,
    ) -> Iterator[list[Article]]:
        """articles() in batches of `batch_size`, newest first, so the first can show early.

        Each batch is its own query (paged on time and rowid), so no lock or read transaction
        is held between batches; items saved meanwhile appear only if older than those given.
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        where, parameters = _feed_filter(feed)
        first_page = _SELECT_ARTICLES + where + _NEWEST_FIRST + " LIMIT ?"
        join = " AND" if where else " WHERE"
        next_page = (
            _SELECT_ARTICLES
            + where
            + join
            # The first term is what lets SQLite seek in the index rather than scan from the top.
            + " coalesce(published, fetched) <= ?"
            + " AND (coalesce(published, fetched), rowid) < (?, ?)"
            + _NEWEST_FIRST
            + " LIMIT ?"
        )
        sql, page_parameters = first_page, (*parameters, batch_size)
        while True:
            with _gc_paused():
                with self._use("reading articles") as connection:
                    rows = connection.execute(sql, page_parameters).fetchall()
                batch = _articles(rows, names or {})
            if batch:
                yield batch
            if len(rows) < batch_size:
                return
            *_, last_time, last_rowid = rows[-1]
            sql = next_page
            page_parameters = (*parameters, last_time, last_time, last_rowid, batch_size)

    def count(self) -> int:
        with self._use("counting items") as connection:
            return int(connection.execute("SELECT count(*) FROM items").fetchone()[0])

    def feed_counts(self) -> dict[str, int]:
        """How many items the store holds of each feed, by the feed's address."""
        with self._use("counting items per feed") as connection:
            rows = connection.execute(
                "SELECT feed_url, count(*) FROM items GROUP BY feed_url ORDER BY feed_url"
            ).fetchall()
        return {str(url): int(count) for url, count in rows}

    def prune(self, keep_days: int = 90, now: datetime | None = None) -> int:
        """Remove items published (else fetched) over `keep_days` ago; returns how many.

        A feed's validators then hold for no longer a period than `keep_days`: raised again
        later, the next fetch of the feed is full, and brings back what is within it."""
        cutoff = ((now or datetime.now(UTC)) - timedelta(days=keep_days)).timestamp()
        with self._use("removing old items") as connection, transaction(connection):
            removed = connection.execute(
                "DELETE FROM items WHERE coalesce(published, fetched) < ?", (cutoff,)
            ).rowcount
            connection.execute(
                "UPDATE feeds SET kept_days = ? WHERE kept_days > ?", (keep_days, keep_days)
            )
        return int(removed)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while articles are made, then back as it was.

    Making 100,000 articles creates about a million objects that all stay alive, and on
    Python 3.11 each growth of the heap by a quarter triggers a full collection: with the
    collector on, reading the store takes about 2.5 times as long. The articles hold no
    reference cycles, so nothing is missed; other threads' garbage is collected afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _feed_filter(feed: str | None) -> tuple[str, tuple[object, ...]]:
    return ("", ()) if feed is None else (" WHERE feed_url = ?", (feed,))


def _encode(blocks: Sequence[Block]) -> str:
    encoded = [
        [block.kind.value, block.text, [[link.text, link.href] for link in block.links]]
        if block.links
        else [block.kind.value, block.text]
        for block in blocks
    ]
    return json.dumps(encoded, ensure_ascii=False, separators=(",", ":"))


def _decode(blocks_json: str) -> tuple[Block, ...]:
    kinds = _KINDS
    return tuple(
        [
            Block(kinds[block[0]], block[1], tuple([Link(*link) for link in block[2]]))
            if len(block) > 2
            else Block(kinds[block[0]], block[1])
            for block in json.loads(blocks_json)
        ]
    )


def _utc(timestamp: float | None) -> datetime | None:
    return None if timestamp is None else datetime.fromtimestamp(timestamp, UTC)


def _articles(rows: list[_ArticleRow], names: Mapping[str, str]) -> list[Article]:
    # The hot path of start-up: one pass, locals bound once, no per-row function lookups; the
    # items of one refresh share their fetch time, so each is made into a datetime once.
    decode, make_item, to_article, from_timestamp = (
        _decode,
        FeedItem,
        feed_article,
        datetime.fromtimestamp,
    )
    fetch_times: dict[float, datetime] = {}
    articles = []
    for row in rows:
        guid, feed_url, source, title, link, published, blocks_json, cut, fetched, ahead, _, _ = row
        fetched_at = fetch_times.get(fetched)
        if fetched_at is None:
            fetched_at = fetch_times[fetched] = from_timestamp(fetched, UTC)
        if published is not None:
            date = from_timestamp(published, UTC)
        else:
            date = None if ahead is None else fetched_at  # a future date counts from its fetch
        item = make_item(guid, title, link, date, decode(blocks_json), bool(cut))
        articles.append(
            to_article(
                item,
                names.get(feed_url, source),
                feed_url,
                fetched_at,
                None if ahead is None else from_timestamp(ahead, UTC),
            )
        )
    return articles
