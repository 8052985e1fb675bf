"""Files and folders -> Corpus: finding files, decoding them, de-duplicating the ticker.

Nothing raises out of here for bad content: every problem becomes a Diagnostic naming the file
and line, and loading goes on with the other files.
"""

from __future__ import annotations

import codecs
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from reader.model import (
    Article,
    Corpus,
    CorpusTickerItem,
    Diagnostic,
    Page,
    Severity,
    Sighting,
    TickerItem,
)
from reader.parse import parse_page

PAGE_SUFFIX = ".txt"
LARGE_FILE_BYTES = 1 << 20  # a news page is a few kB; past this we say so
MAX_FILE_BYTES = 64 << 20  # past this a file is surely not a page: skipped, not parsed
_BINARY_SAMPLE_BYTES = 8192


def _cp1252_with_latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    """Map the five bytes Windows-1252 leaves undefined to the same code points as Latin-1.

    Decoding then never fails and never replaces a byte, so nothing is silently lost.
    """
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("nieuwslezer-latin1", _cp1252_with_latin1_fallback)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    diagnostics: tuple[Diagnostic, ...]


def decode_page(data: bytes, file: str) -> Decoded | Diagnostic:
    """Decode a page file's bytes to text with `\\n` line endings, or say why not."""
    notes: list[Diagnostic] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            return Diagnostic(
                file, 0, f"broken UTF-16 at byte {error.start}; skipped", Severity.ERROR
            )
        notes.append(Diagnostic(file, 0, "decoded as UTF-16 (byte order mark)", Severity.INFO))
    elif b"\x00" in data[:_BINARY_SAMPLE_BYTES]:
        return Diagnostic(
            file, 0, "binary file (NUL bytes), not a text page; skipped", Severity.ERROR
        )
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            text = data.decode("cp1252", errors="nieuwslezer-latin1")
            notes.append(
                Diagnostic(
                    file,
                    line,
                    f"not valid UTF-8 (byte 0x{data[error.start]:02x}); decoded as Windows-1252",
                    Severity.WARNING,
                )
            )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        notes.append(Diagnostic(file, 0, "CR/CRLF line endings normalised", Severity.INFO))
    return Decoded(text, tuple(notes))


def read_page(path: Path | str) -> Page | Diagnostic:
    """Read and parse one page file; a file that cannot be read at all gives a Diagnostic."""
    file = str(path)
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            return Diagnostic(
                file,
                0,
                f"{size / 1e6:.1f} MB is too large for a news page; skipped",
                Severity.ERROR,
            )
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        return Diagnostic(file, 0, f"cannot read: {error.strerror or error}", Severity.ERROR)
    decoded = decode_page(data, file)
    if isinstance(decoded, Diagnostic):
        return decoded
    page = parse_page(decoded.text, file)
    notes = list(decoded.diagnostics)
    if size > LARGE_FILE_BYTES:
        notes.append(
            Diagnostic(file, 0, f"unusually large page ({size / 1e6:.1f} MB)", Severity.WARNING)
        )
    if notes:
        page = replace(page, diagnostics=(*notes, *page.diagnostics))
    return page


def find_page_files(paths: Iterable[Path | str]) -> Iterator[Path | Diagnostic]:
    """Yield page files: each given file, and every `*.txt` below each given folder.

    Arguments keep their order; a folder's files come in path order, its own files before its
    subfolders'. A file reached twice is yielded once; a missing path becomes a Diagnostic.
    Lazy: a caller can look at the first few without walking a whole tree.
    """
    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        found: Iterable[Path]
        if path.is_dir():
            found = _walk_pages(path)
        elif path.exists():
            found = [path]
        else:
            yield Diagnostic(str(path), 0, "no such file or folder", Severity.ERROR)
            continue
        for file in found:
            key = os.path.realpath(file)
            if key not in seen:
                seen.add(key)
                yield file


def _walk_pages(folder: Path) -> Iterator[Path]:
    """A folder's page files in path order, its own files before its subfolders', lazily."""
    # os.walk does not follow links to folders, so a link loop cannot trap it.
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(PAGE_SUFFIX):
                yield Path(root, name)


@dataclass
class CorpusBuilder:
    """Collects pages one by one into a Corpus; ticker items are merged as they come."""

    articles: list[Article] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files_read: int = 0
    # (place, text) -> the first sighting's item and section, and every sighting so far
    _ticker: dict[tuple[str | None, str], tuple[TickerItem, str | None, list[Sighting]]] = field(
        default_factory=dict
    )

    def add(self, result: Page | Diagnostic) -> None:
        if isinstance(result, Diagnostic):
            self.diagnostics.append(result)
            return
        self.files_read += 1
        self.diagnostics.extend(result.diagnostics)
        if result.article is not None:
            self.articles.append(result.article)
        for item in result.ticker:
            key = (item.dateline.place if item.dateline else None, item.text)
            sighting = Sighting(item.file, item.line, item.age)
            known = self._ticker.get(key)
            if known is None:
                self._ticker[key] = (item, result.section, [sighting])
            else:
                known[2].append(sighting)

    def build(self) -> Corpus:
        ticker = tuple(
            CorpusTickerItem(item.dateline, item.text, section, tuple(sightings))
            for item, section, sightings in self._ticker.values()
        )
        return Corpus(tuple(self.articles), ticker, tuple(self.diagnostics), self.files_read)


def load_corpus(paths: Iterable[Path | str]) -> Corpus:
    """Load every page under `paths` into one Corpus."""
    return load_found(find_page_files(paths))


def load_found(found: Iterable[Path | Diagnostic]) -> Corpus:
    """Load files that find_page_files found into one Corpus."""
    *_, corpus = load_in_batches(found, first_batch=0, interval=float("inf"))
    return corpus


def load_in_batches(
    found: Iterable[Path | Diagnostic],
    *,
    first_batch: int = 50,
    interval: float = 0.2,
    after_each_file: Callable[[], object] = lambda: None,
) -> Iterator[Corpus]:
    """Load found files, yielding the corpus so far: after the first `first_batch` files,
    then at most every `interval` seconds, and always once complete (the last one).

    `after_each_file` is called after every file (a loader thread uses it to let others run).
    """
    builder = CorpusBuilder()
    next_yield = time.monotonic() + interval
    for count, item in enumerate(found, 1):
        builder.add(item if isinstance(item, Diagnostic) else read_page(item))
        after_each_file()
        if count == first_batch or time.monotonic() >= next_yield:
            yield builder.build()
            next_yield = time.monotonic() + interval
    yield builder.build()


def is_small_load(found: Sequence[Path | Diagnostic], max_files: int, max_bytes: int) -> bool:
    """Whether these files are few and small enough to load without a worker."""
    if len(found) > max_files:
        return False
    try:
        size = sum(os.path.getsize(item) for item in found if isinstance(item, Path))
    except OSError:
        return False  # let the loader report it
    return size <= max_bytes
