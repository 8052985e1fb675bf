"""The `nieuwslezer` command: the reader (TUI) and its subcommands.

Exit codes: 0 success, 1 nothing could be read, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from reader import __version__
from reader.corpus import load_corpus
from reader.model import Corpus
from reader.resources import seeds_dir

EXIT_OK, EXIT_NOTHING_READ, EXIT_USAGE = 0, 1, 2


_DESCRIPTION = """\
A terminal reader for Dutch news pages.

commands:
  nieuwslezer [PATH ...]          open the reader on page files and folders
                                  (no PATH: the bundled sample corpus)
  nieuwslezer export [PATH ...]   write the parsed corpus as JSON Lines to stdout
  nieuwslezer annotate [FILE ...] the numbers and sources of each line of stdin (or of
                                  each paragraph of page files) as JSON Lines
"""


def _paths_or_samples(paths: Sequence[str]) -> list[Path]:
    return [Path(path) for path in paths] if paths else [seeds_dir()]


def _load(paths: Sequence[str]) -> Corpus:
    """Load the corpus and report every diagnostic on stderr, one line each."""
    corpus = load_corpus(_paths_or_samples(paths))
    for diagnostic in corpus.diagnostics:
        print(diagnostic, file=sys.stderr)
    return corpus


def run_export(argv: Sequence[str]) -> int:
    from reader.export import json_lines

    parser = argparse.ArgumentParser(
        prog="nieuwslezer export",
        description="Write the parsed corpus to stdout as JSON Lines (schema: see README); "
        "diagnostics go to stderr.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="page files or folders")
    args = parser.parse_args(argv)
    corpus = _load(args.paths)
    out = sys.stdout.buffer
    try:
        for line in json_lines(corpus):
            out.write(line.encode("utf-8"))
        out.flush()
    except BrokenPipeError:  # `nieuwslezer export | head` is a normal way to use it
        sys.stderr.close()
        return EXIT_OK
    if corpus.is_empty:
        print("nieuwslezer: nothing could be read", file=sys.stderr)
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


def _main_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nieuwslezer",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"nieuwslezer {__version__}")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="page files or folders")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and arguments[0] == "export":
        return run_export(arguments[1:])
    if arguments and arguments[0] == "annotate":
        return run_annotate(arguments[1:])
    args = _main_parser().parse_args(arguments)
    from reader.ui.app import run_reader

    return run_reader(_paths_or_samples(args.paths))


if __name__ == "__main__":
    sys.exit(main())
