"""The typed model of a news corpus: what the parser produces and everything else reads.

All values are frozen: the core hands them to the UI, which never changes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from reader.text import make_visible


class Severity(StrEnum):
    """How much a diagnostic matters to the reader."""

    INFO = "info"  # handled, nothing lost (e.g. CRLF line endings normalised)
    WARNING = "warning"  # loaded, but guessed at (e.g. decoded as Windows-1252)
    ERROR = "error"  # the file or part of it could not be read


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem found while loading: where it is and what is wrong."""

    file: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    message: str
    severity: Severity = Severity.WARNING

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return make_visible(f"{where}: {self.severity}: {self.message}")


@dataclass(frozen=True, slots=True)
class Dateline:
    """`PLACE (AGENCY/AGENCY) - ` opening a lead or a ticker item."""

    place: str
    agencies: tuple[str, ...]

    @property
    def prefix(self) -> str:
        """The dateline exactly as it stands in the page, up to the text."""
        return f"{self.place} ({'/'.join(self.agencies)}) - "


@dataclass(frozen=True, slots=True)
class Age:
    """How old a ticker item was when the page was saved, as written and in minutes."""

    text: str  # "21 minuten geleden"
    minutes: int | None  # None where the text gives no span of time (a clock time)


class ParagraphKind(StrEnum):
    LEAD = "lead"
    BODY = "body"
    SUBHEADING = "subheading"


@dataclass(frozen=True, slots=True)
class Link:
    """A link in a feed article's text, kept as data: `text` is what the paragraph shows."""

    text: str
    href: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of an article; `text` starts after the dateline, if any."""

    kind: ParagraphKind
    text: str
    file: str
    line: int  # 0 for a feed article's paragraph: it has no line in a file
    dateline: Dateline | None = None
    links: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    """An article: from a page file (headline, lead, body and subheadings) or a feed item.

    A feed article's `file` is its link (else its feed's address) and `line` is 0; its
    `source` is the name its feed shows as (unique among the feeds, see feeds.subscriptions).
    """

    title: str
    file: str
    line: int  # the title's line
    paragraphs: tuple[Paragraph, ...]
    source: str | None = None  # the feed's channel title; None for a page file
    link: str | None = None  # the publisher's page for the article
    published: datetime | None = None  # timezone-aware
    guid: str | None = None  # the feed item's identity in the store
    # Not all of the article: a summary its publisher cut short, or an item cut for size (the
    # full text is at `link`); for a page file, a page that ends inside its last paragraph.
    cut: bool = False
    feed: str | None = None  # the address of the feed it came from: a feed's identity
    fetched: datetime | None = None  # when a feed article was first stored
    # The date its feed gave when that was in the future when fetched: `published` is then
    # when it was fetched, so that it does not sit on top of the list.
    dated_ahead: datetime | None = None

    @property
    def sort_time(self) -> datetime | None:
        """Where a feed article goes in newest-first order, as the store orders it: when it was
        published, else (undated) when it was first fetched. None for a page file's article."""
        return self.published or self.fetched

    @property
    def dateline(self) -> Dateline | None:
        """The lead's dateline: where the story was filed and by which agencies."""
        return self.paragraphs[0].dateline if self.paragraphs else None


@dataclass(frozen=True, slots=True)
class TickerItem:
    """One short item of a page's ticker ("Meer uit Buitenland") as it stands in one file.

    `dateline` is None only for a ticker line the parser could not read as an item; it is kept
    as text so nothing is lost. `cut` marks an item the page ends inside (a scraper cut it):
    a fragment, not a story.
    """

    dateline: Dateline | None
    text: str
    file: str
    line: int
    age: Age | None = None
    age_line: int | None = None  # the age is glued to the start of the next line
    cut: bool = False


@dataclass(frozen=True, slots=True)
class Page:
    """Everything one page file holds."""

    file: str
    article: Article | None
    section: str | None  # "Buitenland" from "Meer uit Buitenland"
    section_line: int | None
    ticker: tuple[TickerItem, ...]
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True, slots=True)
class Sighting:
    """One file a de-duplicated ticker item was seen in, with the age it had there."""

    file: str
    line: int
    age: Age | None


@dataclass(frozen=True, slots=True)
class CorpusTickerItem:
    """A ticker item de-duplicated over the corpus (same place and text); a cut-off fragment
    (`cut`) is never merged: it stands alone with its one sighting."""

    dateline: Dateline | None
    text: str
    section: str | None
    sightings: tuple[Sighting, ...]
    cut: bool = False

    @property
    def first(self) -> Sighting:
        return self.sightings[0]

    @property
    def age(self) -> Age | None:
        """The age at first sighting, in file-name order."""
        return self.sightings[0].age


@dataclass(frozen=True, slots=True)
class Corpus:
    """Articles in file-name order; ticker items in order of first sighting."""

    articles: tuple[Article, ...] = ()
    ticker: tuple[CorpusTickerItem, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    files_read: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.articles and not self.ticker


class SpanKind(StrEnum):
    NUMBER = "number"
    SOURCE = "source"


@dataclass(frozen=True, slots=True)
class Span:
    """A highlighted stretch of a paragraph: `text[start:end]` in Python string offsets.

    For a number, `label` is its normalised value ("10000", "3.5 %", "4 november" -> "11-04");
    for a source, the cue that attributes it ("volgens", "aldus", "zei", "dateline").
    """

    start: int
    end: int
    kind: SpanKind
    label: str
