"""The typed model of a news corpus: what the parser produces and everything else reads.

All values are frozen: the core hands them to the UI, which never changes them.

They are dataclasses in all but how they are made: equal and hashed by their fields, frozen,
copied by `dataclasses.replace`, listed by `dataclasses.fields`. @dataclass would compile each
class's methods from source at every start (~70 functions, ~6 ms of the reader's first frame,
#14); here the constructor is written out, so it comes compiled like the rest of the module,
and `Value` gives every class the rest from its annotated fields.

A frozen dataclass assigns each field through object.__setattr__, the slowest way to set a
slot; an export of 10,000 pages makes some 200,000 values (#14). So most classes here are made
by `__new__`: as an instance of their `_building` twin, a subclass that adds no slots and
lets its fields be set, which then becomes an instance of the class (less than half the
time). Article, which FeedRow extends, keeps an `__init__` that does the same.
"""

from __future__ import annotations

import dataclasses
import inspect  # imported by dataclasses anyway
from datetime import datetime
from enum import StrEnum
from operator import attrgetter
from typing import Any, ClassVar, Self

from reader.text import make_visible

_set = object.__setattr__  # what a frozen dataclass's __init__ assigns its fields with
_new = object.__new__


class Value:
    """A frozen dataclass's behaviour, for a subclass that annotates its fields in the order
    its `__init__` (or `__new__`) takes them (after those of a class it extends) and names
    them in `__slots__`. What other modules use instead of @dataclass(frozen=True) on the
    reader's way to its first frame: each such class costs the start ~0.4 ms compiled."""

    __slots__ = ()
    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]
    __match_args__: ClassVar[tuple[str, ...]]
    _fields_of: ClassVar[Any]  # the field values as a tuple: what __eq__ and __hash__ compare
    # A subclass whose instances' fields can be set: what `__new__` makes, then turns into an
    # instance of the class itself (its slots are the same, so its __class__ can be changed).
    _building: ClassVar[Any]

    def __init_subclass__(cls, building: bool = False) -> None:
        if building:
            return
        # Its own fields after those of the class it extends, as a dataclass's.
        own = inspect.get_annotations(cls)  # in the order they are written
        assert set(own) == set(cls.__dict__.get("__slots__", ())), f"{cls.__name__}: slots"
        fields = dict(getattr(cls, "__dataclass_fields__", {}))
        for name, annotation in own.items():
            field: dataclasses.Field[Any] = dataclasses.field()
            field.name, field.type = name, annotation
            field._field_type = dataclasses._FIELD  # type: ignore[attr-defined]
            fields[name] = field
        cls.__dataclass_fields__ = fields
        cls.__match_args__ = tuple(fields)
        cls._fields_of = attrgetter(*fields)
        methods = {"__slots__": (), "__setattr__": _set, "__delattr__": object.__delattr__}
        twin = type(cls)(f"{cls.__name__}._building", (cls,), methods, building=True)
        cls._building = twin

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            fields_of = self._fields_of
            return bool(fields_of(self) == fields_of(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._fields_of(self))

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__match_args__)
        return f"{type(self).__qualname__}({values})"

    def __setattr__(self, name: str, value: object) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return type(self), tuple(getattr(self, name) for name in self.__match_args__)


class Severity(StrEnum):
    """How much a diagnostic matters to the reader."""

    INFO = "info"  # handled, nothing lost (e.g. CRLF line endings normalised)
    WARNING = "warning"  # loaded, but guessed at (e.g. decoded as Windows-1252)
    ERROR = "error"  # the file or part of it could not be read


class Diagnostic(Value):
    """A problem found while loading: where it is and what is wrong."""

    __slots__ = ("file", "line", "message", "severity")

    file: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    message: str
    severity: Severity

    def __new__(
        cls, file: str, line: int, message: str, severity: Severity = Severity.WARNING
    ) -> Self:
        self = _new(cls._building)
        self.file = file
        self.line = line
        self.message = message
        self.severity = severity
        self.__class__ = cls
        return self

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return make_visible(f"{where}: {self.severity}: {self.message}")


class Dateline(Value):
    """`PLACE (AGENCY/AGENCY) - ` opening a lead or a ticker item."""

    __slots__ = ("agencies", "place")

    place: str
    agencies: tuple[str, ...]

    def __new__(cls, place: str, agencies: tuple[str, ...]) -> Self:
        self = _new(cls._building)
        self.place = place
        self.agencies = agencies
        self.__class__ = cls
        return self

    @property
    def prefix(self) -> str:
        """The dateline exactly as it stands in the page, up to the text."""
        return f"{self.place} ({'/'.join(self.agencies)}) - "


class Age(Value):
    """How old a ticker item was when the page was saved, as written and in minutes."""

    __slots__ = ("minutes", "text")

    text: str  # "21 minuten geleden"
    minutes: int | None  # None where the text gives no span of time (a clock time)

    def __new__(cls, text: str, minutes: int | None) -> Self:
        self = _new(cls._building)
        self.text = text
        self.minutes = minutes
        self.__class__ = cls
        return self


class ParagraphKind(StrEnum):
    LEAD = "lead"
    BODY = "body"
    SUBHEADING = "subheading"


class Link(Value):
    """A link in a feed article's text, kept as data: `text` is what the paragraph shows."""

    __slots__ = ("href", "text")

    text: str
    href: str

    def __new__(cls, text: str, href: str) -> Self:
        self = _new(cls._building)
        self.text = text
        self.href = href
        self.__class__ = cls
        return self


class Paragraph(Value):
    """One paragraph of an article; `text` starts after the dateline, if any."""

    __slots__ = ("dateline", "file", "kind", "line", "links", "text")

    kind: ParagraphKind
    text: str
    file: str
    line: int  # 0 for a feed article's paragraph: it has no line in a file
    dateline: Dateline | None
    links: tuple[Link, ...]

    def __new__(
        cls,
        kind: ParagraphKind,
        text: str,
        file: str,
        line: int,
        dateline: Dateline | None = None,
        links: tuple[Link, ...] = (),
    ) -> Paragraph:
        self = _new(cls._building)
        self.kind = kind
        self.text = text
        self.file = file
        self.line = line
        self.dateline = dateline
        self.links = links
        self.__class__ = cls
        return self


class Article(Value):
    """An article: from a page file (headline, lead, body and subheadings) or a feed item.

    A feed article's `file` is its link (else its feed's address) and `line` is 0; its
    `source` is the name its feed shows as (unique among the feeds, see feeds.subscriptions).
    """

    __slots__ = (
        "cut",
        "dated_ahead",
        "feed",
        "fetched",
        "file",
        "guid",
        "line",
        "link",
        "paragraphs",
        "published",
        "source",
        "title",
    )

    title: str
    file: str
    line: int  # the title's line
    paragraphs: tuple[Paragraph, ...]
    source: str | None  # the feed's channel title; None for a page file
    link: str | None  # the publisher's page for the article
    published: datetime | None  # timezone-aware
    guid: str | None  # the feed item's identity in the store
    # Not all of the article: a summary its publisher cut short, or an item cut for size (the
    # full text is at `link`); for a page file, a page that ends inside its last paragraph.
    cut: bool
    feed: str | None  # the address of the feed it came from: a feed's identity
    fetched: datetime | None  # when a feed article was first stored
    # The date its feed gave when that was in the future when fetched: `published` is then
    # when it was fetched, so that it does not sit on top of the list.
    dated_ahead: datetime | None

    def __init__(
        self,
        title: str,
        file: str,
        line: int,
        paragraphs: tuple[Paragraph, ...],
        source: str | None = None,
        link: str | None = None,
        published: datetime | None = None,
        guid: str | None = None,
        cut: bool = False,
        feed: str | None = None,
        fetched: datetime | None = None,
        dated_ahead: datetime | None = None,
    ) -> None:
        # Made by __init__, which FeedRow extends: the instance becomes its twin to have its
        # fields set (as __new__ makes the other values), then again what it was.
        cls = self.__class__
        _set(self, "__class__", cls._building)
        self.title = title
        self.file = file
        self.line = line
        self.paragraphs = paragraphs
        self.source = source
        self.link = link
        self.published = published
        self.guid = guid
        self.cut = cut
        self.feed = feed
        self.fetched = fetched
        self.dated_ahead = dated_ahead
        self.__class__ = cls

    @property
    def sort_time(self) -> datetime | None:
        """Where a feed article goes in newest-first order, as the store orders it: when it was
        published, else (undated) when it was first fetched. None for a page file's article."""
        return self.published or self.fetched

    @property
    def dateline(self) -> Dateline | None:
        """The lead's dateline: where the story was filed and by which agencies."""
        return self.paragraphs[0].dateline if self.paragraphs else None


class TickerItem(Value):
    """One short item of a page's ticker ("Meer uit Buitenland") as it stands in one file.

    `dateline` is None only for a ticker line the parser could not read as an item; it is kept
    as text so nothing is lost. `cut` marks an item the page ends inside (a scraper cut it):
    a fragment, not a story.
    """

    __slots__ = ("age", "age_line", "cut", "dateline", "file", "line", "text")

    dateline: Dateline | None
    text: str
    file: str
    line: int
    age: Age | None
    age_line: int | None  # the age is glued to the start of the next line
    cut: bool

    def __new__(
        cls,
        dateline: Dateline | None,
        text: str,
        file: str,
        line: int,
        age: Age | None = None,
        age_line: int | None = None,
        cut: bool = False,
    ) -> Self:
        self = _new(cls._building)
        self.dateline = dateline
        self.text = text
        self.file = file
        self.line = line
        self.age = age
        self.age_line = age_line
        self.cut = cut
        self.__class__ = cls
        return self


class Page(Value):
    """Everything one page file holds."""

    __slots__ = ("article", "diagnostics", "file", "section", "section_line", "ticker")

    file: str
    article: Article | None
    section: str | None  # "Buitenland" from "Meer uit Buitenland"
    section_line: int | None
    ticker: tuple[TickerItem, ...]
    diagnostics: tuple[Diagnostic, ...]

    def __new__(
        cls,
        file: str,
        article: Article | None,
        section: str | None,
        section_line: int | None,
        ticker: tuple[TickerItem, ...],
        diagnostics: tuple[Diagnostic, ...] = (),
    ) -> Page:
        self = _new(cls._building)
        self.file = file
        self.article = article
        self.section = section
        self.section_line = section_line
        self.ticker = ticker
        self.diagnostics = diagnostics
        self.__class__ = cls
        return self


class Sighting(Value):
    """One file a de-duplicated ticker item was seen in, with the age it had there."""

    __slots__ = ("age", "file", "line")

    file: str
    line: int
    age: Age | None

    def __new__(cls, file: str, line: int, age: Age | None) -> Self:
        self = _new(cls._building)
        self.file = file
        self.line = line
        self.age = age
        self.__class__ = cls
        return self


class CorpusTickerItem(Value):
    """A ticker item de-duplicated over the corpus (same place and text); a cut-off fragment
    (`cut`) is never merged: it stands alone with its one sighting."""

    __slots__ = ("cut", "dateline", "section", "sightings", "text")

    dateline: Dateline | None
    text: str
    section: str | None
    sightings: tuple[Sighting, ...]
    cut: bool

    def __new__(
        cls,
        dateline: Dateline | None,
        text: str,
        section: str | None,
        sightings: tuple[Sighting, ...],
        cut: bool = False,
    ) -> Self:
        self = _new(cls._building)
        self.dateline = dateline
        self.text = text
        self.section = section
        self.sightings = sightings
        self.cut = cut
        self.__class__ = cls
        return self

    @property
    def first(self) -> Sighting:
        return self.sightings[0]

    @property
    def age(self) -> Age | None:
        """The age at first sighting, in file-name order."""
        return self.sightings[0].age


class Corpus(Value):
    """Articles in file-name order; ticker items in order of first sighting."""

    __slots__ = ("articles", "diagnostics", "files_read", "ticker")

    articles: tuple[Article, ...]
    ticker: tuple[CorpusTickerItem, ...]
    diagnostics: tuple[Diagnostic, ...]
    files_read: int

    def __new__(
        cls,
        articles: tuple[Article, ...] = (),
        ticker: tuple[CorpusTickerItem, ...] = (),
        diagnostics: tuple[Diagnostic, ...] = (),
        files_read: int = 0,
    ) -> Corpus:
        self = _new(cls._building)
        self.articles = articles
        self.ticker = ticker
        self.diagnostics = diagnostics
        self.files_read = files_read
        self.__class__ = cls
        return self

    @property
    def is_empty(self) -> bool:
        return not self.articles and not self.ticker


class SpanKind(StrEnum):
    NUMBER = "number"
    SOURCE = "source"


class Span(Value):
    """A highlighted stretch of a paragraph: `text[start:end]` in Python string offsets.

    For a number, `label` is its normalised value ("10000", "3.5 %", "4 november" -> "11-04");
    for a source, the cue that attributes it ("volgens", "aldus", "zei", "dateline").
    """

    __slots__ = ("end", "kind", "label", "start")

    start: int
    end: int
    kind: SpanKind
    label: str

    def __new__(cls, start: int, end: int, kind: SpanKind, label: str) -> Self:
        self = _new(cls._building)
        self.start = start
        self.end = end
        self.kind = kind
        self.label = label
        self.__class__ = cls
        return self
