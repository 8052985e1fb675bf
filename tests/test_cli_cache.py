"""`nieuwslezer cache` on a damaged cache file: it says so, and `--clear` sets the file aside
(never over an earlier one) so that translations are cached again."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest

import reader.translate.cache
from reader.translate.cache import TranslationCache
from tests.conftest import nieuwslezer_command

GARBAGE = b"this is not a database\n" * 100


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*nieuwslezer_command(), "cache", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def cache_file() -> Path:
    return Path(os.environ["NIEUWSLEZER_CACHE_DIR"], "translations.sqlite3")


def broken_files() -> list[Path]:
    return sorted(cache_file().parent.glob("translations.sqlite3.broken-*"))


def test_cache_on_a_damaged_file_says_so_and_how_to_fix_it() -> None:
    cache_file().parent.mkdir(parents=True)
    cache_file().write_bytes(GARBAGE)
    result = run()
    assert result.returncode == 1
    assert f"translation cache {cache_file()} is damaged (file is not a database)" in (
        result.stderr
    )
    assert "nieuwslezer cache --clear moves it aside" in result.stderr
    assert cache_file().read_bytes() == GARBAGE, "looking changes nothing"


def test_clear_moves_a_damaged_file_aside_and_the_cache_works_again() -> None:
    cache_file().parent.mkdir(parents=True)
    cache_file().write_bytes(GARBAGE)
    cleared = run("--clear")
    assert cleared.returncode == 0, cleared.stderr
    (aside,) = broken_files()
    assert aside.name.startswith("translations.sqlite3.broken-2")
    assert aside.read_bytes() == GARBAGE, "kept, in case it is wanted"
    assert f"moved it to {aside}" in cleared.stdout
    assert cleared.stderr == ""
    shown = run()
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[1].startswith("0 translations")
    cache = TranslationCache(cache_file())
    cache.put("libre", "nl", "en", "Hallo", "Hello")
    assert cache.get("libre", "nl", "en", "Hallo") == "Hello" and cache.problem is None


def test_a_second_damaged_file_does_not_overwrite_the_first() -> None:
    cache_file().parent.mkdir(parents=True)
    for content in (b"first " * 100, b"second " * 100, b"third " * 100):
        cache_file().write_bytes(content)
        assert run("--clear").returncode == 0
    assert sorted(path.read_bytes()[:6] for path in broken_files()) == [
        b"first ",
        b"second",
        b"third ",
    ]


def test_set_aside_in_the_same_second_takes_the_next_free_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader.translate.cache.time, "strftime", lambda _: "20260102-030405")
    path = tmp_path / "translations.sqlite3"
    names = []
    for _ in range(3):
        path.write_bytes(GARBAGE)
        cache = TranslationCache(path)
        cache.stats()
        assert cache.damage == "file is not a database"
        names.append(cache.set_aside().name)
    assert names == [
        "translations.sqlite3.broken-20260102-030405",
        "translations.sqlite3.broken-20260102-030405-2",
        "translations.sqlite3.broken-20260102-030405-3",
    ]
    path.write_bytes(GARBAGE)
    Path(f"{path}-wal").write_bytes(b"its log")
    Path(f"{tmp_path / names[0]}-4-wal").write_bytes(b"a name taken by a log alone")
    aside = TranslationCache(path).set_aside()
    assert aside.name == "translations.sqlite3.broken-20260102-030405-5"
    assert Path(f"{aside}-wal").read_bytes() == b"its log", "SQLite's files go with it"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith("-wal")) == [
        *names,
        aside.name,
    ], "nothing is left where the cache was, and nothing was overwritten"


def test_a_corrupt_database_is_damaged_too(tmp_path: Path) -> None:
    path = tmp_path / "translations.sqlite3"
    TranslationCache(path).stats()  # its table
    connection = sqlite3.connect(path)
    connection.executemany(
        "INSERT INTO translations VALUES (?, 'libre', 'nl', 'en', ?, ?, 0)",
        ((str(index), f"zin {index} " * 20, f"sentence {index}") for index in range(2000)),
    )
    connection.commit()
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all of it in the file
    connection.close()
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 6] = b"\xff" * (4096 * 3)  # pages of the table's tree
    path.write_bytes(bytes(data))
    damaged = TranslationCache(path)
    damaged.stats()
    assert damaged.damage and "malformed" in damaged.damage
    assert damaged.problem and "cache --clear" in damaged.problem, "the reader says how to fix it"


def test_a_locked_cache_is_not_set_aside() -> None:
    TranslationCache(cache_file()).put("libre", "nl", "en", "Hallo", "Hello")
    locker = sqlite3.connect(cache_file())
    locker.execute("BEGIN EXCLUSIVE")
    try:
        cleared = run("--clear")
    finally:
        locker.rollback()
        locker.close()
    assert cleared.returncode == 1 and "locked" in cleared.stderr
    assert broken_files() == []
    assert TranslationCache(cache_file()).get("libre", "nl", "en", "Hallo") == "Hello"


def test_a_name_taken_while_looking_is_never_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two `cache --clear` at once: the other one moves its file to the name this one just
    found free. Neither copy may be lost."""
    monkeypatch.setattr(reader.translate.cache.time, "strftime", lambda _: "20260102-030405")
    path = tmp_path / "translations.sqlite3"
    earlier = tmp_path / "translations.sqlite3.broken-20260102-030405"
    earlier.write_bytes(b"the other's copy")
    path.write_bytes(GARBAGE)
    looked_free = Path.exists, Path.is_symlink  # as they were, before the other one moved
    for method in ("exists", "is_symlink"):
        real = getattr(Path, method)

        def looks(self: Path, real: Any = real) -> bool:
            return False if ".broken-" in self.name else bool(real(self))

        monkeypatch.setattr(Path, method, looks)
    aside = TranslationCache(path).set_aside()
    monkeypatch.setattr(Path, "exists", looked_free[0])
    monkeypatch.setattr(Path, "is_symlink", looked_free[1])
    assert earlier.read_bytes() == b"the other's copy"
    assert aside != earlier and aside.read_bytes() == GARBAGE
    assert not path.exists()


def set_aside_with_a_stubborn_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: tuple[str, ...]
) -> tuple[TranslationCache, Path]:
    """A damaged cache with a log beside it set aside, each of the os functions `failing`
    (moving, removing) failing on SQLite's log files as on a stubborn disk."""
    path = tmp_path / "translations.sqlite3"
    path.write_bytes(GARBAGE)
    cache = TranslationCache(path)
    cache.stats()
    Path(f"{path}-wal").write_bytes(b"the broken file's log")  # SQLite removed one not its own

    def fail_for_logs(real: Any) -> Any:
        def failing(source: Any, *args: Any, **kwargs: Any) -> Any:
            if str(source).endswith(("-wal", "-shm")):
                raise PermissionError(13, "Permission denied", str(source))
            return real(source, *args, **kwargs)

        return failing

    for name in failing:
        monkeypatch.setattr(os, name, fail_for_logs(getattr(os, name)))
    aside = cache.set_aside()  # the file itself moved: that is no failure
    assert aside.read_bytes() == GARBAGE
    return cache, aside


def test_a_log_that_cannot_move_is_removed_not_left_beside_the_new_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, _ = set_aside_with_a_stubborn_log(tmp_path, monkeypatch, ("rename", "replace"))
    assert not Path(f"{cache.path}-wal").exists(), "its log would be read into the new cache"
    assert cache.problem is None
    cache.put("libre", "nl", "en", "Hallo", "Hello")
    assert cache.get("libre", "nl", "en", "Hallo") == "Hello" and cache.problem is None


def test_a_log_that_can_be_neither_moved_nor_removed_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = ("rename", "replace", "unlink")
    cache, aside = set_aside_with_a_stubborn_log(tmp_path, monkeypatch, failing)
    path = cache.path
    assert cache.problem == (
        f"translation cache {path} was moved to {aside}, but {path}-wal could be neither moved"
        " nor removed (Permission denied); delete it, or the new cache would read it as its own"
    )
    cache.put("libre", "nl", "en", "Hallo", "Hello")  # bypassed: never beside that log
    assert cache.get("libre", "nl", "en", "Hallo") is None and not path.exists()
