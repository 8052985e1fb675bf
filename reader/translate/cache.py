"""Translations kept on disk: SQLite in the user's cache folder, one row per paragraph.

Keyed on backend, languages and the normalised text, so an article translated once opens
translated again (in the same run or the next) with no network request, also offline. Failures
are never stored. A cache that cannot be opened or written (corrupt, locked, read-only) is
reported once and then bypassed: translation goes on uncached. A damaged file (not a database,
or corrupt) can be set aside by `nieuwslezer cache --clear`; a locked one is left alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import sqlite3
import threading
import time
import unicodedata
from pathlib import Path

from reader.paths import cache_dir

CACHE_FILE = "translations.sqlite3"
# SQLite's files beside the database, named after it; they go where the database goes.
_COMPANIONS = ("-wal", "-shm", "-journal")
# The errors that mean the file itself is damaged; others (locked, read-only, no room) do not.
_DAMAGE_CODES = {"SQLITE_NOTADB", "SQLITE_CORRUPT"}
FIX_DAMAGED = "nieuwslezer cache --clear moves it aside and starts a new one"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    backend TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    text TEXT NOT NULL,
    translation TEXT NOT NULL,
    created REAL NOT NULL
)
"""


def default_cache_path() -> Path:
    return cache_dir() / CACHE_FILE


def normalise(text: str) -> str:
    """The text as the cache compares it: NFC, runs of white space as one space, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def cache_key(backend: str, source: str, target: str, text: str) -> str:
    material = "\x1f".join((backend, source, target, normalise(text)))
    return hashlib.sha256(material.encode()).hexdigest()


class TranslationCache:
    """Thread-safe; opened on first use, so nothing is created before a translation is asked."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_cache_path()
        self.problem: str | None = None  # why the cache is bypassed, once it is
        self.damage: str | None = None  # what is wrong with the file, if it is damaged
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection | None:
        if self._connection is None and self.problem is None:
            connection = None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(self.path, timeout=1.0, check_same_thread=False)
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute(_SCHEMA)
                connection.commit()
                self._connection = connection
            except (sqlite3.Error, OSError) as error:
                if connection is not None:
                    connection.close()
                self._give_up(error)
        return self._connection

    def _give_up(self, error: Exception, damaged: bool = False) -> None:
        self.problem = f"translation cache {self.path} unusable ({error}); translating without it"
        if damaged or getattr(error, "sqlite_errorname", None) in _DAMAGE_CODES:
            self.damage = str(error)
            self.problem += f"; {FIX_DAMAGED}"
        if self._connection is not None:
            self._connection.close()
        self._connection = None

    def get(self, backend: str, source: str, target: str, text: str) -> str | None:
        with self._lock:
            connection = self._connect()
            if connection is None:
                return None
            try:
                row = connection.execute(
                    "SELECT translation FROM translations WHERE key = ?",
                    (cache_key(backend, source, target, text),),
                ).fetchone()
            except sqlite3.Error as error:
                self._give_up(error)
                return None
            # A text column, as this program writes it; anything else in a damaged or foreign
            # file is no translation ("42" is not the English of a paragraph).
            return row[0] if row and isinstance(row[0], str) else None

    def put(self, backend: str, source: str, target: str, text: str, translation: str) -> None:
        with self._lock:
            connection = self._connect()
            if connection is None:
                return
            try:
                connection.execute(
                    "INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        cache_key(backend, source, target, text),
                        backend,
                        source,
                        target,
                        normalise(text),
                        translation,
                        time.time(),
                    ),
                )
                connection.commit()
            except sqlite3.Error as error:
                self._give_up(error)

    def stats(self) -> tuple[int, int]:
        """Entries, and bytes on disk (the database with its write-ahead log).

        Reads every page (SQLite's quick check), so that damage anywhere in the file shows
        here, in `nieuwslezer cache`, not only once a translation happens to touch it."""
        with self._lock:
            connection = self._connect()
            count = 0
            if connection is not None:
                try:
                    (verdict,) = connection.execute("PRAGMA quick_check(1)").fetchone()
                    if verdict != "ok":  # its details name pages: of no use to the user
                        malformed = sqlite3.DatabaseError("database disk image is malformed")
                        self._give_up(malformed, damaged=True)
                    else:
                        row = connection.execute("SELECT COUNT(*) FROM translations").fetchone()
                        count = row[0]
                except sqlite3.Error as error:
                    self._give_up(error)
        size = sum(
            candidate.stat().st_size
            for candidate in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm"))
            if candidate.exists()
        )
        return int(count), size

    def clear(self) -> int:
        """Remove every entry; returns how many there were."""
        count, _ = self.stats()
        with self._lock:
            connection = self._connect()
            if connection is not None:
                try:
                    connection.execute("DELETE FROM translations")
                    connection.commit()
                    connection.execute("VACUUM")
                except sqlite3.Error as error:
                    self._give_up(error)
        return count

    def set_aside(self) -> Path:
        """Move the cache file and SQLite's files beside it to a name not yet taken
        (`translations.sqlite3.broken-YYYYmmdd-HHMMSS`), so the next use starts a new cache;
        the new name. Raises OSError when the file itself cannot be moved.

        Never over another file: each name is taken first (created, failing if it exists),
        then moved onto, so two `cache --clear` at once keep both copies. A side file that
        cannot be moved is removed, or the new cache would read it as its own; if that fails
        too, `problem` says so and the cache stays bypassed."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
            beside = [c for c in _COMPANIONS if _exists(Path(f"{self.path}{c}"))]
            aside = self._take_free_name(beside)
            try:
                os.replace(self.path, aside)
            except OSError:
                for companion in ("", *beside):
                    _remove_taken(Path(f"{aside}{companion}"))
                raise
            left = [
                f"{self.path}{c} could be neither moved nor removed ({problem})"
                for c in beside
                if (problem := _move_or_remove(Path(f"{self.path}{c}"), Path(f"{aside}{c}")))
            ]
            self.problem = self.damage = None
            if left:
                self.problem = (
                    f"translation cache {self.path} was moved to {aside}, but"
                    f" {' and '.join(left)}; delete {'it' if len(left) == 1 else 'them'}, or"
                    " the new cache would read it as its own"
                )
        return aside

    def _take_free_name(self, companions: list[str]) -> Path:
        """A name for the file set aside, with one for each of `companions`, each created
        empty (so no one else takes it); none of SQLite's side files may be there either."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for attempt in itertools.count(1):
            suffix = f".broken-{stamp}" + (f"-{attempt}" if attempt > 1 else "")
            aside = self.path.with_name(self.path.name + suffix)
            if any(_exists(Path(f"{aside}{c}")) for c in _COMPANIONS if c not in companions):
                continue
            taken: list[Path] = []
            try:
                for name in (Path(f"{aside}{c}") for c in ("", *companions)):
                    os.close(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
                    taken.append(name)
            except OSError as error:
                for name in taken:
                    _remove_taken(name)
                if isinstance(error, FileExistsError):
                    continue
                raise
            return aside
        raise AssertionError("unreachable: itertools.count never ends")


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _remove_taken(name: Path) -> None:
    # An empty file that only kept a name; if it stays, it harms nothing.
    with contextlib.suppress(OSError):
        name.unlink(missing_ok=True)


def _move_or_remove(side_file: Path, aside: Path) -> str | None:
    """Move SQLite's `side_file` onto `aside` (a name taken for it), else remove it; None
    when it is gone from beside the cache, else why not."""
    try:
        os.replace(side_file, aside)
        return None
    except OSError:
        _remove_taken(aside)
    try:
        side_file.unlink(missing_ok=True)
        return None
    except OSError as error:
        return error.strerror or str(error)
