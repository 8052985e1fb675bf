"""What can still be read of a damaged feed store: its articles, feeds' states and counts.

A damaged page makes every query that passes through it fail, though the rows on the other
pages are whole. So a table is read by ranges of rowid (its own b-tree, no index): a range
that cannot be read is halved until what fails is a single rowid, and the rest is read. A
row read may still hold garbage: only rows of the right types that make articles are kept.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reader.feeds.store_rows import (
    FEED_COLUMNS,
    ArticleRow,
    FeedState,
    feed_state,
    readable_articles,
)
from reader.gc_pause import gc_paused
from reader.model import Article

# Reads that may fail before the rest of a table is given up for lost: a damaged page over
# many rows (or the table's root) costs two failed reads per rowid it hides, each cheap.
MOST_FAILED_READS = 4096

_ROWIDS = (-(2**63), 2**63 - 1)
# The columns of store_rows.SELECT_ARTICLES but its rowid, then when the item last changed.
_ITEM_COLUMNS = (
    "guid, feed_url, source, title, link, published, blocks_json, cut, fetched, dated_ahead,"
    " coalesce(published, fetched), changed"
)
_STATE_TYPES = (str, str | None, str | None, str | None, float | int | None, str | None, int | None)


@dataclass(frozen=True, slots=True)
class Salvaged:
    """The rows that could be read, in rowid order, each ending with its rowid; `lost`
    counts the rows known to be there but unreadable (None: how many is not known)."""

    rows: list[tuple[object, ...]]
    lost: int | None


def readable_rows(connection: sqlite3.Connection, table: str, columns: str) -> Salvaged:
    """Every row of `table` (`columns`, then its rowid) that can be read."""
    # `table` and `columns` are this package's own names, never text from outside.
    select = f"SELECT {columns}, rowid FROM {table} WHERE rowid BETWEEN ? AND ? ORDER BY rowid"
    first, last = _try_one(connection, f"SELECT min(rowid), max(rowid) FROM {table}") or _ROWIDS
    if first is None:
        return Salvaged([], 0)
    rows: list[tuple[object, ...]] = []
    failed = 0
    pending = [(int(first), int(last))]  # ranges still to read, the lowest last
    while pending:
        low, high = pending.pop()
        try:
            rows += connection.execute(select, (low, high)).fetchall()
            continue
        except sqlite3.DatabaseError:  # the damage, or text that is not UTF-8
            failed += 1
        if low < high and failed <= MOST_FAILED_READS:
            middle = (low + high) // 2
            pending += [(middle + 1, high), (low, middle)]
    counted = _try_one(connection, f"SELECT count(*) FROM {table}")  # from an index, maybe whole
    lost = None if counted is None else max(0, int(counted[0]) - len(rows))
    return Salvaged(rows, lost)


def _try_one(connection: sqlite3.Connection, sql: str) -> tuple[Any, ...] | None:
    try:
        row: tuple[Any, ...] | None = connection.execute(sql).fetchone()
    except sqlite3.DatabaseError:
        return None
    return row


def salvaged_articles(
    connection: sqlite3.Connection,
    feed: str | None,
    changed_since: datetime | None,
    oldest: datetime | None,
    names: Mapping[str, str],
) -> tuple[list[Article], int | None]:
    """The articles that can be read, newest first, as FeedStore.articles() gives them (of
    the feed at address `feed`, stored or changed since `changed_since`, not older than
    `oldest`, where given); and how many stored items could not be read (None: unknown)."""
    salvaged = readable_rows(connection, "items", _ITEM_COLUMNS)
    since = -math.inf if changed_since is None else changed_since.timestamp()
    after = -math.inf if oldest is None else oldest.timestamp()
    rows: list[ArticleRow] = []
    for *row, changed, rowid in salvaged.rows:
        time = row[-1]
        if (
            (feed is None or row[1] == feed)
            and (isinstance(changed, float | int) and changed >= since)
            and (isinstance(time, float | int) and time >= after)
        ):
            rows.append((*row, rowid))  # type: ignore[arg-type]  # its types are checked next
    rows.sort(key=_newest_first, reverse=True)
    with gc_paused():
        articles, garbled = readable_articles(rows, names)
    return articles, (None if salvaged.lost is None else salvaged.lost + garbled)


def salvaged_states(connection: sqlite3.Connection) -> dict[str, FeedState]:
    """The feeds' states that can be read, by address."""
    states: dict[str, FeedState] = {}
    for *row, _ in readable_rows(connection, "feeds", FEED_COLUMNS).rows:
        if all(isinstance(value, kind) for value, kind in zip(row, _STATE_TYPES, strict=True)):
            state = feed_state(row)
            states[state.url] = state
    return states


def salvaged_feed_counts(connection: sqlite3.Connection) -> dict[str, int]:
    """How many items of each feed can be read, by the feed's address."""
    counts: dict[str, int] = {}
    for url, _ in readable_rows(connection, "items", "feed_url").rows:
        if isinstance(url, str):
            counts[url] = counts.get(url, 0) + 1
    return dict(sorted(counts.items()))


def _newest_first(row: ArticleRow) -> tuple[float, int]:
    time, rowid = row[-2], row[-1]
    return (time if isinstance(time, float | int) else 0.0), rowid
