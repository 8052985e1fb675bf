"""What the subcommands share: exit codes, diagnostics on stderr, and common arguments.

Imported by `reader.cli` at every start, so it stays small and imports no command module.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from reader.resources import seeds_dir
from reader.text import make_visible

if TYPE_CHECKING:  # only types here: the commands that do not read pages need not load them
    import argparse  # nor the reader without arguments (reader.cli)

    from reader.model import Diagnostic

# 0 success, 1 nothing could be read or a command failed, 2 usage error (as argparse exits).
EXIT_OK, EXIT_NOTHING_READ, EXIT_USAGE = 0, 1, 2
EXIT_FAILED = EXIT_NOTHING_READ  # a command that could not do its work

NO_SUBSCRIPTIONS = (
    "no subscriptions yet: add one with `nieuwslezer feeds add nos` (a preset; "
    "`nieuwslezer feeds presets` lists them) or `nieuwslezer feeds add URL`, "
    "or import a reader's list with `nieuwslezer feeds import FILE.opml`"
)


def report(*problems: str) -> None:
    """Each problem on a line of stderr, after the program's name; control characters escaped."""
    for problem in problems:
        print(f"nieuwslezer: {make_visible(problem)}", file=sys.stderr)


def report_nothing_read(diagnostics: Sequence[Diagnostic] = ()) -> int:
    """Why nothing could be read on stderr, a line each, then that; the exit code to return."""
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
    report("nothing could be read")
    return EXIT_NOTHING_READ


def paths_or_samples(paths: Sequence[str]) -> list[Path]:
    """The page files and folders given, or the bundled samples when none are."""
    return [Path(path) for path in paths] if paths else [seeds_dir()]


def usage_parser(**options: Any) -> argparse.ArgumentParser:
    """An argparse.ArgumentParser (`options` as it takes them) whose usage error is one line
    on stderr, `PROG: message` (control characters made visible, no usage block), and exit
    EXIT_USAGE. argparse is imported only when a command builds its parser."""
    return _usage_parser_class()(**options)


@cache
def _usage_parser_class() -> type[argparse.ArgumentParser]:
    import argparse

    class UsageParser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            self.exit(EXIT_USAGE, f"{self.prog}: {make_visible(message)}\n")

    return UsageParser


def add_translator_options(parser: argparse.ArgumentParser) -> None:
    """--translator and --translator-url, as the reader and `export` take them."""
    parser.add_argument(
        "--translator",
        choices=("google", "libre"),
        help="translation service (default: google, or the config file's choice)",
    )
    parser.add_argument(
        "--translator-url", metavar="URL", help="address of a LibreTranslate server (libre)"
    )


def nothing_subscribed(problems: Sequence[str]) -> int:
    """No subscriptions: how to add one; but a feeds.toml that could not be read is a failure
    (its problems are on stderr), and the hint to add feeds would mislead."""
    if problems:
        return EXIT_FAILED
    print(NO_SUBSCRIPTIONS)
    return EXIT_OK
