"""The newest stored articles, read at once for the reader's first frame (#15).

Reading the feeds properly (reading.py, in a worker) first checks the whole store for damage
(SQLite's quick check reads every page: ~65 ms for 100,000 articles), prunes it and names its
feeds; the newest article would show a quarter of a second after the first frame. So the
reader first reads the newest few rows itself, in a millisecond or two, with a connection that
cannot write, and shows them; the worker's reading replaces them a moment later. Anything
unusual (no store, another schema version, a locked or damaged file, a row not as the store
writes it) gives no rows: the worker then says what is wrong, as before.

Not checked here, and so shown for that moment: the retention (articles older than keep_days
are removed by the worker; the newest are rarely that old) and the feeds' unique names (the
name each feed was stored under shows until then).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from reader.paths import data_dir

if TYPE_CHECKING:
    import sqlite3

    from reader.feeds.feed_row import FeedRow
    from reader.model import Article

# store.STORE_FILE (tests/test_feed_rows.py checks). Neither store.py nor SQLite is imported
# unless there is a store: they would cost the first frame of a reader without one ~5 ms.
STORE_FILE = "feeds.sqlite3"
PEEKED_ROWS = 100  # a screenful or more
# The types of a SELECT_ROWS row as the store writes it.
_TYPES = (str, str, str, str, (str, type(None)), (float, int, type(None)), int, int,
          (float, int), (float, int, type(None)), (float, int), (float, int), int)  # fmt: skip


def store_path() -> Path:
    return data_dir() / STORE_FILE


def newest_rows(
    limit: int = PEEKED_ROWS, path: Path | None = None
) -> tuple[list[FeedRow], Article | None]:
    """The newest `limit` stored articles as rows, newest first, under the names they were
    stored with, and the newest in full; none when there is no store or anything about it is
    unusual (the module's docstring). The file is opened read-only and never waited for."""
    path = path or store_path()
    if not path.is_file():  # no store: nothing of it imported (store_rows imports json)
        return [], None
    from reader.feeds.store_rows import NEWEST_FIRST, SELECT_ROWS, feed_rows

    with _reading(path) as connection:
        if connection is not None:
            sql = SELECT_ROWS + NEWEST_FIRST + " LIMIT ?"
            rows = connection.execute(sql, (limit,)).fetchall()
            if rows and all(_well_typed(row) for row in rows):
                return feed_rows(rows, {}), _article(connection, rows[0][0], {})
    return [], None


def stored_article(
    guid: str, path: Path | None = None, names: Mapping[str, str] | None = None
) -> Article | None:
    """The stored article `guid` in full, under its feed's name in `names`, read as
    newest_rows reads (a connection of its own, for the reading pane: it never waits for the
    store's lock); None as newest_rows gives none, and if it is not stored."""
    with _reading(path or store_path()) as connection:
        if connection is not None:
            return _article(connection, guid, names or {})
    return None


def _article(connection: sqlite3.Connection, guid: str, names: Mapping[str, str]) -> Article | None:
    from reader.feeds.store_rows import SELECT_ARTICLES, row_articles

    rows = connection.execute(f"{SELECT_ARTICLES} WHERE guid = ?", (guid,)).fetchall()
    return next(iter(row_articles(rows, names)), None)


@contextmanager
def _reading(path: Path) -> Iterator[sqlite3.Connection | None]:
    """A read-only connection to the store at `path`, if it is there and of this schema
    version; None otherwise, or when reading fails (whatever it read is then dropped)."""
    if not path.is_file():
        yield None
        return
    import sqlite3

    from reader.feeds.schema import SCHEMA_VERSION
    from reader.sqlite_files import open_read_only

    connection = None
    try:
        connection = open_read_only(path, timeout=0)
        version = connection.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error:  # not a database, locked
        version = None
    try:
        yield connection if version == SCHEMA_VERSION else None
    except (sqlite3.Error, ValueError, TypeError, KeyError, IndexError, OverflowError):
        return  # damaged, a row not as the store writes it: nothing read
    finally:
        if connection is not None:
            connection.close()


def _well_typed(row: tuple[object, ...]) -> bool:
    return len(row) == len(_TYPES) and all(
        isinstance(value, kind) for value, kind in zip(row, _TYPES, strict=True)
    )
