"""The library peeked at for the landing (reader/library/peek.py): read-only, never waiting,
nothing at all from a file that is not as expected."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from reader.library import db, peek, session
from reader.library.peek import Peeked, Where, library_path, peek_landing
from reader.library.session import SESSION, Session, save_session
from reader.library.state import Library


def library_with(path: Path, read: list[str], session: Session | None = None) -> Path:
    with Library.open(path) as library:
        library.begin_run()
        library.see(["page:a:1", "page:b:2", "feed:c"])
        library.mark_read(read)
        if session is not None:
            save_session(library, session)
    return path


def test_it_knows_the_library_s_file_schema_and_session_as_they_are() -> None:
    assert library_path() == db.default_library_path()
    assert peek.SCHEMA_VERSION == db.SCHEMA_VERSION
    assert (peek.SESSION, peek.SESSION_VERSION) == (session.SESSION, session.VERSION)


def test_no_library_yet_is_none(tmp_path: Path) -> None:
    assert peek_landing(["feed:c"], session=True, path=tmp_path / "library.sqlite") is None


def test_which_of_the_keys_are_read_and_the_session(tmp_path: Path) -> None:
    saved = Session(article="feed:c", scroll_y=12.0, pane="reader", source="https://x.nl/f")
    path = library_with(tmp_path / "library.sqlite", ["page:a:1", "feed:c"], saved)
    before = path.read_bytes()
    peeked = peek_landing(["page:a:1", "page:b:2", "feed:x"], session=True, path=path)
    assert peeked == Peeked(frozenset({"page:a:1"}), Where("feed:c", 12.0, "https://x.nl/f"))
    assert peek_landing(["feed:c"], session=False, path=path) == Peeked(frozenset({"feed:c"}))
    assert path.read_bytes() == before, "read only"


def test_no_session_saved_is_a_peek_without_one(tmp_path: Path) -> None:
    path = library_with(tmp_path / "library.sqlite", [])
    assert peek_landing(["feed:c"], session=True, path=path) == Peeked(frozenset())


def test_a_filtered_list_is_said_and_a_session_on_no_article_is_none(tmp_path: Path) -> None:
    filtered = Session(article="feed:c", filters={"articles": "dijk"})
    path = library_with(tmp_path / "library.sqlite", [], filtered)
    assert peek_landing([], session=True, path=path) == Peeked(
        frozenset(), Where("feed:c", filtered=True)
    )
    with Library.open(path) as library:
        save_session(library, Session(pane="ticker"))
    assert peek_landing([], session=True, path=path) == Peeked(frozenset())


def test_a_session_that_cannot_be_read_is_left_to_the_proper_opening(tmp_path: Path) -> None:
    path = library_with(tmp_path / "library.sqlite", [])
    with Library.open(path) as library:
        library.set_value(SESSION, '{"version": 1, "scroll_y": "far"')
    assert peek_landing(["feed:c"], session=True, path=path) is None
    assert peek_landing(["feed:c"], session=False, path=path) == Peeked(frozenset())
    # An offset no float holds (OverflowError) crashed the reader before its first frame.
    with Library.open(path) as library:
        library.set_value(
            SESSION, f'{{"version": 1, "article": "feed:c", "scroll_y": 1{"0" * 400}}}'
        )
    assert peek_landing(["feed:c"], session=True, path=path) is None
    for text in ('{"version": 2, "article": "feed:c"}', '{"version": 1, "scroll_y": "far"}'):
        with Library.open(path) as library:
            library.set_value(SESSION, text)
        assert peek_landing(["feed:c"], session=True, path=path) == Peeked(frozenset())


def test_many_keys_are_asked_in_parts(tmp_path: Path) -> None:
    keys = [f"feed:{n}" for n in range(1200)]
    path = library_with(tmp_path / "library.sqlite", keys[::7])
    assert peek_landing(keys, session=False, path=path) == Peeked(frozenset(keys[::7]))


def test_a_newer_library_or_no_database_is_none_and_left_alone(tmp_path: Path) -> None:
    newer = library_with(tmp_path / "newer.sqlite", ["feed:c"])
    with sqlite3.connect(newer) as connection:
        connection.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
    connection.close()
    assert peek_landing(["feed:c"], session=True, path=newer) is None
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    assert peek_landing(["feed:c"], session=True, path=junk) is None
    assert junk.read_bytes() == b"not a database at all" * 100


def test_a_library_locked_by_a_writer_is_read_without_waiting(tmp_path: Path) -> None:
    path = library_with(tmp_path / "library.sqlite", ["feed:c"])
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE items SET read_at = NULL")  # not committed: not seen
        assert peek_landing(["feed:c"], session=True, path=path) == Peeked(frozenset({"feed:c"}))
    finally:
        writer.execute("ROLLBACK")
        writer.close()


_PEEKED_WITHOUT_A_LIBRARY = """
import sys
from pathlib import Path

from reader.library.peek import peek_landing

print(peek_landing(["feed:c"], session=True, path=Path({path!r})),
      "sqlite3" in sys.modules, "json" in sys.modules, "reader.library.state" in sys.modules)
"""


def test_no_library_is_peeked_at_without_importing_sqlite_or_json(tmp_path: Path) -> None:
    """A first run's first frame asks; with no library there is nothing to read."""
    code = _PEEKED_WITHOUT_A_LIBRARY.format(path=str(tmp_path / "library.sqlite"))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.split() == ["None", "False", "False", "False"]
