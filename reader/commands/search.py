"""`nieuwslezer search QUERY [PATH ...]`: search titles, paragraphs, ticker items, feed
articles and their cached English, through the index in the data folder (search.sqlite).

With PATH: those page files and folders are indexed (as the reader indexes what it loads) and
only they are searched. Without: the stored feed articles, indexed first up to what the store
holds; the sample pages only while no feed article is stored (as `export` does).

Exit 0 with results, 1 with none (or the search could not be done), 2 on a usage error
(one line on stderr). Plain output: a block per result; with --json, JSON Lines.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from reader.commands.common import EXIT_FAILED, EXIT_OK, paths_or_samples, report, usage_parser
from reader.corpus import load_corpus
from reader.library.feed_index import catch_up_feeds
from reader.library.index import IndexReport, SearchIndex
from reader.library.query import parse_query
from reader.library.search import MAX_LIMIT, Hit, SearchResult, search
from reader.library.search_docs import FEED, cached_english, corpus_docs
from reader.text import json_text, make_visible

DEFAULT_LIMIT = 20
_BOLD, _PLAIN = "\x1b[1m", "\x1b[0m"


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {_short(text)!r}") from None
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_LIMIT:,}, not {_short(text)}")
    return value


def _short(text: str, most: int = 60) -> str:
    """`text` as a message quotes it: a pasted page is not repeated whole."""
    return text if len(text) <= most else text[: most - 1] + "…"


def _words_left_out(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """`nieuwslezer search stikstof -boeren`: `-boeren` is a word to leave out, not an option.
    The words like it (a dash and more, not -h nor --limit's value; after `--`, any that
    starts with a dash), and the rest of the arguments (`--` dropped)."""
    left_out: list[str] = []
    rest: list[str] = []
    ended = False  # after `--`
    for number, word in enumerate(argv):
        if word == "--" and not ended:
            ended = True
        elif number and argv[number - 1] == "--limit" and not ended:
            rest.append(word)
        elif (
            word.startswith("-") and len(word) > 1 and (ended or (word[1] != "-" and word != "-h"))
        ):
            left_out.append(word)
        else:
            rest.append(word)
    return left_out, rest


def run(argv: Sequence[str]) -> int:
    parser = usage_parser(
        prog="nieuwslezer search",
        description="Search titles, paragraphs, ticker items, feed articles and their cached "
        'English. Each word also finds longer words it starts ("militair" finds militairen); '
        'accents and case do not matter; "two words" finds a phrase; -word leaves out what '
        "has it. Newest first.",
    )
    parser.add_argument("query", nargs="?", metavar="QUERY", help="what to search for (quote it)")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="page files or folders")
    parser.add_argument("--json", action="store_true", help="JSON Lines, one object per result")
    parser.add_argument(
        "--limit", type=_limit, default=DEFAULT_LIMIT, metavar="N", help="at most N results"
    )
    parser.add_argument("--relevance", action="store_true", help="best match first")
    left_out, rest = _words_left_out(argv)
    args = parser.parse_intermixed_args(rest)
    query = parse_query(" ".join([args.query or "", *left_out]))
    if query.problem is not None:
        parser.error(query.problem)
    with tempfile.TemporaryDirectory(prefix="nieuwslezer-search-") as spare:
        index = SearchIndex.open()
        if index.problem is not None:
            report(index.problem)
            if not args.paths:
                return EXIT_FAILED
            index.close()
            index = SearchIndex.open(Path(spare) / "search.sqlite")  # pages: index them anew
        with index:
            result = _search(index, args.paths, query.text, args.limit, args.relevance)
    if result.problem:
        report(result.problem)
        return EXIT_FAILED
    if not result.hits:
        report(f"nothing found for {_short(query.text)}")
        return EXIT_FAILED
    try:
        _write(result, json_lines=args.json)
    except BrokenPipeError:  # `nieuwslezer search x | head`
        sys.stderr.close()
    return EXIT_OK


def _search(
    index: SearchIndex, paths: Sequence[str], text: str, limit: int, relevance: bool
) -> SearchResult:
    """Index what is to be searched, then search only it."""
    english = cached_english()
    if not paths:
        from reader.feeds.store import default_store_path

        caught_up = catch_up_feeds(index, default_store_path(), english=english, progress=_progress)
        _tell(caught_up)
        if _has_feed_articles(index):
            return search(index, text, limit=limit, relevance=relevance, kinds=(FEED,))
    corpus = load_corpus(paths_or_samples(paths))
    for diagnostic in corpus.diagnostics:
        print(diagnostic, file=sys.stderr)
    docs = list(corpus_docs(corpus))
    _tell(index.index(docs, total=len(docs), english=english, progress=_progress))
    keys = {doc.key for doc in docs}
    return search(index, text, limit=limit, relevance=relevance, keys=keys)


def _has_feed_articles(index: SearchIndex) -> bool:
    from reader.library.index import IndexFailed

    try:
        with index.use("counting feed articles") as connection:
            row = connection.execute("SELECT 1 FROM docs WHERE kind = ? LIMIT 1", (FEED,))
            return row.fetchone() is not None
    except IndexFailed:
        return False


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty() and total >= 1000:
        end = "\n" if done >= total else ""
        print(f"\rindexing: {done:,}/{total:,}", end=end, file=sys.stderr)


def _tell(indexed: IndexReport) -> None:
    if indexed.problem:
        report(indexed.problem)


def _write(result: SearchResult, *, json_lines: bool) -> None:
    out = sys.stdout
    bold = not json_lines and out.isatty()
    for number, hit in enumerate(result.hits):
        if json_lines:
            out.write(json_text(_record(hit)) + "\n")
            continue
        if number:
            out.write("\n")
        out.write(_block(hit, bold) + "\n")
    out.flush()


def _record(hit: Hit) -> dict[str, object]:
    return {
        "key": hit.key,
        "kind": hit.kind,
        "title": hit.title,
        "source": hit.source,
        "file": hit.file,
        "link": hit.link,
        "published": hit.time.isoformat() if hit.time else None,
        "paragraph": hit.paragraph,
        "snippet": hit.snippet,
        "matches": [list(span) for span in hit.matches],
        "title_matches": [list(span) for span in hit.title_matches],
        "english": hit.in_english,
    }


def _block(hit: Hit, bold: bool) -> str:
    """A result as lines: when and where, the title, the snippet; matched words in [brackets]
    (bold on a terminal); control characters made visible."""
    where = hit.source or hit.file or hit.link or ""
    when = _when(hit.time)
    head = "  ".join(part for part in (when, make_visible(where)) if part)
    title = marked(hit.title, hit.title_matches, bold) or "(no title)"
    lines = [head, title]
    if hit.snippet:
        english = "(English) " if hit.in_english else ""
        lines.append("  " + english + marked(hit.snippet, hit.matches, bold))
    return "\n".join(lines)


def marked(text: str, spans: Sequence[tuple[int, int]], bold: bool = False) -> str:
    """`text` with control characters made visible and each span in [brackets], or bold."""
    opening, closing = (_BOLD, _PLAIN) if bold else ("[", "]")
    parts, position = [], 0
    for start, end in spans:
        parts.append(make_visible(text[position:start]))
        parts.append(opening + make_visible(text[start:end]) + closing)
        position = end
    parts.append(make_visible(text[position:]))
    return "".join(parts)


def _when(time: datetime | None) -> str:
    if time is None:
        return ""
    local = time.astimezone()
    minutes = int((datetime.now(UTC) - time).total_seconds() // 60)
    if minutes < 0:
        age = ""
    elif minutes < 60:
        age = f"{minutes}m ago"
    elif minutes < 1440:
        age = f"{minutes // 60}h ago"
    else:
        age = f"{minutes // 1440}d ago"
    return f"{local:%Y-%m-%d %H:%M}" + (f" ({age})" if age else "")
