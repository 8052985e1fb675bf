"""The `nieuwslezer` command: the reader (TUI) and its subcommands.

Exit codes: 0 success, 1 nothing could be read or a command failed, 2 usage error.

Each subcommand imports what it needs when it runs: start-up of the reader must not pay for
the feed fetching (requests, feedparser) or the store (sqlite3).
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from reader import __version__
from reader.corpus import load_corpus
from reader.model import Corpus
from reader.resources import seeds_dir
from reader.text import make_visible

EXIT_OK, EXIT_NOTHING_READ, EXIT_USAGE = 0, 1, 2
EXIT_FAILED = EXIT_NOTHING_READ  # a command that could not do its work


_DESCRIPTION = """\
A terminal reader for Dutch news: feeds you subscribe to, and saved pages.

commands:
  nieuwslezer [PATH ...]          open the reader on page files and folders
                                  (no PATH: the samples and the stored feed articles)
  nieuwslezer export [PATH ...]   write the parsed corpus as JSON Lines to stdout
                                  (no PATH: the samples and the stored feed items)
  nieuwslezer feeds COMMAND       the feeds followed: add, list, remove, import, export,
                                  presets (nieuwslezer feeds --help)
  nieuwslezer refresh             fetch every subscribed feed now and store new items
  nieuwslezer annotate [FILE ...] the numbers and sources of each line of stdin (or of
                                  each paragraph of page files) as JSON Lines
  nieuwslezer cache [--clear]     the translation cache: size and entries, or empty it

Translation (key t in the reader, export --translate) sends the text to the chosen service.
Feeds are fetched only once subscribed to (nieuwslezer feeds add nos).
"""


def report(*problems: str) -> None:
    """Each problem on a line of stderr, after the program's name; control characters escaped."""
    for problem in problems:
        print(f"nieuwslezer: {make_visible(problem)}", file=sys.stderr)


def _paths_or_samples(paths: Sequence[str]) -> list[Path]:
    return [Path(path) for path in paths] if paths else [seeds_dir()]


def _load(paths: Sequence[str]) -> Corpus:
    """Load the corpus and report every diagnostic on stderr, one line each."""
    corpus = load_corpus(_paths_or_samples(paths))
    for diagnostic in corpus.diagnostics:
        print(diagnostic, file=sys.stderr)
    return corpus


def _with_stored_feed_articles(corpus: Corpus) -> Corpus:
    """The corpus and the stored feed items after its articles: what the reader shows."""
    from reader.feeds_cli import stored_feed_articles

    articles, problem = stored_feed_articles()
    if problem:
        report(problem)
    return replace(corpus, articles=(*corpus.articles, *articles)) if articles else corpus


def _add_translator_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--translator",
        choices=("google", "libre"),
        help="translation service (default: google, or the config file's choice)",
    )
    parser.add_argument(
        "--translator-url", metavar="URL", help="address of a LibreTranslate server (libre)"
    )


def _translation_service(args: argparse.Namespace) -> Any:
    """The configured translation service; settings problems are reported on stderr."""
    from reader.translate.config import load_settings
    from reader.translate.service import service_for

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


def run_export(argv: Sequence[str]) -> int:
    from reader.export import json_lines, texts_to_translate
    from reader.translate.config import ConfigError

    parser = argparse.ArgumentParser(
        prog="nieuwslezer export",
        description="Write the parsed corpus to stdout as JSON Lines (schema: see README); "
        "diagnostics go to stderr. Without PATH: the sample pages and the stored feed items, "
        "as the reader shows them.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="page files or folders")
    parser.add_argument(
        "--translate",
        action="store_true",
        help="add each text's English (sends the text to the translation service)",
    )
    _add_translator_options(parser)
    args = parser.parse_args(argv)
    corpus = _load(args.paths)
    if not args.paths:
        corpus = _with_stored_feed_articles(corpus)
    translations = None
    if args.translate:
        try:
            service = _translation_service(args)
        except ConfigError as error:
            parser.error(str(error))
        translations = _translate_with_progress(service, texts_to_translate(corpus))
    out = sys.stdout.buffer
    try:
        for line in json_lines(corpus, translations):
            out.write(line.encode("utf-8"))
        out.flush()
    except BrokenPipeError:  # `nieuwslezer export | head` is a normal way to use it
        sys.stderr.close()
        return EXIT_OK
    if corpus.is_empty:
        report("nothing could be read")
        return EXIT_NOTHING_READ
    return EXIT_OK


def run_annotate(argv: Sequence[str]) -> int:
    import io

    from reader.annotate_cli import run_annotate as annotate

    parser = argparse.ArgumentParser(
        prog="nieuwslezer annotate",
        description="Mark numbers and attributed sources. Without FILE: read UTF-8 text from "
        "stdin, one paragraph per line, and write one JSON object per line: "
        '{"numbers": [{"start", "end", "text", "value"}], "sources": [{"start", "end", '
        '"text", "cue"}]}, offsets in Python string indices of that line. With FILEs: one '
        "object per paragraph and ticker item of those page files, with file, line, kind "
        "and text.",
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="page files or folders")
    args = parser.parse_args(argv)
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", write_through=True)
    try:
        return annotate(args.files, stdin, stdout)
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK


def run_cache(argv: Sequence[str]) -> int:
    from reader.translate.cache import TranslationCache

    parser = argparse.ArgumentParser(
        prog="nieuwslezer cache",
        description="Show the translation cache's size and entries, or empty it.",
    )
    parser.add_argument("--clear", action="store_true", help="remove every cached translation")
    args = parser.parse_args(argv)
    cache = TranslationCache()
    if args.clear:
        print(f"removed {cache.clear():,} translations from {cache.path}")
    else:
        entries, size = cache.stats()
        print(f"{cache.path}\n{entries:,} translations, {size / 1024:,.0f} KiB")
    if cache.problem:
        report(cache.problem)
        return EXIT_NOTHING_READ
    return EXIT_OK


def run_feeds(argv: Sequence[str]) -> int:
    from reader.feeds_cli import run_feeds as feeds

    return feeds(argv)


def run_refresh(argv: Sequence[str]) -> int:
    from reader.feeds_cli import run_refresh as refresh

    return refresh(argv)


SUBCOMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "export": run_export,
    "annotate": run_annotate,
    "cache": run_cache,
    "feeds": run_feeds,
    "refresh": run_refresh,
}


def _main_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nieuwslezer",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"nieuwslezer {__version__}")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="page files or folders")
    _add_translator_options(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and arguments[0] in SUBCOMMANDS:
        return SUBCOMMANDS[arguments[0]](arguments[1:])
    parser = _main_parser()
    args = parser.parse_args(arguments)
    # Starting the reader makes many objects that all stay alive: looking among them for
    # garbage cycles only delays the first frame (~20 ms). The app turns collection back on
    # once that frame is painted.
    gc.disable()
    from reader.translate.config import ConfigError, load_settings
    from reader.ui.app import run_reader

    settings, problems = load_settings(backend=args.translator, url=args.translator_url)
    try:
        settings.make_backend()
    except ConfigError as error:
        parser.error(str(error))
    return run_reader(_paths_or_samples(args.paths), settings, problems, feeds=not args.paths)


if __name__ == "__main__":
    sys.exit(main())
