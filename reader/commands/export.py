"""`nieuwslezer export`: the parsed corpus as JSON Lines on stdout, translated if asked.

Without PATH it writes what the reader shows: the stored feed items, and the samples only
while no feed item is stored (or with --samples). Each record carries what the library holds
of it (read, starred, first seen), read without changing the library; --starred and
--unread select by it.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from reader.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    add_translator_options,
    paths_or_samples,
    report,
    report_nothing_read,
    usage_parser,
)
from reader.corpus import load_corpus
from reader.export import json_lines, texts_to_translate
from reader.export_state import NOT_WRITTEN, Selection, corpus_state, select
from reader.gc_pause import gc_paused
from reader.model import Article, Corpus, Severity
from reader.resources import seeds_dir


def run(argv: Sequence[str]) -> int:
    parser = usage_parser(
        prog="nieuwslezer export",
        description="Write the parsed corpus to stdout as JSON Lines (schema: see README); "
        "diagnostics go to stderr. Without PATH: the stored feed items, as the reader shows "
        "them, and the sample pages only while no feed item is stored (or with --samples). "
        "Each record says whether it is read and starred, and when it was first seen.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="page files or folders")
    parser.add_argument(
        "--samples",
        action="store_true",
        help="the bundled sample pages too (without PATH, by default only while no feed "
        "item is stored)",
    )
    parser.add_argument(
        "--translate",
        action="store_true",
        help="add each text's English (sends the text to the translation service)",
    )
    parser.add_argument(
        "--starred",
        action="store_true",
        help="only the starred articles among what is exported (a starred page is written "
        "only when its file is among the PATHs)",
    )
    parser.add_argument(
        "--unread",
        action="store_true",
        help="only what is not read yet (with --starred: the starred unread articles)",
    )
    add_translator_options(parser)
    args = parser.parse_args(argv)
    # Loading makes many objects that all stay alive to the end: looking among them for
    # garbage cycles took a tenth of an export of 10,000 pages. Collection resumes once they
    # are loaded, set aside (frozen, before it resumes), over what is made after them.
    with gc_paused():
        try:
            corpus, store_failed = _corpus(args.paths, samples=args.samples)
        finally:
            gc.freeze()
    loaded = not corpus.is_empty
    # The library's state of each record, read without changing it; a library that cannot
    # be read is a warning (its state is then unknown: null), as a page's problems are. But
    # what is starred or unread cannot then be told: a selection asked for fails, as
    # writing nothing would say "none".
    states = corpus_state(corpus)
    selection = Selection(args.starred, args.unread)
    if states.problem is not None:
        if not selection.everything:
            report(f"cannot select {selection}: {states.problem}")
            return EXIT_FAILED
        report(f"{states.problem}; {NOT_WRITTEN}")
    corpus, states = select(corpus, states, selection)
    translations = None
    if args.translate:
        # Imported here, as what they import: only --translate reads the translation settings.
        from reader.translate.config import ConfigError

        try:
            service = _translation_service(args)
        except ConfigError as error:
            parser.error(str(error))
        translations = _translate_with_progress(service, texts_to_translate(corpus))
    out = sys.stdout.buffer
    try:
        for line in json_lines(corpus, translations, states):
            out.write(line.encode("utf-8"))
        out.flush()
    except BrokenPipeError:  # `nieuwslezer export | head` is a normal way to use it
        sys.stderr.close()
        return EXIT_OK
    if not loaded:
        return report_nothing_read()
    return EXIT_FAILED if store_failed else EXIT_OK  # a script must not miss feed articles


def _corpus(paths: Sequence[str], *, samples: bool) -> tuple[Corpus, bool]:
    """What the reader shows: the pages at `paths` (and the samples, with `samples`); with
    none, the stored feed items after the samples' articles, the samples only while no feed
    item is stored, or with `samples`. Every diagnostic is reported on stderr; and whether
    the store could not be read (whole)."""
    if paths:
        return _load([*paths_or_samples(paths), *([seeds_dir()] if samples else [])]), False
    articles, problem = stored_feed_articles()
    if problem:
        report(problem)
    if articles and not samples:
        return Corpus(articles=tuple(articles)), problem is not None
    corpus = _load(paths_or_samples(()))
    if articles:
        corpus = replace(corpus, articles=(*corpus.articles, *articles))
    return corpus, problem is not None


def _load(paths: Sequence[Path]) -> Corpus:
    """Load the corpus and report every diagnostic on stderr, one line each."""
    corpus = load_corpus(paths)
    for diagnostic in corpus.diagnostics:
        print(diagnostic, file=sys.stderr)
    return corpus


def stored_feed_articles() -> tuple[list[Article], str | None]:
    """The stored feed items as the reader shows them (pruned, each under its feed's unique
    name), newest first, and why they could not be read (of a damaged store: all but what
    could be read), if so.

    No store file means no items: nothing is created just to find that out. A settings
    problem is reported, since export acts on the settings (it removes what keep_days does
    not keep); those of the subscriptions are the reader's and refresh's to tell.
    """
    # Imported here: sqlite3 and the feed modules are needed only when exporting without PATH.
    from reader.config import default_config_path
    from reader.feeds.reading import read_feeds
    from reader.feeds.store import StoreError

    read = read_feeds(None, create=False)
    report(*(d.message for d in read.problems if d.file == str(default_config_path())))
    if read.store is None:
        failures = [d.message for d in read.problems if d.severity is Severity.ERROR]
        return [], failures[0] if failures else None
    try:
        with read.store as store:
            return store.articles(names=read.names), store.damage_report()
    except StoreError as error:
        return [], str(error)


def _translation_service(args: argparse.Namespace) -> Any:
    """The configured translation service; settings problems are reported on stderr."""
    from reader.translate.config import load_settings
    from reader.translate.service import service_for  # the cache, sqlite3: only for --translate

    settings, problems = load_settings(backend=args.translator, url=args.translator_url)
    report(*problems)
    return service_for(settings)


def _translate_with_progress(service: Any, texts: list[str]) -> dict[str, Any]:
    """Translate for export, a progress line on stderr (redrawn in place on a terminal)."""
    from reader.translate.result import Failed

    results: dict[str, Any] = {}
    live = sys.stderr.isatty()
    for done, (index, result) in enumerate(service.translate_many(texts), 1):
        results[texts[index]] = result
        if live or done == len(texts):
            end = "\n" if done == len(texts) else ""
            print(f"\rtranslating: {done}/{len(texts)} paragraphs", end=end, file=sys.stderr)
    failed = sum(isinstance(result, Failed) for result in results.values())
    if failed:
        report(f"{failed} paragraphs could not be translated")
    if service.cache.problem:
        report(service.cache.problem)
    return results
