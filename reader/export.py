"""Corpus -> JSON Lines: one object per article and per ticker item (schema in the README)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from reader.model import Age, Article, Corpus, CorpusTickerItem, Dateline

SCHEMA_VERSION = 1


def _dateline_fields(dateline: Dateline | None) -> dict[str, Any]:
    if dateline is None:
        return {"place": None, "agencies": []}
    return {"place": dateline.place, "agencies": list(dateline.agencies)}


def _age_fields(age: Age | None) -> dict[str, Any]:
    return {"age": age.text if age else None, "age_minutes": age.minutes if age else None}


def article_record(article: Article) -> dict[str, Any]:
    return {
        "type": "article",
        "file": article.file,
        "line": article.line,
        "title": article.title,
        **_dateline_fields(article.dateline),
        "paragraphs": [
            {
                "kind": paragraph.kind.value,
                "text": paragraph.text,
                "line": paragraph.line,
                **_dateline_fields(paragraph.dateline),
            }
            for paragraph in article.paragraphs
        ],
    }


def ticker_record(item: CorpusTickerItem) -> dict[str, Any]:
    return {
        "type": "ticker",
        **_dateline_fields(item.dateline),
        "text": item.text,
        "section": item.section,
        **_age_fields(item.age),
        "file": item.first.file,
        "line": item.first.line,
        "sightings": [
            {"file": sighting.file, "line": sighting.line, **_age_fields(sighting.age)}
            for sighting in item.sightings
        ],
    }


def corpus_records(corpus: Corpus) -> Iterator[dict[str, Any]]:
    """Articles in file-name order, then ticker items in order of first sighting."""
    for article in corpus.articles:
        yield article_record(article)
    for item in corpus.ticker:
        yield ticker_record(item)


def json_lines(corpus: Corpus) -> Iterator[str]:
    for record in corpus_records(corpus):
        yield json.dumps(record, ensure_ascii=False) + "\n"
