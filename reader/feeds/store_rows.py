"""The feed store's rows as values: blocks of text to and from their compact JSON, the rows
of an article query as Articles (the hot path of start-up) or as the light rows the reader's
list holds (FeedRow, feed_row.py: no paragraphs), and a feed's state.

A block of text is stored as a compact JSON array, `[kind, text]` or `[kind, text, links]`
with links as `[text, href]` pairs, so reading 100,000 items is one query and one json.loads
per row.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from reader.feeds.feed_row import FeedRow
from reader.feeds.items import Block, FeedItem, feed_article
from reader.model import Article, Link, ParagraphKind
from reader.web_links import web_link

SELECT_ARTICLES = (
    "SELECT guid, feed_url, source, title, link, published, blocks_json, cut, fetched,"
    " dated_ahead, coalesce(published, fetched), rowid FROM items"
)
# Newest first; rowid breaks ties so that paging by (time, rowid) is exact.
NEWEST_FIRST = " ORDER BY coalesce(published, fetched) DESC, rowid DESC"

ArticleRow = tuple[
    str, str, str, str, str | None, float | None, str, int, float, float | None, float, int
]

# What a list row needs of an item, without its text: the paragraphs (blocks that are not
# subheadings) are counted by SQLite in the JSON, never decoded. A kind is the first string of
# its block, and a quote inside a text is escaped in JSON, so `["subheading"` is only ever a
# subheading's start. A text that is not JSON (damage, another program) counts none: one such
# row would otherwise fail the whole listing ("malformed JSON").
_SUBHEADING_OPENING = '["subheading"'
SELECT_ROWS = (
    "SELECT guid, feed_url, source, title, link, published,"
    " CASE WHEN json_valid(blocks_json) THEN json_array_length(blocks_json) - (length(blocks_json)"
    f" - length(replace(blocks_json, '{_SUBHEADING_OPENING}', ''))) / {len(_SUBHEADING_OPENING)}"
    " ELSE 0 END,"
    " cut, fetched, dated_ahead, changed, coalesce(published, fetched), rowid FROM items"
)
LightRow = tuple[
    str, str, str, str, str | None, float | None, int, int, float, float | None, float, float, int
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
    decode, make_item, to_article, times = _decode, FeedItem, feed_article, _times
    fetch_times: dict[float, datetime] = {}
    articles = []
    for row in rows:
        guid, feed_url, source, title, link, published, blocks_json, cut, fetched, ahead, _, _ = row
        fetched_at, date, ahead_at = times(fetch_times, fetched, published, ahead)
        item = make_item(guid, title, link, date, decode(blocks_json), bool(cut))
        source = names.get(feed_url, source)
        articles.append(to_article(item, source, feed_url, fetched_at, ahead_at))
    return articles


def _times(
    fetch_times: dict[float, datetime], fetched: float, published: float | None, ahead: float | None
) -> tuple[datetime, datetime | None, datetime | None]:
    """A row's fetch time, date and date ahead as datetimes; the items of one refresh share
    their fetch time, so each is made once (in `fetch_times`)."""
    fetched_at = fetch_times.get(fetched)
    if fetched_at is None:
        fetched_at = fetch_times[fetched] = datetime.fromtimestamp(fetched, UTC)
    if published is not None:
        date = datetime.fromtimestamp(published, UTC)
    else:
        date = None if ahead is None else fetched_at  # a future date counts from its fetch
    return fetched_at, date, None if ahead is None else datetime.fromtimestamp(ahead, UTC)


def feed_rows(rows: Sequence[LightRow], names: Mapping[str, str]) -> list[FeedRow]:
    """The rows of SELECT_ROWS as FeedRows, each under its feed's name in `names`.

    As lean as row_articles: 100,000 of them are what the reader holds of a large store. The
    feeds' addresses (and the names) are one string each, shared by their rows."""
    times, web = _times, web_link
    fetch_times: dict[float, datetime] = {}
    feeds: dict[str, str] = {}
    sources: dict[tuple[str, str], str] = {}
    made = []
    for row in rows:
        guid, feed_url, source, title, link, published, count, cut, fetched, ahead, changed = row[
            :11
        ]
        feed_url = feeds.setdefault(feed_url, feed_url)
        shown_as = sources.get((feed_url, source))
        if shown_as is None:
            shown_as = sources[(feed_url, source)] = names.get(feed_url, source)
        fetched_at, date, ahead_at = times(fetch_times, fetched, published, ahead)
        link = web(link)  # as feed_article makes it
        made.append(
            FeedRow(
                title,
                link or feed_url,
                0,
                (),
                shown_as,
                link,
                date,
                guid,
                bool(cut),
                feed_url,
                fetched_at,
                ahead_at,
                paragraph_count=count,
                changed=changed,
            )
        )
    return made


# SQLite takes up to 32,766 parameters; fewer make each query's list of guids quick to parse.
_GUIDS_PER_QUERY = 500


def by_guids(guids: Sequence[str]) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The queries (and their parameters) that read the items of `guids` in full."""
    for start in range(0, len(guids), _GUIDS_PER_QUERY):
        chunk = tuple(guids[start : start + _GUIDS_PER_QUERY])
        yield f"{SELECT_ARTICLES} WHERE guid IN ({','.join('?' * len(chunk))})", chunk


def in_order(guids: Sequence[str], articles: Sequence[Article]) -> list[Article]:
    """`articles` in the order of `guids`, those not among them left out."""
    by_guid = {article.guid: article for article in articles}
    return [by_guid[guid] for guid in guids if guid in by_guid]


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
