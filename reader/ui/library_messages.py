"""The messages of the library's workers to the interface (reader/ui/library.py), and the
queue of changes its writer worker makes."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from textual.message import Message

from reader.model import Article, CorpusTickerItem
from reader.ui.row_list import RowList

if TYPE_CHECKING:
    from reader.library.state import Library

Rows = RowList[Article] | RowList[CorpusTickerItem]


class LibraryOpened(Message):
    """The library is open: what is read, new and starred (`problem`: why it is not kept)."""

    def __init__(
        self,
        library: Library,
        read: frozenset[str],
        new: frozenset[str],
        starred: frozenset[str],
        problem: str | None,
    ) -> None:
        super().__init__()
        self.library, self.read, self.new, self.starred = library, read, new, starred
        self.problem = problem


class ListSeen(Message):
    """The items of a list were noted as seen (their keys worked out): what is new now."""

    def __init__(self, rows: Rows, items: Sequence[Any], new: frozenset[str]) -> None:
        super().__init__()
        self.rows, self.items, self.new = rows, items, new


class ReadReloaded(Message):
    """What is read, as the library has it after an undo (`undone`: how many)."""

    def __init__(self, read: frozenset[str], undone: int) -> None:
        super().__init__()
        self.read, self.undone = read, undone


class LibraryFailed(Message):
    """A write to the library failed."""

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem


class WriteQueue:
    """Changes to the library, made in their order by one writer worker at a time: the
    interface queues them (`put`) and never waits for SQLite."""

    def __init__(self) -> None:
        self._changes: deque[Callable[[Library], object]] = deque()
        self._ready = threading.Condition()
        self.writing = False  # a writer worker runs
        self._closing = False

    def put(self, change: Callable[[Library], object]) -> bool:
        """Queue `change`; True when no writer runs and one should be started (to `drain`)."""
        with self._ready:
            self._changes.append(change)
            self._ready.notify()
            if self.writing:
                return False
            self.writing = True
            return True

    def drain(
        self, library: Library | None, idle: float, post: Callable[[Message], object]
    ) -> None:
        """Make the changes queued (in a worker), waiting `idle` seconds for more before it
        ends (keys come in bursts); a failure is posted as LibraryFailed."""
        from reader.library.state import LibraryError

        while True:
            with self._ready:
                if not self._changes and not self._closing:
                    self._ready.wait(timeout=idle)
                if not self._changes:
                    self.writing = False
                    return
                change = self._changes.popleft()
            try:
                if library is not None:
                    change(library)
            except LibraryError as error:
                post(LibraryFailed(str(error)))

    def close(self) -> None:
        """Let the writer make what is queued and end; wait for it (5 s at most)."""
        with self._ready:
            self._closing = True
            self._ready.notify_all()
        for _ in range(500):
            with self._ready:
                if not self.writing:
                    return
            time.sleep(0.01)
