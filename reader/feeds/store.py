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

The schema is versioned with PRAGMA user_version; each migration runs in one transaction with
its version bump. A file the store cannot use (not a database, damaged, from a newer
nieuwslezer, locked) raises StoreError naming the file and is never changed or deleted: the
caller shows the message and carries on without the store.
"""

from __future__ import annotations

import gc
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType

from reader.feeds.items import Block, FeedItem, feed_article
from reader.model import Article, Link, ParagraphKind
from reader.paths import data_dir

STORE_FILE = "feeds.sqlite3"

# MIGRATIONS[n] takes a database from version n to version n + 1; one statement per string so
# that each step runs inside the transaction that also bumps user_version (executescript
# would commit first).
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: the first layout.
    (
        """
        CREATE TABLE items (
            guid TEXT PRIMARY KEY,
            feed_url TEXT NOT NULL,
            source TEXT NOT NULL,
            title TEXT NOT NULL,
            link TEXT,
            published REAL,
            blocks_json TEXT NOT NULL,
            fetched REAL NOT NULL
        )
        """,
    ),
    # 2: summaries the publisher cut short; newest-first reading and retention by index
    # (undated items count from when they were fetched); per-feed state for conditional GET.
    (
        "ALTER TABLE items ADD COLUMN cut INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX items_newest ON items (coalesce(published, fetched))",
        "CREATE INDEX items_by_source ON items (source, coalesce(published, fetched))",
        """
        CREATE TABLE feeds (
            url TEXT PRIMARY KEY,
            title TEXT,
            etag TEXT,
            last_modified TEXT,
            last_fetched REAL,
            last_error TEXT
        )
        """,
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

_BUSY_TIMEOUT_SECONDS = 5.0  # another nieuwslezer refreshing at the same moment

_SELECT_ARTICLES = (
    "SELECT guid, feed_url, source, title, link, published, blocks_json, cut,"
    " coalesce(published, fetched), rowid FROM items"
)
# Newest first; rowid breaks ties so that paging by (time, rowid) is exact.
_NEWEST_FIRST = " ORDER BY coalesce(published, fetched) DESC, rowid DESC"

_KINDS = {kind.value: kind for kind in ParagraphKind}

_ArticleRow = tuple[str, str, str, str, str | None, float | None, str, int, float, int]


class StoreError(Exception):
    """The store cannot be used; the message names the file and says why."""


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the last fetch of a feed left behind, for the next conditional GET and the UI."""

    url: str
    title: str | None  # the channel title
    etag: str | None
    last_modified: str | None  # the Last-Modified header as the server sent it
    last_fetched: datetime | None  # the last attempt, successful or not
    last_error: str | None  # why the last attempt failed; None when it succeeded


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
            _prepare(connection, path)
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

        An item already stored from this feed is updated in place when its content changed;
        one already stored from another feed is left as it is.
        """
        fetched = (fetched_at or datetime.now(UTC)).timestamp()
        new = 0
        with self._use(f"saving {feed_url}") as connection, _transaction(connection):
            for item in items:
                published = None if item.published is None else item.published.timestamp()
                content = (source, item.title, item.link, published, _encode(item.blocks))
                inserted = connection.execute(
                    "INSERT INTO items (source, title, link, published, blocks_json, cut,"
                    " guid, feed_url, fetched) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (guid) DO NOTHING",
                    (*content, item.cut, item.guid, feed_url, fetched),
                )
                if inserted.rowcount:
                    new += 1
                    continue
                connection.execute(
                    "UPDATE items SET source = ?, title = ?, link = ?, published = ?,"
                    " blocks_json = ?, cut = ? WHERE guid = ? AND feed_url = ?"
                    " AND (source, title, link, published, blocks_json, cut)"
                    " IS NOT (?, ?, ?, ?, ?, ?)",
                    (*content, item.cut, item.guid, feed_url, *content, item.cut),
                )
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
    ) -> None:
        """Record one fetch of a feed; `error` is why it failed, None when it succeeded.

        A value given as None keeps the one recorded before: a 304 Not Modified or a failure
        says nothing new about the channel title or the validators. With `new_version` (a
        200 with the feed) the validators are the response's, also when it sent none: old
        ones would ask the server about a version it no longer has.
        """
        fetched = (fetched_at or datetime.now(UTC)).timestamp()
        with self._use(f"recording the fetch of {url}") as connection:
            connection.execute(
                "INSERT INTO feeds (url, title, etag, last_modified, last_fetched, last_error)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET"
                " title = coalesce(excluded.title, title),"
                " etag = CASE WHEN ? THEN excluded.etag ELSE coalesce(excluded.etag, etag) END,"
                " last_modified = CASE WHEN ? THEN excluded.last_modified"
                " ELSE coalesce(excluded.last_modified, last_modified) END,"
                " last_fetched = excluded.last_fetched, last_error = excluded.last_error",
                (url, title, etag, last_modified, fetched, error, new_version, new_version),
            )

    def feed_state(self, url: str) -> FeedState | None:
        """What the last fetch of `url` recorded; None if it was never fetched."""
        with self._use(f"reading the state of {url}") as connection:
            row = connection.execute(
                "SELECT url, title, etag, last_modified, last_fetched, last_error"
                " FROM feeds WHERE url = ?",
                (url,),
            ).fetchone()
        if row is None:
            return None
        url, title, etag, last_modified, last_fetched, last_error = row
        return FeedState(url, title, etag, last_modified, _utc(last_fetched), last_error)

    def articles(
        self,
        *,
        source: str | None = None,
        limit: int | None = None,
        fetched_since: datetime | None = None,
    ) -> list[Article]:
        """The stored items as Articles, newest first; only `source`'s if given; only those
        first stored at or after `fetched_since` if given (what a refresh added)."""
        where, parameters = _source_filter(source)
        if fetched_since is not None:
            where += (" AND" if where else " WHERE") + " fetched >= ?"
            parameters = (*parameters, fetched_since.timestamp())
        sql = _SELECT_ARTICLES + where + _NEWEST_FIRST
        if limit is not None:
            sql += " LIMIT ?"
            parameters = (*parameters, limit)
        with _gc_paused():
            with self._use("reading articles") as connection:
                rows = connection.execute(sql, parameters).fetchall()
            # Built outside the lock: a refresh may save while the articles are made.
            return _articles(rows)

    def iter_articles(
        self, *, source: str | None = None, batch_size: int = 2000
    ) -> Iterator[list[Article]]:
        """articles() in batches of `batch_size`, newest first, so the first can show early.

        Each batch is its own query (paged on time and rowid), so no lock or read transaction
        is held between batches; items saved meanwhile appear only if older than those given.
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        where, parameters = _source_filter(source)
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
                batch = _articles(rows)
            if batch:
                yield batch
            if len(rows) < batch_size:
                return
            _, _, _, _, _, _, _, _, last_time, last_rowid = rows[-1]
            sql = next_page
            page_parameters = (*parameters, last_time, last_time, last_rowid, batch_size)

    def count(self) -> int:
        with self._use("counting items") as connection:
            return int(connection.execute("SELECT count(*) FROM items").fetchone()[0])

    def sources(self) -> list[tuple[str, int]]:
        """Each source (channel title) with its number of items, by name."""
        with self._use("listing sources") as connection:
            rows = connection.execute(
                "SELECT source, count(*) FROM items GROUP BY source ORDER BY source"
            ).fetchall()
        return [(str(source), int(count)) for source, count in rows]

    def prune(self, keep_days: int = 90, now: datetime | None = None) -> int:
        """Remove items published (else fetched) over `keep_days` ago; returns how many."""
        cutoff = ((now or datetime.now(UTC)) - timedelta(days=keep_days)).timestamp()
        with self._use("removing old items") as connection, _transaction(connection):
            removed = connection.execute(
                "DELETE FROM items WHERE coalesce(published, fetched) < ?", (cutoff,)
            ).rowcount
        return int(removed)


def _prepare(connection: sqlite3.Connection, path: Path) -> None:
    """Check the file is a store this code can use, then bring it to SCHEMA_VERSION."""
    try:
        # The first read of the file: where "file is not a database" shows.
        version = _user_version(connection)
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"feed store {path} was written by a newer nieuwslezer (schema version "
                f"{version}, this one knows up to {SCHEMA_VERSION}); left as it is"
            )
        if version == 0 and connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise StoreError(f"{path} is a database but not a feed store; left as it is")
        # Checked before anything is written, so a file refused above is not even touched.
        connection.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL cannot corrupt the database; a crash loses at most the last
        # commits, and the next refresh fetches them again.
        connection.execute("PRAGMA synchronous=NORMAL")
        _migrate(connection, version)
    except sqlite3.Error as error:
        if getattr(error, "sqlite_errorcode", None) in (
            sqlite3.SQLITE_NOTADB,
            sqlite3.SQLITE_CORRUPT,
        ):
            problem = "is not a database or is damaged"
        else:
            problem = "cannot be opened"
        raise StoreError(f"feed store {path} {problem} ({error}); left as it is") from error


def _user_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def _migrate(connection: sqlite3.Connection, version: int) -> None:
    for target, statements in enumerate(MIGRATIONS, start=1):
        if version >= target:
            continue  # no write lock taken for a store that is up to date
        with _transaction(connection):
            # Read again under the write lock: another process may have migrated meanwhile.
            if _user_version(connection) >= target:
                continue
            for statement in statements:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {target}")


@contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """All of the block or none of it. IMMEDIATE takes the write lock at once, so a second
    writer waits its turn instead of failing half-way."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.rollback()
        raise
    connection.execute("COMMIT")


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


def _source_filter(source: str | None) -> tuple[str, tuple[object, ...]]:
    return ("", ()) if source is None else (" WHERE source = ?", (source,))


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


def _articles(rows: list[_ArticleRow]) -> list[Article]:
    # The hot path of start-up: one pass, locals bound once, no per-row function lookups.
    decode, make_item, to_article, from_timestamp = (
        _decode,
        FeedItem,
        feed_article,
        datetime.fromtimestamp,
    )
    return [
        to_article(
            make_item(
                guid,
                title,
                link,
                None if published is None else from_timestamp(published, UTC),
                decode(blocks_json),
                bool(cut),
            ),
            source,
            feed_url,
        )
        for guid, feed_url, source, title, link, published, blocks_json, cut, _, _ in rows
    ]
