"""Keeping the search index up to date with the feed store: the articles stored or changed
since the last catch-up (the store's `changed` column, from STORE_LAG before the
watermark kept in the index: `changed` is when a refresh began, not when it stored), dropping
those the store no longer has (the retention removed them) and adding any it still lacks.

The store is read through a read-only connection of its own, in chunks: its `items` table
is read directly (guid, source, title, link, times, blocks_json, changed), so that 100,000
articles are indexed without ever being held as Article objects.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from reader.feeds.feed_row import STORE_LAG
from reader.library.index import CHUNK, IndexFailed, IndexReport, Progress, SearchIndex
from reader.library.keys import guid_of
from reader.library.search_docs import FEED, EnglishLookup, SearchDoc, feed_row_doc
from reader.sqlite_files import open_read_only

STORE_WAIT_SECONDS = 5.0  # for a refresh's write lock, as sqlite3 waits by default

_SELECT = (
    "SELECT guid, source, title, link, coalesce(published, fetched), blocks_json, changed"
    " FROM items"
)


def catch_up_feeds(
    index: SearchIndex,
    store_path: Path,
    *,
    english: EnglishLookup | None = None,
    progress: Progress | None = None,
) -> IndexReport:
    """Index the feed store's articles stored or changed since the last catch-up, and drop
    those it no longer has; cheap when nothing changed (one query each side). No store file:
    nothing to do. Never raises: a store that cannot be read is the report's problem."""
    if not store_path.is_file():
        return IndexReport()
    try:
        store = open_read_only(store_path, timeout=STORE_WAIT_SECONDS)
    except sqlite3.Error as error:
        return IndexReport(problem=f"feed store {store_path} cannot be read ({error})")
    try:
        return _catch_up(index, store, english, progress)
    except sqlite3.Error as error:
        return IndexReport(problem=f"feed store {store_path} could not be read ({error})")
    finally:
        store.close()


def _catch_up(
    index: SearchIndex,
    store: sqlite3.Connection,
    english: EnglishLookup | None,
    progress: Progress | None,
) -> IndexReport:
    try:
        with index.use("reading the watermark") as connection:
            row = connection.execute("SELECT value FROM meta WHERE name = 'changed'").fetchone()
    except IndexFailed as failed:
        return IndexReport(problem=str(failed))
    since = row[0] if row and isinstance(row[0], int | float) else None
    # An item's `changed` is when its refresh BEGAN: one that began before the watermark may
    # store after it (here or in another nieuwslezer). So STORE_LAG before it too: what was
    # indexed already is skipped by its digest.
    where = "" if since is None else " WHERE changed >= ?"
    parameters: tuple[float, ...] = () if since is None else (since - STORE_LAG.total_seconds(),)
    total = int(store.execute("SELECT count(*) FROM items" + where, parameters).fetchone()[0])
    latest: list[float] = []

    def docs() -> Iterator[SearchDoc]:
        cursor = store.execute(_SELECT + where + " ORDER BY changed", parameters)
        while batch := cursor.fetchmany(CHUNK):
            for guid, source, title, link, time, blocks, changed in batch:
                if isinstance(changed, int | float) and (not latest or changed > latest[0]):
                    latest[:] = [changed]
                if isinstance(guid, str):
                    yield feed_row_doc(guid, source, title, link, time, blocks)

    report = index.index(docs(), total=total, english=english, progress=progress)
    if report.problem:
        return report
    report += _reconcile(index, store, english)
    if latest and not report.problem:
        try:
            with index.use("keeping the watermark") as connection:
                connection.execute(
                    "INSERT OR REPLACE INTO meta (name, value) VALUES ('changed', ?)", (latest[0],)
                )
        except IndexFailed as failed:
            return report + IndexReport(problem=str(failed))
    return report


def _reconcile(
    index: SearchIndex, store: sqlite3.Connection, english: EnglishLookup | None
) -> IndexReport:
    """Remove the feed articles the store no longer has, and index those it has that the
    index lacks (stored too late for the watermark, or lost). Equal counts mean equal sets
    (normally: only an article lost and another removed at once would go unseen), so
    nothing need be compared."""
    stored = int(store.execute("SELECT count(*) FROM items").fetchone()[0])
    try:
        with index.use("counting feed articles") as connection:
            (indexed,) = connection.execute(
                "SELECT count(*) FROM docs WHERE kind = ?", (FEED,)
            ).fetchone()
            if indexed == stored:
                return IndexReport()
            keys = [
                key for (key,) in connection.execute("SELECT key FROM docs WHERE kind = ?", (FEED,))
            ]
    except IndexFailed as failed:
        return IndexReport(problem=str(failed))
    guids = {guid for (guid,) in store.execute("SELECT guid FROM items") if isinstance(guid, str)}
    indexed_guids = {guid_of(key) for key in keys}
    missing = sorted(guids - indexed_guids)
    report = index.remove(key for key in keys if guid_of(key) not in guids)
    if missing and not report.problem:
        report += index.index(_rows_of(store, missing), total=len(missing), english=english)
    return report


def _rows_of(store: sqlite3.Connection, guids: list[str]) -> Iterator[SearchDoc]:
    """The stored articles with these guids, as SearchDocs."""
    for start in range(0, len(guids), CHUNK):
        chunk = guids[start : start + CHUNK]
        rows = store.execute(
            f"{_SELECT} WHERE guid IN ({', '.join('?' * len(chunk))})", chunk
        ).fetchall()
        for guid, source, title, link, time, blocks, _ in rows:
            yield feed_row_doc(guid, source, title, link, time, blocks)
