"""Files and folders -> Corpus: finding files, decoding them, de-duplicating the ticker.

Nothing raises out of here for bad content: every problem becomes a Diagnostic naming the file
and line, and loading goes on with the other files.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Self

from reader.files import (
    FileTooLarge,
    NotARegularFile,
    file_problem,
    open_regular_file,
    read_regular_file,
)
from reader.model import (
    Article,
    Corpus,
    CorpusTickerItem,
    Diagnostic,
    Page,
    Severity,
    Sighting,
    TickerItem,
    Value,
)
from reader.parse import parse_page

PAGE_SUFFIX = ".txt"
LARGE_FILE_BYTES = 1 << 20  # a news page is a few kB; past this we say so
MAX_FILE_BYTES = 64 << 20  # past this a file is surely not a page: skipped, not parsed
_BINARY_SAMPLE_BYTES = 8192
PEEK_BYTES = 64 << 10  # a page up to this size is parsed to tell whether it holds anything


def _cp1252_with_latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    """Map the five bytes Windows-1252 leaves undefined to the same code points as Latin-1.

    Decoding then never fails and never replaces a byte, so nothing is silently lost.
    """
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("nieuwslezer-latin1", _cp1252_with_latin1_fallback)
_new = object.__new__


class Decoded(Value):
    """A page's text and what was noted decoding it (a Value, as the model's: a dataclass
    would be compiled at every start, and takes three times as long to make)."""

    __slots__ = ("diagnostics", "text")

    text: str
    diagnostics: tuple[Diagnostic, ...]

    def __new__(cls, text: str, diagnostics: tuple[Diagnostic, ...]) -> Self:
        self = _new(cls._building)
        self.text = text
        self.diagnostics = diagnostics
        self.__class__ = cls
        return self


def _looks_binary(data: bytes) -> bool:
    """NUL bytes near the start, and no UTF-16 byte order mark that would explain them."""
    return data.find(b"\x00", 0, _BINARY_SAMPLE_BYTES) != -1 and not data.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    )


def _binary_file(file: str) -> Diagnostic:
    return Diagnostic(file, 0, "binary file (NUL bytes), not a text page; skipped", Severity.ERROR)


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
    elif _looks_binary(data):
        return _binary_file(file)
    else:
        try:
            # As "utf-8-sig" decodes (one byte order mark dropped), without its codec's
            # Python-level wrapper: that took most of the decoding time of a small page.
            text = data.decode("utf-8")
            if text.startswith("\ufeff"):
                text = text[1:]
        except UnicodeDecodeError as error:
            # Counted as "utf-8-sig" counted it: from after a byte order mark, if any.
            start = error.start - (3 if data.startswith(codecs.BOM_UTF8) else 0)
            line = data.count(b"\n", 0, start) + 1
            text = data.decode("cp1252", errors="nieuwslezer-latin1")
            notes.append(
                Diagnostic(
                    file,
                    line,
                    f"not valid UTF-8 (byte 0x{data[start]:02x}); decoded as Windows-1252",
                    Severity.WARNING,
                )
            )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        notes.append(Diagnostic(file, 0, "CR/CRLF line endings normalised", Severity.INFO))
    return Decoded(text, tuple(notes))


def read_page(path: Path | str) -> Page | Diagnostic:
    """Read and parse one page file; a file that cannot be read at all gives a Diagnostic.

    Only a regular file is read: a FIFO would block the reader for ever, /dev/zero never end."""
    try:
        data = read_regular_file(path, MAX_FILE_BYTES)
    except OSError as error:
        return _unreadable(path, error)
    file, size = str(path), len(data)
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


def _unreadable(path: Path | str, error: OSError) -> Diagnostic:
    """Why a page file could not be read, as the Diagnostic that skips it."""
    if isinstance(error, FileTooLarge):
        message = f"{error.size / 1e6:.1f} MB is too large for a news page; skipped"
    elif isinstance(error, NotARegularFile):  # "a named pipe (FIFO), not a regular file"
        message = f"{file_problem(error)}; skipped"
    elif error.errno in (errno.ENOENT, errno.ELOOP):  # "no such file or folder", a link loop
        message = file_problem(error)
    else:
        message = f"cannot read: {file_problem(error)}"
    return Diagnostic(str(path), 0, message, Severity.ERROR)


def find_page_files(paths: Iterable[Path | str]) -> Iterator[Path | Diagnostic]:
    """Yield page files: each given file, and every `*.txt` below each given folder.

    Arguments keep their order; a folder's files come in path order, its own files before its
    subfolders'. A file reached twice is yielded once; a path that cannot be looked at
    (missing, a link loop, not searchable) becomes a Diagnostic saying why. Lazy: a caller
    can look at the first few without walking a whole tree.
    """
    for found in _find_pages(paths):
        yield found if isinstance(found, Diagnostic) else Path(found)


def _find_pages(paths: Iterable[Path | str]) -> Iterator[str | Diagnostic]:
    """find_page_files' files as the strings their Paths write: a Path for each of 10,000
    files cost as much as finding them."""
    seen: set[str] = set()
    real_folders: dict[str, str] = {}
    for given in paths:
        path = Path(given)
        try:
            is_folder = stat.S_ISDIR(os.stat(path).st_mode)
        except OSError as error:
            yield _unreadable(path, error)
            continue
        written = str(path)
        found = _walk_pages(written) if is_folder else [(None, written, False)]
        prefixes: dict[str, str] = {}
        empty = True
        for file in found:
            empty = False
            if isinstance(file, Diagnostic):
                yield file
                continue
            folder, name, is_link = file
            if folder is None:
                key = os.path.realpath(name)
            elif is_link:
                key = os.path.realpath(os.path.join(folder, name))
            else:  # its folder resolved once: realpath looks at every part of every path
                if folder not in real_folders:  # with a separator after it, as join puts
                    real_folders[folder] = os.path.join(os.path.realpath(folder), "")
                key = real_folders[folder] + name
            if key not in seen:
                seen.add(key)
                if folder is None:
                    yield written
                    continue
                if folder not in prefixes:
                    prefixes[folder] = _written_before_a_name(folder)
                yield prefixes[folder] + name
        if empty:
            yield Diagnostic(str(path), 0, f"no page files (*{PAGE_SUFFIX}) in this folder")


def _written_before_a_name(folder: str) -> str:
    """What str(Path(folder, name)) writes before a file's name: the folder as Path writes it
    ("pages/" of "./pages", nothing of "."), and a separator."""
    return str(Path(folder, "_"))[:-1]


def why_nothing_to_read(paths: Iterable[Path | str]) -> list[Diagnostic] | None:
    """None if any of `paths` may yield a page; else why none can, a Diagnostic each.

    Looks no further than the first file that holds a page, so a large folder costs one
    small read here and is loaded once, by the loader. A page over `PEEK_BYTES` is only
    looked at for being binary; what is no regular file is refused, unopened.
    """
    problems: list[Diagnostic] = []
    for found in find_page_files(paths):
        why_not = found if isinstance(found, Diagnostic) else _why_not_a_page(found)
        if why_not is None:
            return None
        problems.extend([why_not] if isinstance(why_not, Diagnostic) else why_not)
    return problems


def _why_not_a_page(file: Path) -> Diagnostic | Sequence[Diagnostic] | None:
    """None if the file may hold a page (an article or a ticker item); else why not."""
    try:
        with open_regular_file(file) as handle:
            if PEEK_BYTES < os.fstat(handle.fileno()).st_size <= MAX_FILE_BYTES:
                head = handle.read(_BINARY_SAMPLE_BYTES)
                if _looks_binary(head):
                    return _binary_file(str(file))
                # Any text at all makes a page (no line is dropped): only a file of blank
                # lines is read to its end here, and then parsed below for the loader's words.
                chunks = iter(lambda: handle.read(1 << 20), b"")
                if head.strip() or any(chunk.strip() for chunk in chunks):
                    return None
    except OSError as error:
        return _unreadable(file, error)
    page = read_page(file)
    if isinstance(page, Diagnostic):
        return page
    return None if page.article or page.ticker else page.diagnostics


def _walk_pages(top: str) -> Iterator[tuple[str, str, bool] | Diagnostic]:
    """A folder's page files as (folder, name, whether it is a symbolic link), in path order,
    its own files before its subfolders', lazily; a folder that cannot be listed as a
    Diagnostic. As os.walk does, links to folders are not followed (a link loop cannot trap
    it); the listing's own entries tell which files are links, with no look at each file."""
    folders = [top]  # still to list, the next one last
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as error:
            why = f"cannot list this folder: {file_problem(error)}; its pages are skipped"
            yield Diagnostic(str(error.filename or folder), 0, why, Severity.ERROR)
            continue
        pages: list[tuple[str, bool]] = []
        subfolders: list[str] = []
        for entry in entries:
            try:
                is_folder = entry.is_dir()
            except OSError:  # as os.walk: what cannot be looked at is taken for a file
                is_folder = False
            if is_folder:
                if not entry.is_symlink():
                    subfolders.append(entry.name)
            elif entry.name.lower().endswith(PAGE_SUFFIX):
                pages.append((entry.name, entry.is_symlink()))
        for name, is_link in sorted(pages):
            yield folder, name, is_link
        folders.extend(os.path.join(folder, name) for name in sorted(subfolders, reverse=True))


class CorpusBuilder:
    """Collects pages one by one into a Corpus; ticker items are merged as they come."""

    def __init__(self) -> None:  # not a dataclass: it would be compiled at every start
        self.articles: list[Article] = []
        self.diagnostics: list[Diagnostic] = []
        self.files_read = 0
        # (place, text) -> the first sighting's item and section, and every sighting so far;
        # a cut-off fragment is keyed by its own sighting, so that it joins no story (nor
        # another fragment that happens to read the same)
        self._ticker: dict[
            tuple[str | None, str] | Sighting, tuple[TickerItem, str | None, list[Sighting]]
        ] = {}

    def add(self, result: Page | Diagnostic) -> None:
        if isinstance(result, Diagnostic):
            self.diagnostics.append(result)
            return
        self.files_read += 1
        self.diagnostics.extend(result.diagnostics)
        if result.article is not None:
            self.articles.append(result.article)
        ticker, section = self._ticker, result.section
        for item in result.ticker:
            sighting = Sighting(item.file, item.line, item.age)
            dateline = item.dateline
            key = sighting if item.cut else (dateline.place if dateline else None, item.text)
            known = ticker.get(key)
            if known is None:
                ticker[key] = (item, section, [sighting])
            else:
                known[2].append(sighting)

    def build(self) -> Corpus:
        ticker = tuple(
            CorpusTickerItem(item.dateline, item.text, section, tuple(sightings), item.cut)
            for item, section, sightings in self._ticker.values()
        )
        return Corpus(tuple(self.articles), ticker, tuple(self.diagnostics), self.files_read)


def load_corpus(paths: Iterable[Path | str]) -> Corpus:
    """Load every page under `paths` into one Corpus."""
    return load_found(_find_pages(paths))


def load_found(found: Iterable[Path | str | Diagnostic]) -> Corpus:
    """Load files that find_page_files found into one Corpus."""
    *_, corpus = load_in_batches(found, first_batch=0, interval=float("inf"))
    return corpus


def load_in_batches(
    found: Iterable[Path | str | Diagnostic],
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


def ticker_newest_first(ticker: Iterable[CorpusTickerItem]) -> list[CorpusTickerItem]:
    """Ticker items by age, the newest first; those whose age gives no span of time (none,
    or a clock time of an unknown day) after them, in the order they were first seen."""
    return sorted(ticker, key=_age_order)


def _age_order(item: CorpusTickerItem) -> tuple[bool, int]:
    minutes = item.age.minutes if item.age is not None else None
    return minutes is None, minutes or 0
