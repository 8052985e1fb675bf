"""Two nieuwslezers on one data folder: both work and nothing is corrupted; a process killed
in the middle of a bulk mark leaves whole transactions only, while another refreshes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reader.library.state import Library
from tests.conftest import REPO

# Marks 3 chunks of 100 keys; inside the third chunk's transaction, its rows written but not
# committed, it says so and waits to be killed.
_KILLED_MARKER = """
import sys, time
from contextlib import contextmanager
from pathlib import Path
from reader.feeds import schema
from reader.library import state

state.CHUNK = 100
real = schema.transaction
count = 0

@contextmanager
def stalling(connection):
    global count
    count += 1
    connection.execute("BEGIN IMMEDIATE")
    yield
    if count == 3:
        print("ready", connection.in_transaction, flush=True)
        time.sleep(120)
    connection.execute("COMMIT")

state.transaction = stalling
library = state.Library.open(Path(sys.argv[1]))
assert library.problem is None, library.problem
library.mark_read([f"feed:{n:04}" for n in range(300)])
"""

# Saves batches of 50 items to the feed store till it is killed, saying when it has begun.
_REFRESHER = """
import sys
from pathlib import Path
from reader.feeds.items import Block, FeedItem
from reader.feeds.store import FeedStore
from reader.model import ParagraphKind

store = FeedStore.open(Path(sys.argv[1]))
batch = 0
while True:
    items = [FeedItem(f"{batch}-{n}", f"Titel {n}", None, None,
                      (Block(ParagraphKind.BODY, "tekst " * 100),)) for n in range(50)]
    store.save(f"https://feed/{batch % 7}", "Feed", items)
    batch += 1
    if batch == 3:
        print("ready", flush=True)
"""


def _start(script: str, path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, str(path)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_ready(process: subprocess.Popen[str]) -> list[str]:
    assert process.stdout is not None
    said = process.stdout.readline().split()
    assert said and said[0] == "ready", process.stderr.read() if process.stderr else said
    return said


def _integrity(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_kill_mid_mark_while_another_refreshes_leaves_whole_transactions(
    tmp_path: Path,
) -> None:
    library_path, store_path = tmp_path / "library.sqlite", tmp_path / "feeds.sqlite3"
    refresher = _start(_REFRESHER, store_path)
    marker = _start(_KILLED_MARKER, library_path)
    try:
        _wait_ready(refresher)
        assert _wait_ready(marker) == ["ready", "True"], "killed inside a transaction"
        os.kill(marker.pid, signal.SIGKILL)
        os.kill(refresher.pid, signal.SIGKILL)
    finally:
        for process in (marker, refresher):
            process.kill()
            process.communicate()

    assert _integrity(library_path) == "ok"
    assert _integrity(store_path) == "ok"
    with Library.open(library_path) as library:
        assert library.problem is None
        # The first two chunks, whole; none of the third.
        assert library.read_keys() == {f"feed:{n:04}" for n in range(200)}
        assert library.can_undo() == 200, "undo knows exactly what was marked"
        assert library.undo() == 200 and library.read_keys() == frozenset()
    connection = sqlite3.connect(store_path)
    counts = connection.execute("SELECT count(*) FROM items GROUP BY feed_url").fetchall()
    connection.close()
    assert counts and all(count % 50 == 0 for (count,) in counts), "each save whole or none"


# Marks its own keys read in many small transactions, and reads the other's.
_SECOND_READER = """
import sys
from pathlib import Path
from reader.library.state import Library

library = Library.open(Path(sys.argv[1]))
assert library.problem is None, library.problem
library.begin_run()
for n in range(200):
    library.see([f"second:{n}"])
    library.set_read(f"second:{n}")
    library.read_keys()
library.mark_read([f"second-bulk:{n}" for n in range(2000)])
library.close()
print("done", flush=True)
"""


def test_two_readers_on_one_library_both_work_and_see_each_other(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite"
    with Library.open(path) as first, Library.open(path) as second:
        assert first.problem is None and second.problem is None
        first.begin_run()
        second.begin_run()
        other = _start(_SECOND_READER, path)
        try:
            for n in range(200):
                first.set_read(f"first:{n}")
                second.set_read(f"second-object:{n}")
                assert f"second-object:{n}" in first.read_keys(), "each sees the other's marks"
            first.mark_read([f"first-bulk:{n}" for n in range(2000)])
        finally:
            out, err = other.communicate(timeout=120)
        assert out.split() == ["done"], err
        read = second.read_keys()
        assert {f"first:{n}" for n in range(200)} <= read
        assert {f"second:{n}" for n in range(200)} <= read
        assert len(read) == 200 * 3 + 2000 * 2
        assert first.read_keys() == read
    assert _integrity(path) == "ok"
