"""Corpus -> JSON Lines: one object per article and per ticker item (schema in the README).

A feed article is an article with more fields (`source`, `link`, `published`, `guid`, `cut`,
and `links` on each paragraph); a page article's record has exactly the fields it always had,
and `"cut": true` only when the page ends inside it (a ticker item's the same).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from json.encoder import encode_basestring as _json_string  # json.dumps' own, in C
from typing import Any

from reader.model import Age, Article, Corpus, CorpusTickerItem, Dateline, Paragraph, Sighting
from reader.text import escape_json_unsafe, json_text
from reader.translate.result import Failed, NotDutch, Translated, TranslationResult

Translations = Mapping[str, TranslationResult]
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
    result = translations.get(text)
    english, error = None, None
    if isinstance(result, Translated):
        english = result.text
    elif isinstance(result, NotDutch):
        english, error = text, f"not Dutch ({result.language}); not translated"
    elif isinstance(result, Failed):
        error = result.reason
    return {f"{prefix}english": english, f"{prefix}translation_error": error}


def article_record(article: Article, translations: Translations | None = None) -> dict[str, Any]:
    is_feed_article = article.source is not None
    return {
        "type": "article",
        "file": article.file,
        "line": article.line,
        "title": article.title,
        **_english(article.title, translations, "title_"),
        **_dateline_fields(article.dateline),
        **(_feed_fields(article) if is_feed_article else _cut_field(article.cut)),
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
    item: CorpusTickerItem, translations: Translations | None = None
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
        "sightings": [
            {"file": sighting.file, "line": sighting.line, **_age_fields(sighting.age)}
            for sighting in item.sightings
        ],
        **_cut_field(item.cut),
    }


def corpus_records(
    corpus: Corpus, translations: Translations | None = None
) -> Iterator[dict[str, Any]]:
    """Articles in file-name order, then ticker items in order of first sighting."""
    for article in corpus.articles:
        yield article_record(article, translations)
    for item in corpus.ticker:
        yield ticker_record(item, translations)


def texts_to_translate(corpus: Corpus) -> list[str]:
    """Every title, paragraph and ticker text of the corpus, once each, in reading order."""
    texts = [t for a in corpus.articles for t in (a.title, *(p.text for p in a.paragraphs))]
    texts += [item.text for item in corpus.ticker]
    return list(dict.fromkeys(texts))


def json_lines(corpus: Corpus, translations: Translations | None = None) -> Iterator[str]:
    """One line of JSON per record; what steers a terminal (C1, bidi controls) and what UTF-8
    cannot carry (a file name's bytes that are not UTF-8) written as `\\u` escapes."""
    if translations is not None:
        for record in corpus_records(corpus, translations):
            yield json_line(record)
        return
    # Without translations, a page's records are written straight from the model: building
    # each record's dicts and walking them again to encode took a third of an export.
    for article in corpus.articles:
        if article.source is None:
            yield escape_json_unsafe(_page_article_json(article)) + "\n"
        else:
            yield json_line(article_record(article))
    for item in corpus.ticker:
        yield escape_json_unsafe(_ticker_json(item)) + "\n"


# The fast writers below write exactly what json_line(article_record(...)) and
# json_line(ticker_record(...)) write for a page's records (tests/test_export_speed.py holds
# them to it): the same keys in the same order, json.dumps' separators and string escapes.


_CUT_JSON = '"cut": true'  # only on a record the page ends inside, as _cut_field


def _json_or_null(text: str | None) -> str:
    return "null" if text is None else _json_string(text)


def _dateline_json(dateline: Dateline | None) -> str:
    if dateline is None:
        return '"place": null, "agencies": []'
    agencies = ", ".join(map(_json_string, dateline.agencies))
    return f'"place": {_json_string(dateline.place)}, "agencies": [{agencies}]'


def _age_json(age: Age | None) -> str:
    if age is None:
        return '"age": null, "age_minutes": null'
    minutes = "null" if age.minutes is None else age.minutes
    return f'"age": {_json_string(age.text)}, "age_minutes": {minutes}'


def _page_article_json(article: Article) -> str:
    paragraphs = ", ".join(
        f'{{"kind": "{paragraph.kind.value}", "text": {_json_string(paragraph.text)}, '
        f'"line": {paragraph.line}, {_dateline_json(paragraph.dateline)}}}'
        for paragraph in article.paragraphs
    )
    return (
        f'{{"type": "article", "file": {_json_string(article.file)}, '
        f'"line": {article.line}, "title": {_json_string(article.title)}, '
        f"{_dateline_json(article.dateline)}, {_CUT_JSON + ', ' if article.cut else ''}"
        f'"paragraphs": [{paragraphs}]}}'
    )


def _sighting_json(sighting: Sighting) -> str:
    return (
        f'{{"file": {_json_string(sighting.file)}, "line": {sighting.line}, '
        f"{_age_json(sighting.age)}}}"
    )


def _ticker_json(item: CorpusTickerItem) -> str:
    first = item.first
    return (
        f'{{"type": "ticker", {_dateline_json(item.dateline)}, '
        f'"text": {_json_string(item.text)}, "section": {_json_or_null(item.section)}, '
        f'{_age_json(first.age)}, "file": {_json_string(first.file)}, '
        f'"line": {first.line}, '
        f'"sightings": [{", ".join(map(_sighting_json, item.sightings))}]'
        f"{', ' + _CUT_JSON if item.cut else ''}}}"
    )


def json_line(record: Mapping[str, Any]) -> str:
    """A record as one line of JSON Lines, as `export` and `annotate` write them."""
    return json_text(record) + "\n"
