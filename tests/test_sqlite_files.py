"""The one place SQLite files are opened from (reader/sqlite_files.py): the read-only or
immutable choice, the wait for locks, the quick check, and the library's one file name."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from reader import export_state, paths
from reader.library import db, peek
from reader.sqlite_files import (
    DAMAGED,
    IMMUTABLE,
    MALFORMED,
    READ_ONLY,
    code_in,
    connect,
    file_uri,
    open_unchanged,
    quick_check,
    read_only_mode,
)


def database(path: Path, *, wal: bool, rows: int = 1) -> Path:
    connection = sqlite3.connect(path)
    if wal:
        connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE t (x TEXT)")
    connection.executemany("INSERT INTO t VALUES (?)", [("x" * 200,)] * rows)
    connection.commit()
    connection.close()
    return path


def test_a_wal_file_with_an_empty_log_is_read_as_immutable_and_nothing_is_left_beside_it(
    tmp_path: Path,
) -> None:
    path = database(tmp_path / "a.sqlite", wal=True)
    assert read_only_mode(path) == IMMUTABLE
    connection = open_unchanged(path, timeout=0.5)
    assert connection.execute("SELECT count(*) FROM t").fetchone() == (1,)
    connection.close()
    assert os.listdir(tmp_path) == ["a.sqlite"]


def test_a_log_with_commits_or_a_rollback_journal_file_is_read_only(tmp_path: Path) -> None:
    assert read_only_mode(database(tmp_path / "rollback.sqlite", wal=False)) == READ_ONLY
    path = database(tmp_path / "wal.sqlite", wal=True)
    writer = sqlite3.connect(path)
    try:
        writer.execute("INSERT INTO t VALUES ('y')")
        writer.commit()
        assert Path(f"{path}-wal").stat().st_size > 0
        assert read_only_mode(path) == READ_ONLY
        connection = open_unchanged(path, timeout=0.5)
        assert connection.execute("SELECT count(*) FROM t").fetchone() == (2,), "the log read"
        connection.close()
    finally:
        writer.close()


def test_a_connection_waits_as_long_as_asked_and_begins_nothing_itself(tmp_path: Path) -> None:
    """The busy timeout the library, the store and export set with a PRAGMA as well."""
    for seconds in (0, 0.2, 0.5, 5.0):
        connection = connect(":memory:", timeout=seconds)
        assert connection.execute("PRAGMA busy_timeout").fetchone() == (round(seconds * 1000),)
        assert connection.isolation_level is None
        connection.close()
    path = database(tmp_path / "a.sqlite", wal=False)
    connection = connect(file_uri(path, READ_ONLY), uri=True, timeout=0)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        connection.execute("INSERT INTO t VALUES ('z')")
    connection.close()


def test_the_quick_check_finds_damage_and_closes_the_connection(tmp_path: Path) -> None:
    whole = database(tmp_path / "whole.sqlite", wal=False, rows=400)
    connection = sqlite3.connect(whole)
    assert quick_check(connection) is None
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        connection.execute("SELECT 1")
    data = bytearray(whole.read_bytes())
    data[5 * 4096 : 6 * 4096] = b"\xa5" * 4096  # a page in the middle, not the header
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(bytes(data))
    assert quick_check(sqlite3.connect(damaged)) == MALFORMED
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"geen database" * 400)
    with pytest.raises(sqlite3.DatabaseError) as raised:
        quick_check(sqlite3.connect(junk))
    assert code_in(raised.value, DAMAGED)


def test_the_library_file_is_named_in_one_place() -> None:
    """library.sqlite was named in db.py, library/peek.py and export_state.py (the last two
    must not import db.py): reader/paths.py names it for all three."""
    assert paths.LIBRARY_FILE == "library.sqlite"
    assert db.default_library_path is peek.library_path is export_state.library_path
    assert paths.library_path() == paths.data_dir() / "library.sqlite"
