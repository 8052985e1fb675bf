"""Searching the index (index.py): a user's query in, hits with snippets out.

    result = search(index, "stikstof -boeren", limit=20)        # newest first
    result = search(index, '"Noord-Korea"', relevance=True)       # best match first
    if result.problem: show it            # a query that means nothing, or no index
    for hit in result.hits: hit.key, hit.title, hit.snippet, hit.matches, hit.paragraph

Snippets are plain text with the matched words as (start, end) offsets: the text is untrusted,
so it is never markup; the UI styles the spans. `hit.paragraph` is the index of the
paragraph the snippet comes from (None: the match is in the title only), for opening the
article there; query.match_spans marks the matches in any text the same way.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from reader.library.index import IndexFailed, SearchIndex
from reader.library.keys import real_path
from reader.library.query import Query, Term, match_spans, parse_query

SNIPPET_CHARS = 160  # about two lines of the results list
UNAVAILABLE = "search is unavailable: "
# Relevance ranks the newest this many matches: bm25 scores every match it ranks (0.4 s for a
# word in all of 100,000 articles), so a word in a million would take seconds.
RELEVANCE_WINDOW = 10_000
MAX_LIMIT = 10_000  # the most hits one search returns (a larger limit is taken as this)
SUPERSEDED = "a newer search replaced this one"
# How often (in SQLite VM steps, well under a millisecond) a running search looks whether a
# newer one was asked for, to stop and leave the index to it.
_CHECK_STEPS = 5_000
# How much of a paragraph is looked at for the matches to mark: a stretch this long around
# the first place one of the words appears as typed, else its start (a paragraph may be
# megabytes long: cutting all of it into words took seconds).
SCAN_CHARS = 20_000

Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Hit:
    """One item found. `snippet` is a stretch of the matching paragraph (or of the first
    paragraph, when only the title matches) with `matches` the offsets of the matched words
    in it; `title_matches` those in `title`. `in_english`: the match is in the paragraph's
    cached English (the snippet is then that English)."""

    key: str
    kind: str  # "feed", "page" or "ticker" (search_docs)
    title: str
    source: str | None
    file: str | None  # the page file, as keys.page_path made it (keys.real_path of docs.file)
    link: str | None
    time: datetime | None
    paragraph: int | None
    snippet: str
    matches: Spans
    title_matches: Spans = ()
    in_english: bool = False


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The hits (newest first, or by relevance), and the problem if there are none because
    the query means nothing or the index cannot be used (a sentence to show)."""

    query: Query
    hits: tuple[Hit, ...] = ()
    problem: str | None = None


def search(
    index: SearchIndex,
    text: str | Query,
    *,
    limit: int = 50,
    relevance: bool = False,
    keys: Collection[str] | None = None,
    kinds: Collection[str] | None = None,
) -> SearchResult:
    """Search `index` for what the user typed. Newest first (cheap for any word: the ids
    grow with time), or with `relevance` by FTS5's bm25 (title weighs most) among the newest
    RELEVANCE_WINDOW matches. `keys`: only
    among these items (e.g. the pages given on the command line); `kinds`: only items of
    these kinds ("feed", "page", "ticker"). Never raises."""
    query = text if isinstance(text, Query) else parse_query(text)
    match = query.match
    if match is None:
        return SearchResult(query, problem=query.problem)
    if index.problem is not None:
        return SearchResult(query, problem=UNAVAILABLE + index.problem)
    ticket = index.next_search()
    order = "bm25(fts, 10.0, 1.0, 0.5), f.rowid DESC" if relevance else "f.rowid DESC"
    only = ""
    parameters: list[object] = [match]
    if kinds is not None:
        only += f" AND d.kind IN ({', '.join('?' * len(kinds))})"
        parameters.extend(kinds)
    try:
        with index.use("searching") as connection, _stops_if_superseded(connection, index, ticket):
            if keys is not None:
                connection.execute("CREATE TEMP TABLE IF NOT EXISTS only_keys (key TEXT)")
                connection.execute("DELETE FROM temp.only_keys")
                connection.executemany(
                    "INSERT INTO temp.only_keys VALUES (?)", [(key,) for key in keys]
                )
                only += (
                    " AND f.rowid IN (SELECT id FROM docs WHERE key IN"
                    " (SELECT key FROM temp.only_keys))"
                )
            source = f" FROM fts f JOIN docs d ON d.id = f.rowid WHERE fts MATCH ?{only}"
            if relevance:  # ranked among the newest RELEVANCE_WINDOW matches
                oldest = connection.execute(
                    f"SELECT f.rowid{source} ORDER BY f.rowid DESC LIMIT 1 OFFSET ?",
                    (*parameters, RELEVANCE_WINDOW - 1),
                ).fetchone()
                if oldest is not None:
                    source += " AND f.rowid >= ?"
                    parameters.append(oldest[0])
            rows = connection.execute(
                "SELECT d.key, d.kind, f.title, d.source, d.file, d.link, d.time, f.body,"
                f" f.english{source} ORDER BY {order} LIMIT ?",
                (*parameters, min(max(0, limit), MAX_LIMIT)),
            ).fetchall()
    except IndexFailed as failed:
        if index.superseded(ticket):
            return SearchResult(query, problem=SUPERSEDED)
        return SearchResult(query, problem=UNAVAILABLE + str(failed))
    typed = _typed(query.terms)
    return SearchResult(query, tuple(_hit(row, query.terms, typed) for row in rows))


@contextmanager
def _stops_if_superseded(
    connection: sqlite3.Connection, index: SearchIndex, ticket: int
) -> Iterator[None]:
    """While the search with `ticket` runs on the index's `connection`, SQLite interrupts it
    (an error) as soon as a newer search is asked for: the user typed on. One asked for
    while this one waited for the index does not run at all."""
    if index.superseded(ticket):
        raise IndexFailed(SUPERSEDED)
    connection.set_progress_handler(lambda: index.superseded(ticket), _CHECK_STEPS)
    try:
        yield
    finally:
        connection.set_progress_handler(None, 0)


def _hit(row: tuple[object, ...], terms: tuple[Term, ...], typed: re.Pattern[str]) -> Hit:
    key, kind, title, source, file, link, time, body, english = row
    title = str(title or "")
    paragraphs = str(body or "").split("\n")
    paragraph, in_english, text = None, False, paragraphs[0] if paragraphs else ""
    spans: list[tuple[int, int]] = []
    for number, candidate in enumerate(paragraphs):
        spans = _spans(candidate, terms, typed)
        if spans:
            paragraph, text = number, candidate
            break
    else:
        for number, candidate in enumerate(str(english or "").split("\n")):
            spans = _spans(candidate, terms, typed)
            if spans:
                paragraph, in_english, text = number, True, candidate
                break
    snippet, shown = snippet_of(text, spans)
    return Hit(
        key=str(key),
        kind=str(kind),
        title=title,
        source=None if source is None else str(source),
        file=None if file is None else real_path(str(file)),
        link=None if link is None else str(link),
        time=datetime.fromtimestamp(time, UTC) if isinstance(time, int | float) else None,
        paragraph=paragraph,
        snippet=snippet,
        matches=shown,
        title_matches=tuple(_spans(title, terms, typed)),
        in_english=in_english,
    )


def _typed(terms: tuple[Term, ...]) -> re.Pattern[str]:
    """The first word of each term, as typed and as folded, in any case: where in a long text
    to look for the matches."""
    words = {word for term in terms for word in (term.tokens[:1] + term.raw[:1]) if word}
    return re.compile("|".join(map(re.escape, sorted(words))), re.IGNORECASE)


def _spans(text: str, terms: tuple[Term, ...], typed: re.Pattern[str]) -> list[tuple[int, int]]:
    """match_spans of `text`, looking at SCAN_CHARS of it at most: around the first place
    `typed` is found, else at its start (an accent typed otherwise, a word cut otherwise)."""
    if len(text) <= SCAN_CHARS:
        return match_spans(text, terms)
    found = typed.search(text)
    first = found.start() if found else 0
    start = max(0, first - SCAN_CHARS // 2)
    if start:  # not in the middle of a word
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + SCAN_CHARS)
    if end < len(text):
        space = text.rfind(" ", first + 1, end)
        end = space if space > start else end
    return [(s + start, e + start) for s, e in match_spans(text[start:end], terms)]


def snippet_of(
    text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS
) -> tuple[str, Spans]:
    """A stretch of `text` about `width` long around its first match, cut at spaces, with
    "…" where it is cut; and the spans that fall in it, moved to its offsets."""
    if len(text) <= width:
        return text, tuple(spans)
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 4)
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", max(start, first + 1), end)
        end = space if space > start else end
    lead = "…" if start else ""
    snippet = lead + text[start:end] + ("…" if end < len(text) else "")
    shift = len(lead) - start
    shown = tuple(
        (max(s, start) + shift, min(e, end) + shift) for s, e in spans if s < end and e > start
    )
    return snippet, shown
