"""The model's classes are values: frozen, equal and hashed by value, copied by
dataclasses.replace, pickled; and importing them generates no code (#14: the first frame)."""

from __future__ import annotations

import dataclasses
import pickle
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from reader.model import (
    Age,
    Article,
    Corpus,
    CorpusTickerItem,
    Dateline,
    Diagnostic,
    Link,
    Page,
    Paragraph,
    ParagraphKind,
    Severity,
    Sighting,
    Span,
    SpanKind,
    TickerItem,
)

DATELINE = Dateline("KYIV", ("ANP", "AFP"))
PARAGRAPH = Paragraph(ParagraphKind.LEAD, "Tekst.", "a.txt", 3, DATELINE, (Link("hier", "h"),))
ARTICLE = Article(
    "Kop",
    "a.txt",
    1,
    (PARAGRAPH,),
    published=datetime(2024, 11, 12, tzinfo=UTC),
    cut=True,
)
ITEM = TickerItem(DATELINE, "Kort.", "a.txt", 9, Age("21 minuten geleden", 21), 10)
SIGHTING = Sighting("a.txt", 9, Age("21 minuten geleden", 21))
VALUES = [
    Diagnostic("a.txt", 2, "cut short", Severity.ERROR),
    DATELINE,
    Age("14:02", None),
    Link("hier", "https://nos.nl/"),
    PARAGRAPH,
    ARTICLE,
    ITEM,
    Page("a.txt", ARTICLE, "Buitenland", 8, (ITEM,)),
    SIGHTING,
    CorpusTickerItem(DATELINE, "Kort.", "Buitenland", (SIGHTING,)),
    Corpus((ARTICLE,), files_read=1),
    Span(0, 4, SpanKind.NUMBER, "3000"),
]


def _copy(value: object) -> object:
    """The same value, built again field by field: equal, but not the same object."""
    names = [field.name for field in dataclasses.fields(value)]  # type: ignore[arg-type]
    return type(value)(**{name: getattr(value, name) for name in names})


@pytest.mark.parametrize("value", VALUES, ids=lambda value: type(value).__name__)
def test_a_value_is_equal_and_hashed_by_its_fields(value: object) -> None:
    copy = _copy(value)
    assert copy is not value
    assert copy == value
    assert (copy != value) is False  # __ne__ too
    assert hash(copy) == hash(value)
    assert len({value, copy}) == 1
    assert value != ("not", "a", "model", "value")


@pytest.mark.parametrize("value", VALUES, ids=lambda value: type(value).__name__)
def test_a_value_cannot_be_changed(value: object) -> None:
    name = dataclasses.fields(value)[0].name  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, name, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(value, name)


@pytest.mark.parametrize("value", VALUES, ids=lambda value: type(value).__name__)
def test_a_value_survives_pickling(value: object) -> None:
    assert pickle.loads(pickle.dumps(value)) == value


def test_values_differ_by_any_field() -> None:
    assert dataclasses.replace(ARTICLE, cut=False) != ARTICLE
    assert dataclasses.replace(ARTICLE, title="Andere kop") != ARTICLE
    assert Dateline("KYIV", ("ANP",)) != DATELINE
    assert Span(0, 4, SpanKind.NUMBER, "3000") != Span(0, 4, SpanKind.SOURCE, "3000")


def test_replace_keeps_the_other_fields_and_the_defaults() -> None:
    changed = dataclasses.replace(ARTICLE, source="NOS")
    assert changed.source == "NOS"
    assert changed.paragraphs == ARTICLE.paragraphs
    assert changed.published == ARTICLE.published
    assert changed.cut is True
    assert changed.guid is None
    assert [field.name for field in dataclasses.fields(Diagnostic)] == [
        "file",
        "line",
        "message",
        "severity",
    ]
    assert Diagnostic("a.txt", 0, "x").severity is Severity.WARNING
    assert Corpus().articles == () and Corpus().files_read == 0


def test_a_value_shows_as_a_dataclass_does() -> None:
    assert repr(Dateline("KYIV", ("ANP",))) == "Dateline(place='KYIV', agencies=('ANP',))"
    assert repr(Age("14:02", None)) == "Age(text='14:02', minutes=None)"
    assert str(Diagnostic("a.txt", 2, "x\x1b")) == "a.txt:2: warning: x\\x1b"
    assert ARTICLE.dateline == DATELINE
    assert Corpus().is_empty


_IMPORT_WATCHED = """
import sys, dataclasses, datetime, enum, reader.text

generated = []


def watch(event, args):
    if event == "compile" and args[1] == "<string>":
        generated.append(args[1])


sys.addaudithook(watch)
import reader.model
print(len(generated))
"""


def test_importing_the_model_generates_no_code() -> None:
    """@dataclass compiled ~70 methods from source at each start: ~6 ms of the reader's
    ~40 ms over a bare Textual app before its first frame (#14). They are written out."""
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_WATCHED], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "0", result.stderr


class _Row(Article):
    """An Article with a field of its own, as the feed store's list rows are."""

    __slots__ = ("count",)

    count: int

    def __init__(self, title: str, file: str, line: int, count: int = 0) -> None:
        super().__init__(title, file, line, ())
        object.__setattr__(self, "count", count)


def test_a_subclass_has_the_fields_it_extends_and_its_own() -> None:
    row = _Row("Kop", "a.txt", 1, count=3)
    names = [field.name for field in dataclasses.fields(row)]
    assert names[:4] == ["title", "file", "line", "paragraphs"] and names[-1] == "count"
    assert row == _Row("Kop", "a.txt", 1, count=3) != _Row("Kop", "a.txt", 1, count=4)
    assert hash(row) == hash(_Row("Kop", "a.txt", 1, count=3))
    assert row != Article("Kop", "a.txt", 1, ())
    assert repr(row).startswith("_Row(title='Kop'") and repr(row).endswith("count=3)")
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.count = 4  # type: ignore[misc]


@pytest.mark.parametrize("value", VALUES, ids=lambda value: type(value).__name__)
def test_a_value_is_of_its_own_class(value: object) -> None:
    """Made as an instance of a twin whose fields can be set, it ends as its class's own."""
    cls = type(value)
    assert cls.__name__ == cls.__qualname__ and cls.__module__ == "reader.model"
    assert type(_copy(value)) is cls and type(pickle.loads(pickle.dumps(value))) is cls
    assert type(_Row("Kop", "a.txt", 1)) is _Row


_FIRST_FRAME_WATCHED = """
import sys

made_by = set()


def watch(event, args):
    if event == "compile" and args[1] == "<string>":
        frame = sys._getframe(1)
        while frame is not None and not frame.f_globals.get("__name__", "").startswith("reader"):
            frame = frame.f_back
        if frame is not None:
            made_by.add(frame.f_globals["__name__"])


sys.addaudithook(watch)
import reader.ui.app
print(" ".join(sorted(made_by)))
"""

# Modules on the way to the reader's first frame whose values were dataclasses (~0.4 ms each
# compiled at every start, #14): reader.model's Value makes them.
VALUE_MODULES = [
    "reader.browser",
    "reader.config",
    "reader.corpus",
    "reader.feeds.items",
    "reader.model",
    "reader.translate.config",
    "reader.translate.result",
    "reader.ui.reading_pane",
    "reader.ui.wrapping",
]


def test_the_first_frames_values_generate_no_code() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _FIRST_FRAME_WATCHED], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) & set(VALUE_MODULES) == set()
