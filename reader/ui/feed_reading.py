"""The articles the reader shows kept up to date with what the store gained (merged), in its
workers; reading the feeds themselves is reader/feeds/reading.py.

No Textual here: reader/ui/feeds.py runs these in its workers. The feed core is imported
inside the functions, so that the first frame does not wait for it.
"""

from __future__ import annotations

import heapq
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from reader.model import Article

if TYPE_CHECKING:
    pass

# Items are stored (and changed in place) as of when their refresh began: one that began
# this long before the store was last read (here or in another nieuwslezer) may have stored
# them after. Longer than any refresh takes, its time-outs included.
STORE_LAG = timedelta(hours=1)


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
    return article if name is None or name == article.source else replace(article, source=name)


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
