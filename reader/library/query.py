"""What the user types into a search, as an FTS5 MATCH string that cannot go wrong, and the
stretches of a text that such a query matches.

The user's text never reaches SQLite as FTS syntax. It is cut into words the way the index's
tokenizer (`unicode61 remove_diacritics 2`) cuts text: a word is a run of letters, digits and
combining marks; everything else (spaces, punctuation, `*`, `^`, `:`, control characters)
separates words. Then:

- a word is quoted and prefix-matched: `militair` -> `"militair"*` (finds *militairen*);
- a word with punctuation inside (`Noord-Korea`, `3,5`, `auto's`) is one phrase of its parts,
  the last prefix-matched: `"noord korea"*`;
- `"…"` is a phrase of exactly those words (an unbalanced quote runs to the end);
- `-woord` (or `-"a phrase"`) leaves out what matches it; a lone `-` is nothing;
- `NEAR`, `AND`, `OR`, `NOT` are words like any other.

Matching is case- and accent-insensitive (`Oekraine` finds *Oekraïne*, `ägy` *Ägypten*),
words cut and folded exactly as the index does (tokens.py).
A query that cannot mean anything is a `problem` value, never an exception.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from reader.library.tokens import tokens

# More words than anyone types, counted over all terms (each word of a phrase or of a
# hyphen chain too): a pasted paragraph is refused, not run (the time FTS5 takes grows with
# the words; 2,000 in one hyphen chain took 30 s over 100,000 articles).
MAX_WORDS = 64
EMPTY = "type a word to search for"
ONLY_EXCLUDED = "type a word to search for, not only words to leave out (-word)"
TOO_LONG = f"too many words to search for (at most {MAX_WORDS})"


@dataclass(frozen=True, slots=True)
class Term:
    """One thing to find: a word (one token) or a phrase (several). `tokens` are folded as
    the index folds them (lower case, without accents: for marking), `raw` as typed (for
    SQLite, which folds them itself); `prefix`: the last token may start a longer word."""

    tokens: tuple[str, ...]
    prefix: bool
    raw: tuple[str, ...] = ()

    def fts(self) -> str:
        """The term in FTS5 syntax: tokens hold word characters only (never a quote), so
        quoting them is safe."""
        return '"' + " ".join(self.raw or self.tokens) + '"' + ("*" if self.prefix else "")


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: `match` is the FTS5 MATCH string (None when there is a `problem`, a
    sentence to show the user); `terms` are what to find and mark, `excluded` what to leave
    out."""

    text: str
    terms: tuple[Term, ...] = ()
    excluded: tuple[Term, ...] = ()
    problem: str | None = None

    @property
    def match(self) -> str | None:
        if self.problem is not None or not self.terms:
            return None
        found = " AND ".join(term.fts() for term in self.terms)
        if not self.excluded:
            return found
        left_out = " OR ".join(term.fts() for term in self.excluded)
        return f"({found}) NOT ({left_out})"


def parse_query(text: str) -> Query:
    """The user's `text` as a Query; never raises."""
    terms: list[Term] = []
    excluded: list[Term] = []
    words_typed = 0
    for negated, phrase, chunk in _chunks(text):
        found = list(islice(tokens(chunk), MAX_WORDS + 1 - words_typed))  # a paste: no more
        if not found:
            continue  # a lone `-`, a quote with nothing in it, punctuation only
        words_typed += len(found)
        if words_typed > MAX_WORDS:
            return Query(text, problem=TOO_LONG)
        words = tuple(word for _, _, word in found)
        raw = tuple(chunk[start:end] for start, end, _ in found)
        term = Term(words, prefix=not phrase, raw=raw)
        (excluded if negated else terms).append(term)
    if not terms:
        return Query(text, problem=ONLY_EXCLUDED if excluded else EMPTY)
    return Query(text, tuple(dict.fromkeys(terms)), tuple(dict.fromkeys(excluded)))


def _chunks(text: str) -> Iterator[tuple[bool, bool, str]]:
    """(excluded, is a quoted phrase, its text) for each white-space-separated word or
    quoted phrase of `text`. Typographic quotes count as quotes."""
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u201e", '"')
    position, length = 0, len(text)
    while position < length:
        while position < length and _gap(text[position]):
            position += 1
        if position >= length:
            return
        negated = text[position] == "-" and position + 1 < length and not _gap(text[position + 1])
        if negated:
            position += 1
        if text[position] == '"':
            end = text.find('"', position + 1)
            end = length if end < 0 else end
            yield negated, True, text[position + 1 : end]
            position = end + 1
            continue
        end = position
        while end < length and not _gap(text[end]) and text[end] != '"':
            end += 1
        yield negated, False, text[position:end]
        position = end


def _gap(char: str) -> bool:
    return char.isspace() or not char.isprintable()


def match_spans(text: str, terms: tuple[Term, ...]) -> list[tuple[int, int]]:
    """Where `terms` match in `text`, as the index would match them (case- and
    accent-insensitive, whole tokens, the last of a prefix term as a prefix): sorted,
    non-overlapping (start, end) offsets into `text`. A phrase is one span."""
    if not terms or not text:
        return []
    words = list(tokens(text))
    spans: list[tuple[int, int]] = []
    for term in terms:
        size = len(term.tokens)
        last = size - 1
        for index in range(len(words) - size + 1):
            if all(
                words[index + k][2] == token
                or (k == last and term.prefix and words[index + k][2].startswith(token))
                for k, token in enumerate(term.tokens)
            ):
                spans.append((words[index][0], words[index + last][1]))
    return _merged(spans)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
