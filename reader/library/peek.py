"""Where the reader lands, read at once for its first frame (#15).

Opening the library properly (state.py, in a worker) checks the whole file for damage,
migrates it, begins the run and reads every read mark; the lists are then noted as seen, and
only once they are all filled does the cursor land (on the session's article, or the newest
unread): a second and more after the first frame with 100,000 stored articles, and even on
the samples the reader first showed another article for a moment. So the reader first reads
the little it lands by itself: which of the first rows listed are read and where the session
saved last was, in a millisecond or two, with a connection that cannot write and never waits
for a lock, and its first frame shows the article it lands on; the proper landing follows.

Anything unusual (no library yet, another schema version, a locked or damaged file, a
session not as session.py writes it) gives None, or no session: the proper opening then
says what is wrong. Only what the landing needs of the session is read here (session.py
reads it all, and checks it, once the library is open). Neither SQLite nor json is imported
when there is no library yet (a first run); json only with a session saved.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from reader.paths import library_path

if TYPE_CHECKING:
    import sqlite3

# db.SCHEMA_VERSION, and session.SESSION and session.VERSION (checked by
# tests/library/test_peek.py): db.py and session.py would cost the first frame their imports.
SCHEMA_VERSION = 1
SESSION = "session"
SESSION_VERSION = 1


class Where(NamedTuple):  # not a dataclass: building one costs the first frame ~0.4 ms
    """What the landing needs of the session saved last: the article's key (keys.py), the
    reading pane's scroll offset, the source shown (as session.py keeps it) and whether a
    list was filtered."""

    article: str
    scroll_y: float = 0.0
    source: str | None = None
    filtered: bool = False


class Peeked(NamedTuple):
    """What the library holds for the landing: which of the keys asked about are read, and
    where the session saved last was (None: none saved, not asked for, or on no article)."""

    read: frozenset[str]
    session: Where | None = None


def peek_landing(keys: Sequence[str], *, session: bool, path: Path | None = None) -> Peeked | None:
    """Which of `keys` are read and (if `session`) where the session saved last was, read
    from the library at `path` (default: the data folder's) through a read-only connection
    that never waits; None when there is no library or it is unusual (the docstring)."""
    path = path or library_path()
    if not path.is_file():
        return None
    import sqlite3

    from reader.sqlite_files import open_read_only

    try:
        connection = open_read_only(path, timeout=0)
    except sqlite3.Error:
        return None
    try:
        if connection.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            return None
        return Peeked(_read(connection, keys), _where(connection) if session else None)
    except (sqlite3.Error, ValueError, TypeError, OverflowError):  # an offset no float holds
        return None
    finally:
        connection.close()


def _read(connection: sqlite3.Connection, keys: Sequence[str]) -> frozenset[str]:
    read: set[str] = set()
    for start in range(0, len(keys), 500):  # within any SQLite's limit of parameters
        chunk = keys[start : start + 500]
        places = ", ".join("?" * len(chunk))
        rows = connection.execute(
            f"SELECT key FROM items WHERE read_at IS NOT NULL AND key IN ({places})", chunk
        )
        read.update(str(key) for (key,) in rows)
    return frozenset(read)


def _where(connection: sqlite3.Connection) -> Where | None:
    row = connection.execute("SELECT value FROM settings WHERE name = ?", (SESSION,)).fetchone()
    if row is None or not isinstance(row[0], str):
        return None
    import json

    data: Any = json.loads(row[0])  # ValueError if malformed
    if not isinstance(data, dict) or data.get("version") != SESSION_VERSION:
        return None
    article, scroll, source = data.get("article"), data.get("scroll_y", 0.0), data.get("source")
    filters = data.get("filters")
    if not isinstance(article, str) or not (source is None or isinstance(source, str)):
        return None
    if isinstance(scroll, bool) or not isinstance(scroll, int | float) or not math.isfinite(scroll):
        return None
    return Where(article, max(0.0, float(scroll)), source, bool(filters))
