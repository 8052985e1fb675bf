"""What `export` writes of the library: each record's `read`, `starred` and `first_seen`, read
from library.sqlite without changing it.

The library is never created, migrated or written here: no file means nothing read, nothing
starred and no first-seen time; a file that cannot be read (damaged, not a library, written by
a newer nieuwslezer, locked) is named in `problem`, and every record's state is then unknown
(`null`; NOT_WRITTEN says so), and nothing can be selected by it. A library in WAL mode
whose log holds nothing is read as an immutable file, so that no `-shm` or `-wal` file is
left beside it either.

Keys are hashes of the text (reader/library/keys.py): they are computed only for the kinds of
item the library holds state of (a page's only when the library holds a page key under its
file's folder, as keys.page_path and keys.storable_path name them), so an export beside an
empty or unrelated library costs what it did.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from reader.model import Corpus
from reader.paths import library_path

if TYPE_CHECKING:  # sqlite3 is imported only when there is a library to read
    import sqlite3

WAIT_SECONDS = 0.5  # for another program's lock, as the library waits
_Item = TypeVar("_Item")


class ItemState(NamedTuple):
    """What a record says of the library: read, starred (None: unknown, the library could
    not be read) and when the item was first listed (ISO 8601 in UTC; None: never)."""

    read: bool | None = False
    starred: bool | None = False
    first_seen: str | None = None


NO_STATE = ItemState()  # no library, or nothing in it about the item
UNKNOWN = ItemState(None, None, None)  # the library could not be read


@dataclass(frozen=True, slots=True)
class CorpusState:
    """The state of each article and ticker item of a corpus, in its order; `problem` says
    why the library could not be read (every state then UNKNOWN)."""

    articles: Sequence[ItemState]
    ticker: Sequence[ItemState]
    problem: str | None = None

    @classmethod
    def alike(cls, corpus: Corpus, state: ItemState, problem: str | None = None) -> CorpusState:
        return cls([state] * len(corpus.articles), [state] * len(corpus.ticker), problem)


@dataclass(frozen=True, slots=True)
class Selection:
    """Which records `export --starred` / `--unread` keep (both: the starred unread ones)."""

    starred: bool = False
    unread: bool = False

    @property
    def everything(self) -> bool:
        return not (self.starred or self.unread)

    def __str__(self) -> str:
        """The options that ask for it: "--starred --unread"."""
        asked = (("--starred", self.starred), ("--unread", self.unread))
        return " ".join(option for option, on in asked if on)

    def keeps(self, state: ItemState) -> bool:
        """An unknown state is kept by neither: it cannot be told starred or unread."""
        return (not self.starred or state.starred is True) and (
            not self.unread or state.read is False
        )


def select(corpus: Corpus, states: CorpusState, selection: Selection) -> tuple[Corpus, CorpusState]:
    """The corpus and its states with only the records `selection` keeps."""
    if selection.everything:
        return corpus, states
    articles = _kept(corpus.articles, states.articles, selection)
    ticker = _kept(corpus.ticker, states.ticker, selection)
    selected = replace(
        corpus, articles=tuple(a for a, _ in articles), ticker=tuple(t for t, _ in ticker)
    )
    kept = CorpusState([s for _, s in articles], [s for _, s in ticker], states.problem)
    return selected, kept


def _kept(
    items: Sequence[_Item], states: Sequence[ItemState], selection: Selection
) -> list[tuple[_Item, ItemState]]:
    return [(i, s) for i, s in zip(items, states, strict=True) if selection.keeps(s)]


def corpus_state(corpus: Corpus, path: Path | None = None) -> CorpusState:
    """The library's state of every article and ticker item of `corpus` (default library: the
    data folder's). Never raises, never writes."""
    path = path or library_path()
    if not path.exists():  # nothing to read: no sqlite3 imported, no key computed
        return CorpusState.alike(corpus, NO_STATE)
    if not path.is_file():  # a folder, a pipe: nothing SQLite could read, nor waited for
        return CorpusState.alike(corpus, UNKNOWN, f"library {path} is not a file")
    import sqlite3

    from reader.sqlite_files import open_unchanged

    try:
        connection = open_unchanged(path, timeout=WAIT_SECONDS)
    except (sqlite3.Error, OSError) as error:
        return CorpusState.alike(corpus, UNKNOWN, _problem(path, error))
    try:
        version, problem = _version(connection, path)
        if problem is not None:
            return CorpusState.alike(corpus, UNKNOWN, problem)
        if version == 0:  # an empty file: a library not made yet
            return CorpusState.alike(corpus, NO_STATE)
        return _Lookup(connection).state_of(corpus)
    except sqlite3.Error as error:
        return CorpusState.alike(corpus, UNKNOWN, _problem(path, error))
    finally:
        connection.close()


def _version(connection: sqlite3.Connection, path: Path) -> tuple[int, str | None]:
    """The library's schema version (0: an empty file), and why it cannot be read as a
    library, if it cannot (checked where the library itself checks it)."""
    from reader.feeds.schema import version_problem
    from reader.library.db import NAME, SCHEMA_VERSION

    return version_problem(connection, path, SCHEMA_VERSION, NAME)


# What export says after `problem` when it writes every record's state as null.
NOT_WRITTEN = "read, starred and first_seen are written as null"


def _problem(path: Path, error: BaseException) -> str:
    import sqlite3

    from reader.sqlite_files import BUSY, code_in

    if code_in(error, BUSY):
        return f"library {path} is locked by another program ({error})"
    if code_in(error, frozenset({sqlite3.SQLITE_CORRUPT})):
        return f"library {path} is damaged ({error})"
    if code_in(error, frozenset({sqlite3.SQLITE_NOTADB})):
        return f"library {path} is not a database ({error})"
    return f"library {path} cannot be read ({error})"


class _Lookup:
    """The state of keys, looked up in one open library."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._holds: dict[str, bool] = {}  # key prefix -> whether any key starts with it

    def state_of(self, corpus: Corpus) -> CorpusState:
        if corpus.is_empty or not self._holds_anything():
            return CorpusState.alike(corpus, NO_STATE)  # an empty library: no key computed
        from reader.library import keys

        feeds = self._holds_key(keys.FEED)
        folders: dict[str, bool] = {}  # a page's folder as its key has it -> whether to look
        article_keys: list[str | None] = []
        for article in corpus.articles:
            if article.guid is not None:
                article_keys.append(keys.article_key(article) if feeds else None)
                continue
            stored = keys.storable_path(keys.page_path(article.file))  # as the key has it
            folder = stored[: stored.rfind(os.sep) + 1]
            if folder not in folders:
                folders[folder] = self._holds_key(keys.PAGE + folder)
            article_keys.append(keys.article_key(article) if folders[folder] else None)
        tickers = self._holds_key(keys.TICKER)
        ticker_keys = [keys.ticker_key(item) if tickers else None for item in corpus.ticker]
        states = self._states([*article_keys, *ticker_keys])
        count = len(article_keys)
        return CorpusState(states[:count], states[count:])

    def _holds_anything(self) -> bool:
        (held,) = self._connection.execute(
            "SELECT EXISTS (SELECT 1 FROM items) OR EXISTS (SELECT 1 FROM stars)"
        ).fetchone()
        return bool(held)

    def _holds_key(self, prefix: str) -> bool:
        """Whether the library holds any key that starts with `prefix` (seen, read or
        starred); each prefix is asked once."""
        if prefix not in self._holds:
            (held,) = self._connection.execute(
                "SELECT EXISTS (SELECT 1 FROM items WHERE key >= ?1 AND key < ?2)"
                " OR EXISTS (SELECT 1 FROM stars WHERE key >= ?1 AND key < ?2)",
                (prefix, _after_every(prefix)),
            ).fetchone()
            self._holds[prefix] = bool(held)
        return self._holds[prefix]

    def _states(self, keys: Sequence[str | None]) -> list[ItemState]:
        """Each key's state (None: an item of a kind the library holds nothing of)."""
        states = [NO_STATE] * len(keys)
        places = [place for place, key in enumerate(keys) if key is not None]
        if not places:
            return states
        # Grouped by first-seen time and read mark: a few rows, each with the places (in
        # the list sent) of the keys that have them.
        for first_seen, read, listed in self._connection.execute(
            "SELECT items.first_seen, items.read_at IS NOT NULL, json_group_array(listed.key)"
            " FROM json_each(?) AS listed JOIN items ON items.key = listed.value GROUP BY 1, 2",
            (_json_array([keys[place] for place in places]),),
        ):
            state = ItemState(bool(read), False, _iso(first_seen))
            for index in json.loads(listed):
                states[places[index]] = state
        starred = {key for (key,) in self._connection.execute("SELECT key FROM stars")}
        if starred:  # few: the user stars them one by one
            for place in places:
                if keys[place] in starred:
                    states[place] = states[place]._replace(starred=True)
        return states


def _after_every(prefix: str) -> str:
    """The least string after every string that starts with `prefix` (which ends in an ASCII
    character: ":" or the path separator)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _json_array(keys: list[str]) -> str:
    """Keys as one JSON array for json_each, in their order. Keys are storable (keys.py);
    should one hold a lone surrogate all the same, ASCII JSON carries it as an escape, which
    matches no key, instead of failing the export."""
    return json.dumps(keys)


def _iso(stamp: float | None) -> str | None:
    """A stored time (Unix epoch seconds) in ISO 8601, UTC, to the second."""
    if stamp is None:
        return None
    from datetime import UTC, datetime

    return datetime.fromtimestamp(stamp, UTC).isoformat(timespec="seconds")
