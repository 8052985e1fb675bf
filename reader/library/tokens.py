"""Words as the search index's tokenizer (FTS5 `unicode61 remove_diacritics 2`) cuts and folds
them, so that what the reader marks in a text is exactly what the index matched.

unicode61 decides per character, from its own (Unicode 6.1) tables, whether the character
belongs to a word and what it folds to (lower case, Latin accents removed: Ä -> a, but ß, ø
and Greek accents stay). Python's unicodedata is a newer Unicode and folds otherwise, so the
table is SQLite's own: each character not yet seen is asked once of an in-memory FTS5 table
(a few at a time, cached for the run). ASCII is known without asking: letters and digits
are word characters, everything else separates words.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Iterator

TOKENIZE = "unicode61 remove_diacritics 2"

# Each character seen: what it folds to inside a word ("" for a mark that is dropped), or
# None when it separates words.
_CHARS: dict[str, str | None] = {
    chr(code): chr(code).lower() if chr(code).isalnum() else None for code in range(128)
}
_ASCII_WORD = re.compile(r"[0-9A-Za-z]+")
_lock = threading.Lock()
_asker: list[sqlite3.Connection] = []  # the in-memory table, made on first need


def tokens(text: str) -> Iterator[tuple[int, int, str]]:
    """The words of `text` as the index's tokenizer sees them: (start, end, folded word),
    offsets into `text`."""
    if text.isascii():
        for match in _ASCII_WORD.finditer(text):
            yield match.start(), match.end(), match[0].lower()
        return
    learn(set(text))
    chars = _CHARS
    start, folded = -1, []
    for index, char in enumerate(text):
        fold = chars[char]
        if fold is None:
            if start >= 0 and folded:
                yield start, index, "".join(folded)
            start, folded = -1, []
            continue
        if start < 0:
            start = index
        if fold:
            folded.append(fold)
    if start >= 0 and folded:
        yield start, len(text), "".join(folded)


def fold(word: str) -> str:
    """A word as the index compares it (each character as unicode61 folds it)."""
    learn(set(word))
    return "".join(_CHARS[char] or "" for char in word)


def learn(chars: Iterable[str]) -> None:
    """Make sure each character's folding is known (asked of SQLite, a few at a time)."""
    unknown = [char for char in chars if char not in _CHARS]
    if not unknown:
        return
    with _lock:
        unknown = [char for char in unknown if char not in _CHARS]
        if unknown:
            _CHARS.update(_ask(unknown))


def _ask(chars: list[str]) -> dict[str, str | None]:
    """How unicode61 treats each of `chars`: each is put between two letters, and is a word
    character if one word comes out (what it folds to is between the letters)."""
    learned: dict[str, str | None] = {}
    askable = []
    for char in chars:
        if 0xD800 <= ord(char) <= 0xDFFF:  # a lone surrogate (a byte that was not UTF-8)
            learned[char] = None
        else:
            askable.append(char)
    connection = _connection()
    if connection is None:
        learned.update((char, _guess(char)) for char in askable)
        return learned
    try:
        connection.execute("DELETE FROM chars")
        connection.executemany(
            "INSERT INTO chars (rowid, t) VALUES (?, ?)",
            [(number, f"a{char}a") for number, char in enumerate(askable)],
        )
        words: dict[int, list[str]] = {}
        for number, term in connection.execute("SELECT doc, term FROM chars_words"):
            words.setdefault(number, []).append(term)
    except sqlite3.Error:
        learned.update((char, _guess(char)) for char in askable)
        return learned
    for number, char in enumerate(askable):
        found = words.get(number, [])
        learned[char] = found[0][1:-1] if len(found) == 1 else None
    return learned


def _connection() -> sqlite3.Connection | None:
    if not _asker:
        try:
            connection = sqlite3.connect(":memory:", check_same_thread=False)
            connection.execute(f"CREATE VIRTUAL TABLE chars USING fts5(t, tokenize = '{TOKENIZE}')")
            connection.execute("CREATE VIRTUAL TABLE chars_words USING fts5vocab(chars, instance)")
        except sqlite3.Error:
            return None
        _asker.append(connection)
    return _asker[0]


def _guess(char: str) -> str | None:
    """Without FTS5 (no index then either): letters, digits and marks, accents removed."""
    category = unicodedata.category(char)
    if category[0] not in "LN" and category not in ("Co", "Mn"):
        return None
    decomposed = unicodedata.normalize("NFD", char)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()
