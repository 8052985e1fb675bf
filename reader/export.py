"""Corpus -> JSON Lines: one object per article and per ticker item (schema in the README).

A feed article is an article with more fields (`source`, `link`, `published`, `guid`, `cut`,
and `links` on each paragraph); a page article's record has `"cut": true` only when the page
ends inside it (a ticker item's the same). Every record says what the library holds of it:
`read`, `starred` and `first_seen` (export_state.py reads them).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from json.encoder import encode_basestring as _json_string  # json.dumps' own, in C
from typing import TYPE_CHECKING, Any

from reader.export_state import NO_STATE, CorpusState, ItemState
from reader.model import Age, Article, Corpus, CorpusTickerItem, Dateline, Paragraph, ParagraphKind
from reader.text import escape_json_unsafe, json_text

if TYPE_CHECKING:  # the results' module is imported when there are translations to write
    from reader.translate.result import TranslationResult

Translations = Mapping[str, "TranslationResult"]
"""English for each text (by the text itself), when `export --translate` asked for it."""

SCHEMA_VERSION = 1


def _dateline_fields(dateline: Dateline | None) -> dict[str, Any]:
    if dateline is None:
        return {"place": None, "agencies": []}
    return {"place": dateline.place, "agencies": list(dateline.agencies)}


def _age_fields(age: Age | None) -> dict[str, Any]:
    return {"age": age.text if age else None, "age_minutes": age.minutes if age else None}


def _english(text: str, translations: Translations | None, prefix: str = "") -> dict[str, Any]:
    """`english` (or `{prefix}english`) and, when there is none, why: `translation_error`."""
    if translations is None:
        return {}
    from reader.translate.result import Failed, NotDutch, Translated

    result = translations.get(text)
    english, error = None, None
    if isinstance(result, Translated):
        english = result.text
    elif isinstance(result, NotDutch):
        english, error = text, f"not Dutch ({result.language}); not translated"
    elif isinstance(result, Failed):
        error = result.reason
    return {f"{prefix}english": english, f"{prefix}translation_error": error}


def _state_fields(state: ItemState) -> dict[str, Any]:
    """What the library holds of the item: read, starred, first seen (ISO 8601, UTC)."""
    return {"read": state.read, "starred": state.starred, "first_seen": state.first_seen}


def article_record(
    article: Article, translations: Translations | None = None, state: ItemState = NO_STATE
) -> dict[str, Any]:
    is_feed_article = article.source is not None
    return {
        "type": "article",
        "file": article.file,
        "line": article.line,
        "title": article.title,
        **_english(article.title, translations, "title_"),
        **_dateline_fields(article.dateline),
        **(_feed_fields(article) if is_feed_article else _cut_field(article.cut)),
        **_state_fields(state),
        "paragraphs": [
            {
                "kind": paragraph.kind.value,
                "text": paragraph.text,
                **_english(paragraph.text, translations),
                "line": paragraph.line,
                **_dateline_fields(paragraph.dateline),
                **(_links_field(paragraph) if is_feed_article else {}),
            }
            for paragraph in article.paragraphs
        ],
    }


def _feed_fields(article: Article) -> dict[str, Any]:
    """Where a feed article comes from; `published` in ISO 8601 with its offset (UTC)."""
    return {
        "source": article.source,
        "link": article.link,
        "published": article.published.isoformat() if article.published else None,
        "guid": article.guid,
        "cut": article.cut,
    }


def _cut_field(cut: bool) -> dict[str, Any]:
    """`"cut": true` on a page's record that the page ends inside; nothing on a whole one."""
    return {"cut": True} if cut else {}


def _links_field(paragraph: Paragraph) -> dict[str, Any]:
    return {"links": [{"text": link.text, "href": link.href} for link in paragraph.links]}


def ticker_record(
    item: CorpusTickerItem, translations: Translations | None = None, state: ItemState = NO_STATE
) -> dict[str, Any]:
    return {
        "type": "ticker",
        **_dateline_fields(item.dateline),
        "text": item.text,
        **_english(item.text, translations),
        "section": item.section,
        **_age_fields(item.age),
        "file": item.first.file,
        "line": item.first.line,
        **_state_fields(state),
        "sightings": [
            {"file": sighting.file, "line": sighting.line, **_age_fields(sighting.age)}
            for sighting in item.sightings
        ],
        **_cut_field(item.cut),
    }


def corpus_records(
    corpus: Corpus, translations: Translations | None = None, states: CorpusState | None = None
) -> Iterator[dict[str, Any]]:
    """Articles in file-name order, then ticker items in order of first sighting; each with
    its state in `states` (default: none held)."""
    states = states or CorpusState.alike(corpus, NO_STATE)
    for article, state in zip(corpus.articles, states.articles, strict=True):
        yield article_record(article, translations, state)
    for item, state in zip(corpus.ticker, states.ticker, strict=True):
        yield ticker_record(item, translations, state)


def texts_to_translate(corpus: Corpus) -> list[str]:
    """Every title, paragraph and ticker text of the corpus, once each, in reading order."""
    texts = [t for a in corpus.articles for t in (a.title, *(p.text for p in a.paragraphs))]
    texts += [item.text for item in corpus.ticker]
    return list(dict.fromkeys(texts))


def json_lines(
    corpus: Corpus, translations: Translations | None = None, states: CorpusState | None = None
) -> Iterator[str]:
    """One line of JSON per record, each with its state in `states` (default: none held);
    what steers a terminal (C1, bidi controls) and what UTF-8 cannot carry (a file name's
    bytes that are not UTF-8) written as `\\u` escapes."""
    if translations is not None:
        for record in corpus_records(corpus, translations, states):
            yield json_line(record)
        return
    # Without translations, a page's records are written straight from the model: building
    # each record's dicts and walking them again to encode took a third of an export.
    states = states or CorpusState.alike(corpus, NO_STATE)
    files, state_json = _Quoted(), _StateJson()
    for article, state in zip(corpus.articles, states.articles, strict=True):
        if article.source is None:
            written = _NO_STATE_JSON if state is NO_STATE else state_json[state]
            yield escape_json_unsafe(_page_article_json(article, files, written)) + "\n"
        else:
            yield json_line(article_record(article, None, state))
    for item, state in zip(corpus.ticker, states.ticker, strict=True):
        written = _NO_STATE_JSON if state is NO_STATE else state_json[state]
        yield escape_json_unsafe(_ticker_json(item, files, written)) + "\n"


# The fast writers below write exactly what json_line(article_record(...)) and
# json_line(ticker_record(...)) write for a page's records (tests/test_export_speed.py holds
# them to it): the same keys in the same order, json.dumps' separators and string escapes.


_CUT_JSON = '"cut": true'  # only on a record the page ends inside, as _cut_field
# A paragraph's record up to its text: the kind asked of the enum once, not per paragraph.
_PARAGRAPH_JSON = {kind: f'{{"kind": "{kind.value}", "text": ' for kind in ParagraphKind}
_NO_DATELINE_JSON = '"place": null, "agencies": []'
_NO_AGE_JSON = '"age": null, "age_minutes": null'


class _Quoted(dict[str, str]):
    """Strings as JSON, each encoded once: a page's file name is written with its article and
    again with every ticker item seen on it."""

    def __missing__(self, text: str) -> str:
        quoted = self[text] = _json_string(text)
        return quoted


class _StateJson(dict[ItemState, str]):
    """Each state's fields as JSON, written once: most records share a few states."""

    def __missing__(self, state: ItemState) -> str:
        read, starred = _JSON_FLAG[state.read], _JSON_FLAG[state.starred]
        written = self[state] = (
            f'"read": {read}, "starred": {starred}, "first_seen": {_json_or_null(state.first_seen)}'
        )
        return written


_JSON_FLAG = {True: "true", False: "false", None: "null"}


def _json_or_null(text: str | None) -> str:
    return "null" if text is None else _json_string(text)


_NO_STATE_JSON = _StateJson()[NO_STATE]  # most records', without a library: written as is


# A corpus repeats a few hundred datelines and a few dozen ages: each is encoded once (by its
# fields, which hash faster than the value holding them).


def _dateline_json(dateline: Dateline | None) -> str:
    if dateline is None:
        return _NO_DATELINE_JSON
    return _known_dateline_json(dateline.place, dateline.agencies)


@lru_cache(maxsize=1024)
def _known_dateline_json(place: str, agencies: tuple[str, ...]) -> str:
    listed = ", ".join(map(_json_string, agencies))
    return f'"place": {_json_string(place)}, "agencies": [{listed}]'


def _age_json(age: Age | None) -> str:
    return _NO_AGE_JSON if age is None else _known_age_json(age.text, age.minutes)


@lru_cache(maxsize=1024)
def _known_age_json(text: str, minutes: int | None) -> str:
    return f'"age": {_json_string(text)}, "age_minutes": {"null" if minutes is None else minutes}'


def _page_article_json(article: Article, files: _Quoted, state: str) -> str:
    paragraphs = ", ".join(
        [
            f"{_PARAGRAPH_JSON[paragraph.kind]}{_json_string(paragraph.text)}, "
            f'"line": {paragraph.line}, {_dateline_json(paragraph.dateline)}}}'
            for paragraph in article.paragraphs
        ]
    )
    return (
        f'{{"type": "article", "file": {files[article.file]}, '
        f'"line": {article.line}, "title": {_json_string(article.title)}, '
        f"{_dateline_json(article.dateline)}, {_CUT_JSON + ', ' if article.cut else ''}"
        f'{state}, "paragraphs": [{paragraphs}]}}'
    )


def _ticker_json(item: CorpusTickerItem, files: _Quoted, state: str) -> str:
    first = item.first
    sightings = ", ".join(
        [
            f'{{"file": {files[sighting.file]}, "line": {sighting.line}, '
            f"{_age_json(sighting.age)}}}"
            for sighting in item.sightings
        ]
    )
    return (
        f'{{"type": "ticker", {_dateline_json(item.dateline)}, '
        f'"text": {_json_string(item.text)}, "section": {_json_or_null(item.section)}, '
        f'{_age_json(first.age)}, "file": {files[first.file]}, '
        f'"line": {first.line}, {state}, "sightings": [{sightings}]'
        f"{', ' + _CUT_JSON if item.cut else ''}}}"
    )


def json_line(record: Mapping[str, Any]) -> str:
    """A record as one line of JSON Lines, as `export` and `annotate` write them."""
    return json_text(record) + "\n"
