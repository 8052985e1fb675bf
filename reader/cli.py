"""The `nieuwslezer` command: argument parsing, and dispatch to the reader or a subcommand.

Exit codes: 0 success, 1 nothing could be read or a command failed, 2 usage error (constants
in `reader.commands.common`; `refresh` ended by Ctrl+C: 130).

The commands themselves are in `reader.commands`, one module each. A subcommand's module is
imported only when it runs, and imports what it needs: start-up of the reader must not pay for
the feed fetching (requests, feedparser) or the store (sqlite3).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn

from reader import __version__
from reader.commands import read
from reader.commands.common import add_translator_options

if TYPE_CHECKING:  # imported with arguments to parse: `nieuwslezer` alone does without
    import argparse

_DESCRIPTION = """\
A terminal reader for Dutch news: feeds you subscribe to, and saved pages.

commands:
  nieuwslezer [PATH ...]          open the reader on page files and folders
                                  (no PATH: the stored feed articles; the samples until
                                  there are any, or with --samples)
  nieuwslezer export [PATH ...]   write the parsed corpus as JSON Lines to stdout
                                  (no PATH: the stored feed items; the samples only
                                  while there are none, or with --samples)
  nieuwslezer feeds COMMAND       the feeds followed: add, list, remove, import, export,
                                  presets (nieuwslezer feeds --help)
  nieuwslezer refresh             fetch every subscribed feed now and store new items
  nieuwslezer annotate [FILE ...] the numbers and sources of each line of stdin (or of
                                  each paragraph of page files) as JSON Lines
  nieuwslezer cache [--clear]     the translation cache: size and entries, or empty it
  nieuwslezer search QUERY [PATH ...]
                                  search titles, paragraphs, ticker items, feed articles
                                  and their cached English (no PATH: the stored feed
                                  articles; --json, --limit N, --relevance)
  nieuwslezer serve [PATH ...]    the reader as a web page, a reader per browser tab
                                  (--host 127.0.0.1, --port 8000; needs the web extra:
                                  pip install 'nieuwslezer[web]')

Translation (key t in the reader, export --translate) sends the text to the chosen service.
Feeds are fetched only once subscribed to (nieuwslezer feeds add nos).
"""

# Each subcommand's module, whose `run(argv)` parses the rest of the command line.
SUBCOMMANDS: dict[str, str] = {
    "export": "reader.commands.export",
    "annotate": "reader.commands.annotate",
    "cache": "reader.commands.cache",
    "feeds": "reader.commands.feeds",
    "refresh": "reader.commands.refresh",
    "search": "reader.commands.search",
    "serve": "reader.commands.serve",
}


def _main_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="nieuwslezer",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"nieuwslezer {__version__}")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="page files or folders")
    parser.add_argument(
        "--samples",
        action="store_true",
        help="show the bundled sample pages too (by default only until feed articles are stored)",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="start afresh: do not reopen where the last run left off (quitting saves it again)",
    )
    add_translator_options(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and arguments[0] in SUBCOMMANDS:
        command = importlib.import_module(SUBCOMMANDS[arguments[0]])
        run: Callable[[Sequence[str]], int] = command.run
        return run(arguments[1:])
    if not arguments:  # the reader on the feeds or the samples: nothing to parse (#14)
        return read.run([], backend=None, url=None, usage_error=_usage_error)
    parser = _main_parser()
    args = parser.parse_args(arguments)
    return read.run(
        args.paths,
        backend=args.translator,
        url=args.translator_url,
        usage_error=parser.error,
        samples=args.samples,
        fresh=args.fresh,
    )


def _usage_error(message: str) -> NoReturn:
    """The parser's usage error, the parser built only then: importing argparse and building
    it took ~3 ms of the first frame, for a command line with nothing to parse."""
    _main_parser().error(message)


if __name__ == "__main__":
    sys.exit(main())
