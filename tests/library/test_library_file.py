"""A library file that cannot be used is reported, left byte for byte as it was, and the
reader goes on with a library in memory; a lock held too long is a clear LibraryError."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.library import db
from reader.library.db import NOT_KEPT, read_starred_guids
from reader.library.state import Library, LibraryBusy, LibraryError, Starred


def damaged(path: Path) -> None:
    with Library.open(path) as library:
        library.mark_read([f"feed:{n:05}-{'x' * 60}" for n in range(3000)])
        library.star(Starred("feed:g", "G", "/g", guid="g"))
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 8 * page
    data[5 * page : 6 * page] = b"\xa5" * page  # a page in the middle, not the header
    path.write_bytes(bytes(data))


def newer(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE items (key TEXT PRIMARY KEY, whatever BLOB)")
    connection.execute("PRAGMA user_version = 99")
    connection.commit()
    connection.close()


def not_a_database(path: Path) -> None:
    path.write_bytes(b"Dit is geen database, maar een boodschappenlijstje.\n" * 200)


def another_programs(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE boodschappen (wat TEXT)")
    connection.commit()
    connection.close()


# Files that cannot be used as a library, and what the message about each says.
UNUSABLE = [
    (damaged, "damaged"),
    (newer, "newer nieuwslezer"),
    (not_a_database, "not a database"),
    (another_programs, "not a library"),
]


@pytest.mark.parametrize(("make", "said"), UNUSABLE)
def test_a_file_that_cannot_be_used_is_left_alone_and_memory_stands_in(
    tmp_path: Path, make: Callable[[Path], None], said: str
) -> None:
    path = tmp_path / "library.sqlite"
    make(path)
    before = path.read_bytes()
    with Library.open(path) as library:
        assert library.problem is not None and not library.kept
        assert said in library.problem and str(path) in library.problem
        assert NOT_KEPT in library.problem, "the user is told the marks will not be kept"
        library.begin_run()
        library.see(["a", "b"])
        library.mark_read(["a"])
        library.star(Starred("b", "B", "/b"))
        assert library.read_keys() == {"a"} and library.starred_keys() == {"b"}
        assert library.undo() == 1
    assert path.read_bytes() == before
    # Reading a WAL file read-only (the check for damage) may leave an empty log beside it.
    wal = tmp_path / "library.sqlite-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_the_retention_is_told_when_the_stars_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite"
    assert read_starred_guids(path) == frozenset(), "no library yet: nothing starred"
    with Library.open(path) as library:
        library.star(Starred("feed:g", "G", "/g", guid="g"))
        library.star(Starred("page:/p:0", "P", "/p"))
    assert read_starred_guids(path) == {"g"}
    for make in (newer, not_a_database, another_programs):
        path.unlink()
        make(path)
        with pytest.raises(LibraryError, match=str(path)):
            read_starred_guids(path)


def test_a_library_locked_while_it_opens_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite"
    with Library.open(path) as library:
        library.set_read("a")
    rollback = sqlite3.connect(path, isolation_level=None)
    rollback.execute("PRAGMA journal_mode=DELETE")  # where a lock keeps readers out
    rollback.close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        before = path.read_bytes()
        with Library.open(path) as library:
            assert library.problem is not None and "locked" in library.problem
            library.set_read("b")
            assert library.read_keys() == {"b"}, "in memory"
        assert path.read_bytes() == before
    finally:
        holder.rollback()
        holder.close()
    with Library.open(path) as library:
        assert library.problem is None and library.read_keys() == {"a"}


def test_a_write_lock_held_by_another_program_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite"
    with Library.open(path) as library:
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another nieuwslezer in the middle of a write
        try:
            assert library.read_keys() == frozenset(), "reading does not wait"
            with pytest.raises(LibraryBusy, match="another nieuwslezer was writing"):
                library.set_read("a")
            with pytest.raises(
                LibraryBusy, match=r"marking items read failed: .* 0 of 2 items were done"
            ):
                library.mark_read(["a", "b"])
        finally:
            holder.rollback()
            holder.close()
        library.set_read("a")
        assert library.read_keys() == {"a"}


def test_a_damaged_library_gets_no_files_beside_it(tmp_path: Path) -> None:
    """Review finding 15: the check for damage read a WAL file read-only, which made SQLite
    create `-shm` and `-wal` beside it."""
    path = tmp_path / "library.sqlite"
    damaged(path)
    with Library.open(path) as library:
        assert library.problem is not None and "damaged" in library.problem
    assert sorted(os.listdir(tmp_path)) == ["library.sqlite"]


def test_a_library_sqlite_can_only_read_is_reported_when_it_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review finding 3: a read-only file (or folder, or disk) opened "fine", then every
    mark failed. Read-only is simulated by SQLite's read-only mode (the tests run as root,
    for whom a file's mode bits are no obstacle)."""
    path = tmp_path / "library.sqlite"
    with Library.open(path) as library:
        library.set_read("a")
    connect = db._connect

    def read_only(database: str, *, uri: bool = False) -> sqlite3.Connection:
        if not uri and database == str(path):
            return connect(f"{path.as_uri()}?mode=ro", uri=True)
        return connect(database, uri=uri)

    monkeypatch.setattr(db, "_connect", read_only)
    before = path.read_bytes()
    with Library.open(path) as library:
        assert library.problem is not None and not library.kept
        assert "cannot be written" in library.problem and NOT_KEPT in library.problem
        library.set_read("b")  # in memory: no error
        assert library.read_keys() == {"b"}
    assert path.read_bytes() == before


@pytest.mark.parametrize("reader", ["open", "starred guids"])
def test_a_pipe_where_the_library_should_be_is_reported_not_waited_on(
    tmp_path: Path, reader: str
) -> None:
    """Review finding 11: SQLite (and read_only_mode's open().read) waited forever for a
    writer to the pipe; `nieuwslezer refresh` hung."""
    path = tmp_path / "library.sqlite"
    os.mkfifo(path)
    outcome: list[object] = []

    def use() -> None:
        try:
            if reader == "open":
                with Library.open(path) as library:
                    outcome.append(library.problem)
            else:
                outcome.append(read_starred_guids(path))
        except LibraryError as error:
            outcome.append(error)

    thread = threading.Thread(target=use, daemon=True)
    thread.start()
    thread.join(timeout=20)
    hung = thread.is_alive()
    if hung:  # let the stuck reader go: a writer opens the pipe
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(timeout=5)
    assert not hung, "it waited on the pipe"
    (said,) = outcome
    assert "not a file" in str(said) and str(path) in str(said)
    assert stat.S_ISFIFO(os.stat(path).st_mode), "left as it is"
