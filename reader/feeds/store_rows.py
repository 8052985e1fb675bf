"""The feed store's rows as values: blocks of text to and from their compact JSON, the rows
of an article query as Articles (the hot path of start-up), and a feed's state.

A block of text is stored as a compact JSON array, `[kind, text]` or `[kind, text, links]`
with links as `[text, href]` pairs, so reading 100,000 items is one query and one json.loads
per row.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from reader.feeds.items import Block, FeedItem, feed_article
from reader.model import Article, Link, ParagraphKind

SELECT_ARTICLES = (
    "SELECT guid, feed_url, source, title, link, published, blocks_json, cut, fetched,"
    " dated_ahead, coalesce(published, fetched), rowid FROM items"
)
# Newest first; rowid breaks ties so that paging by (time, rowid) is exact.
NEWEST_FIRST = " ORDER BY coalesce(published, fetched) DESC, rowid DESC"

ArticleRow = tuple[
    str, str, str, str, str | None, float | None, str, int, float, float | None, float, int
]

FEED_COLUMNS = "url, title, etag, last_modified, last_fetched, last_error, kept_days"

_KINDS = {kind.value: kind for kind in ParagraphKind}


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the last fetch of a feed left behind, for the next conditional GET and the UI."""

    url: str
    title: str | None  # the channel title
    etag: str | None
    last_modified: str | None  # the Last-Modified header as the server sent it
    last_fetched: datetime | None  # the last attempt, successful or not
    last_error: str | None  # why the last attempt failed; None when it succeeded
    # The retention period (keep_days) under which the store holds all of the version of the
    # feed the validators name; None: not known, so they are not used.
    kept_days: int | None = None


def feed_state(row: Sequence[Any]) -> FeedState:
    """A row of FEED_COLUMNS as a FeedState."""
    url, title, etag, last_modified, last_fetched, last_error, kept_days = row
    return FeedState(url, title, etag, last_modified, utc(last_fetched), last_error, kept_days)


def encode_blocks(blocks: Sequence[Block]) -> str:
    encoded = [
        [block.kind.value, block.text, [[link.text, link.href] for link in block.links]]
        if block.links
        else [block.kind.value, block.text]
        for block in blocks
    ]
    return json.dumps(encoded, ensure_ascii=False, separators=(",", ":"))


def _decode(blocks_json: str) -> tuple[Block, ...]:
    kinds = _KINDS
    return tuple(
        [
            Block(kinds[block[0]], block[1], tuple([Link(*link) for link in block[2]]))
            if len(block) > 2
            else Block(kinds[block[0]], block[1])
            for block in json.loads(blocks_json)
        ]
    )


def utc(timestamp: float | None) -> datetime | None:
    return None if timestamp is None else datetime.fromtimestamp(timestamp, UTC)


def row_articles(rows: Sequence[ArticleRow], names: Mapping[str, str]) -> list[Article]:
    """The rows of SELECT_ARTICLES as Articles, each under its feed's name in `names`."""
    # The hot path of start-up: one pass, locals bound once, no per-row function lookups; the
    # items of one refresh share their fetch time, so each is made into a datetime once.
    decode, make_item, to_article, from_timestamp = (
        _decode,
        FeedItem,
        feed_article,
        datetime.fromtimestamp,
    )
    fetch_times: dict[float, datetime] = {}
    articles = []
    for row in rows:
        guid, feed_url, source, title, link, published, blocks_json, cut, fetched, ahead, _, _ = row
        fetched_at = fetch_times.get(fetched)
        if fetched_at is None:
            fetched_at = fetch_times[fetched] = from_timestamp(fetched, UTC)
        if published is not None:
            date = from_timestamp(published, UTC)
        else:
            date = None if ahead is None else fetched_at  # a future date counts from its fetch
        item = make_item(guid, title, link, date, decode(blocks_json), bool(cut))
        articles.append(
            to_article(
                item,
                names.get(feed_url, source),
                feed_url,
                fetched_at,
                None if ahead is None else from_timestamp(ahead, UTC),
            )
        )
    return articles


def readable_articles(
    rows: Sequence[ArticleRow], names: Mapping[str, str]
) -> tuple[list[Article], int]:
    """row_articles of rows read from a damaged store, where a row may hold anything: those
    that make articles, and how many did not."""
    typed = [row for row in rows if _well_typed(row)]
    try:
        made = row_articles(typed, names)
    except _GARBLED:  # one row or more: each on its own, to keep the others
        made = []
        for row in typed:
            try:
                made += row_articles([row], names)
            except _GARBLED:
                continue
    articles = [
        article
        for article in made
        if all(_is_text(paragraph.text, *paragraph.links) for paragraph in article.paragraphs)
    ]
    return articles, len(rows) - len(articles)


# What a row of garbage raises on its way to an article: bad JSON, kinds, types, dates.
_GARBLED = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError)
_ROW_TYPES = (str, str, str, str, (str, type(None)), (float, int, type(None)), str, int,
              (float, int), (float, int, type(None)), (float, int), int)  # fmt: skip


def _well_typed(row: Sequence[object]) -> bool:
    return len(row) == len(_ROW_TYPES) and all(
        isinstance(value, kind) for value, kind in zip(row, _ROW_TYPES, strict=True)
    )


def _is_text(text: object, *links: object) -> bool:
    return isinstance(text, str) and all(
        isinstance(link, Link) and isinstance(link.text, str) and isinstance(link.href, str)
        for link in links
    )
