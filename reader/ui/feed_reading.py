"""The articles the reader shows kept up to date with what the store gained (merged), in its
workers; the articles in full of the light rows it lists (FullArticles, in_full); reading
the feeds themselves is reader/feeds/reading.py.

No Textual here: reader/ui/feeds.py runs these in its workers. The feed core is imported
inside the functions, so that the first frame does not wait for it.

The list holds a stored feed article as a FeedRow: its title, source, dates and paragraph
count, no text (100,000 articles in full took some 200 MB). What shows one in full reads it
from the store by its guid: the reading pane in the interface thread (a lookup by primary
key on a read-only connection of its own, well under a millisecond), through FullArticles,
which keeps the last few; `C` and the like in their workers (in_full).
"""

from __future__ import annotations

import heapq
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from reader.feeds.feed_row import FeedRow
from reader.model import Article

if TYPE_CHECKING:
    from reader.feeds.store import FeedStore

Item = TypeVar("Item")
FULL_ARTICLES_KEPT = 64  # the articles shown last, and the one laid out ahead


def merged(
    fresh: list[Article], shown: list[Article], oldest_kept: datetime, names: dict[str, str]
) -> tuple[list[Article], int]:
    """The articles `shown`, with those read again from the store (`fresh`, newest first:
    stored or changed since it was last read) in their place or added, and without those the
    store no longer keeps (older than `oldest_kept`); each under its feed's name now. Also:
    how many of `fresh` are new here."""
    fresh_guids = {article.guid for article in fresh}
    shown_guids = {article.guid for article in shown}
    kept = [
        _renamed(article, names)
        for article in shown
        if article.guid not in fresh_guids and (article.sort_time or oldest_kept) >= oldest_kept
    ]
    newest_first = heapq.merge(
        fresh, kept, key=lambda article: article.sort_time or oldest_kept, reverse=True
    )
    return list(newest_first), sum(article.guid not in shown_guids for article in fresh)


def _renamed(article: Article, names: dict[str, str]) -> Article:
    """The article under its feed's name in `names`: names change when another feed of the
    same title is subscribed to."""
    name = names.get(article.feed or "")
    if name is None or name == article.source:
        return article
    return replace(article, source=name)


def keeping_identity(articles: list[Article], *kept: Article | object | None) -> list[Article]:
    """`articles`, with the same object in place of those read again unchanged among `kept`
    (the article being read, the one under the cursor), so that they stay where they are."""
    wanted = {a.guid: a for a in kept if isinstance(a, Article) and a.guid is not None}
    if not wanted:
        return articles
    return [wanted[a.guid] if a.guid in wanted and wanted[a.guid] == a else a for a in articles]


def same_story(article: Article, articles: list[Article]) -> Article | None:
    """The article of `articles` that is the story `article` is (its guid), as it now stands;
    None if it is not there, or `article` is no feed article."""
    if article.guid is None:
        return None
    return next((other for other in articles if other.guid == article.guid), None)


class FullArticles:
    """The stored articles in full of the rows the reader shows, read by guid as they are
    shown; the last FULL_ARTICLES_KEPT kept, each with its row, so that showing one again is
    the same object (the reading pane and what it laid out ahead go by identity). A row read
    again with other values (a story changed in place) reads its article again."""

    def __init__(self, size: int = FULL_ARTICLES_KEPT) -> None:
        self.size = size
        self._kept: OrderedDict[str, tuple[FeedRow, Article]] = OrderedDict()

    def of(self, item: Item, store: FeedStore | None) -> Item | Article:
        """`item` in full: a FeedRow's article read from `store` (StoreError if it cannot be
        read; the row itself if the store no longer has it), anything else as it is."""
        if not isinstance(item, FeedRow) or item.guid is None:
            return item
        kept = self._kept.get(item.guid)
        if kept is not None and (kept[0] is item or kept[0] == item):
            self._kept.move_to_end(item.guid)
            return kept[1]
        from reader.feeds.peek import stored_article

        # On a connection of its own, as the newest rows shown at once were read: not after
        # the store's lock, which a worker holds while it reads a batch or saves a feed.
        names = {item.feed: item.source} if item.feed and item.source else {}
        found = stored_article(item.guid, None if store is None else store.path, names)
        if store is None:  # not open yet: not kept, the store may say otherwise
            return found or item
        if found is None:  # gone, or that connection failed: the store says why, if it can
            found = in_full([item], store)[0]
        self.keep(item, found)
        return found

    def keep(self, row: FeedRow, article: Article) -> None:
        """Keep `article` as the row's article in full (one the reader already has)."""
        if row.guid is None:
            return
        self._kept[row.guid] = (row, article)
        self._kept.move_to_end(row.guid)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)


def in_full(articles: Sequence[Article], store: FeedStore) -> list[Article]:
    """`articles` with each FeedRow in full, as `store` now has it (in one query per 500),
    under the row's source name; a row the store no longer has stays as it is. In a worker
    for many: StoreError if the store cannot be read."""
    rows = [a for a in articles if isinstance(a, FeedRow) and a.guid is not None]
    if not rows:
        return list(articles)
    names = {row.feed: row.source for row in rows if row.feed and row.source}
    full = store.articles_of([row.guid for row in rows if row.guid is not None], names)
    by_guid = {article.guid: article for article in full}
    return [by_guid.get(a.guid, a) if isinstance(a, FeedRow) else a for a in articles]
