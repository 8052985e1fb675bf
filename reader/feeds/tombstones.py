"""Tombstones of the feed items the retention removed (the store's `removed` table).

A feed often lists an item for longer than the retention keeps it, and an undated item counts
from when it was fetched: without a tombstone, the next refresh would store it again, as new.
A dated one needs none: a refresh leaves out what is older than the retention keeps, and
brings it back, as it should, when the retention is raised. A tombstone lasts as long as the
item's feed lists it: a save of that feed whose list no longer has the guid drops it (an
empty list drops none); and one of a feed no longer fetched (unsubscribed) goes after
TOMBSTONE_DAYS. Starred items
(`keep_guids`) are never removed.

Guids are passed to SQLite as one JSON array (json_each), so any number fits one statement.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable
from datetime import UTC, datetime, timedelta

TOMBSTONE_DAYS = 366  # the longest a tombstone is kept, for a feed no longer fetched
_OLDER = "coalesce(published, fetched) < ? AND guid NOT IN (SELECT value FROM json_each(?))"


def tombstoned(connection: sqlite3.Connection, guid: str) -> bool:
    """Whether the retention removed the item `guid` (and its feed still lists it)."""
    return (
        connection.execute("SELECT 1 FROM removed WHERE guid = ?", (guid,)).fetchone() is not None
    )


def drop_unlisted(connection: sqlite3.Connection, feed_url: str, listed: Iterable[str]) -> None:
    """Drop the tombstones of `feed_url` whose guid is not in its fetched list `listed`: the
    feed no longer brings them, so they cannot come back. An empty list drops none: a feed
    that lists nothing for once (a server's hiccup) says nothing of what it will list next;
    dropping them would bring every item the retention removed back as new."""
    guids = list(listed)
    if not guids:
        return
    connection.execute(
        "DELETE FROM removed WHERE feed_url = ? AND guid NOT IN (SELECT value FROM json_each(?))",
        (feed_url, json.dumps(guids)),
    )


def remove_older(
    connection: sqlite3.Connection,
    keep_days: int,
    now: datetime | None,
    keep_guids: Collection[str],
) -> int:
    """The retention, inside the caller's transaction: remove the items published (else
    fetched) over `keep_days` before `now` except those in `keep_guids`, leaving a tombstone
    for each; returns how many. Each feed's validators then hold for no longer a period than
    `keep_days` (store.FeedStore.prune)."""
    moment = now or datetime.now(UTC)
    cutoff, removed_at = (moment - timedelta(days=keep_days)).timestamp(), moment.timestamp()
    keep = json.dumps(list(keep_guids))
    forgotten = (moment - timedelta(days=TOMBSTONE_DAYS)).timestamp()
    connection.execute("DELETE FROM removed WHERE removed_at < ?", (forgotten,))
    connection.execute(
        "INSERT INTO removed (guid, feed_url, removed_at)"
        f" SELECT guid, feed_url, ? FROM items WHERE {_OLDER}"
        " ON CONFLICT (guid) DO UPDATE SET feed_url = excluded.feed_url,"
        " removed_at = excluded.removed_at",
        (removed_at, cutoff, keep),
    )
    removed = connection.execute(f"DELETE FROM items WHERE {_OLDER}", (cutoff, keep)).rowcount
    connection.execute("UPDATE feeds SET kept_days = ? WHERE kept_days > ?", (keep_days, keep_days))
    return int(removed)
