"""`nieuwslezer annotate`: the highlighter's spans as JSON Lines, for pipelines and checks."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from reader.commands.common import EXIT_OK, report_nothing_read
from reader.corpus import find_page_files, read_page
from reader.export import json_line
from reader.highlight import annotate
from reader.model import Diagnostic, Page, Span


def run(argv: Sequence[str]) -> int:
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
        return write_annotations(args.files, stdin, stdout)
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK


def write_annotations(paths: Sequence[str], stdin: TextIO, stdout: TextIO) -> int:
    """The records of the page files, or of stdin's lines without paths, as JSON Lines.

    As `export`: what cannot be read is named on stderr, and the exit code is 1 only when no
    file held a page (stdin without lines is not a failure: nothing was asked).
    """

    def write(record: dict[str, Any]) -> None:
        stdout.write(json_line(record))

    if not paths:
        for record in lines_records(stdin):
            write(record)
        return EXIT_OK
    read_a_page = False
    for page in read_pages(paths):
        if isinstance(page, Diagnostic):
            print(page, file=sys.stderr)
            continue
        for diagnostic in page.diagnostics:
            print(diagnostic, file=sys.stderr)
        read_a_page = read_a_page or page.article is not None or bool(page.ticker)
        for record in page_records(page):
            write(record)
    return EXIT_OK if read_a_page else report_nothing_read()


def _value(label: str) -> int | float | str:
    """A number's label as a JSON number where it is one ("10000"), else as written."""
    for kind in (int, float):
        try:
            return kind(label)
        except ValueError:
            pass
    return label


def annotation_record(text: str) -> dict[str, Any]:
    """`{"numbers": [...], "sources": [...]}` for one paragraph; offsets are str indices."""
    annotation = annotate(text)

    def fields(span: Span) -> dict[str, Any]:
        return {"start": span.start, "end": span.end, "text": text[span.start : span.end]}

    return {
        "numbers": [{**fields(s), "value": _value(s.label)} for s in annotation.numbers],
        "sources": [{**fields(s), "cue": s.label} for s in annotation.sources],
    }


def lines_records(stream: TextIO) -> Iterator[dict[str, Any]]:
    """One record per input line (the line without its line ending)."""
    for line in stream:
        yield annotation_record(line.rstrip("\r\n"))


def read_pages(paths: Sequence[str]) -> Iterator[Page | Diagnostic]:
    """Each page file under `paths`, read, or why it could not be."""
    for found in find_page_files(Path(p) for p in paths):
        yield found if isinstance(found, Diagnostic) else read_page(found)


def page_records(page: Page) -> Iterator[dict[str, Any]]:
    """One record per paragraph and ticker item of a page; the lead with its dateline."""
    paragraphs = page.article.paragraphs if page.article else ()
    for paragraph in paragraphs:
        prefix = paragraph.dateline.prefix if paragraph.dateline else ""
        text = prefix + paragraph.text
        yield {"file": page.file, "line": paragraph.line, "kind": paragraph.kind.value,
               "text": text, **annotation_record(text)}  # fmt: skip
    for item in page.ticker:
        text = (item.dateline.prefix if item.dateline else "") + item.text
        yield {"file": page.file, "line": item.line, "kind": "ticker", "text": text,
               **annotation_record(text)}  # fmt: skip
