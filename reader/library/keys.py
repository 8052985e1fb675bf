"""Stable keys of the items a user reads: what read marks, stars, first-seen times, the
session and the search index are keyed on (strings, never row numbers).

- a feed article: "feed:" + its guid (the store's identity of the item);
- a page article: "page:" + the absolute path of its file + ":" + the first 16 hex digits of
  the sha256 of its title and paragraph texts (datelines included), so that an edited page
  counts as a new article;
- a ticker item: "ticker:" + the first 16 hex digits of the sha256 of its place and text (the
  same item in two saved pages is one item, as the corpus de-duplicates it).
"""

from __future__ import annotations

import hashlib
import os

from reader.model import Article, TickerItem

FEED = "feed:"
PAGE = "page:"
TICKER = "ticker:"
_DIGITS = 16  # 64 bits: no two texts of one user's lifetime share them by chance


def article_key(article: Article) -> str:
    """The key of a feed article (it has a guid) or of a page file's article."""
    if article.guid is not None:
        return FEED + article.guid
    parts = [article.title]
    for paragraph in article.paragraphs:
        prefix = paragraph.dateline.prefix if paragraph.dateline is not None else ""
        parts.append(prefix + paragraph.text)
    return f"{PAGE}{os.path.abspath(article.file)}:{_digest(parts)}"


def ticker_key(item: TickerItem) -> str:
    """The key of a ticker item: its place (if it has a dateline) and its text."""
    place = item.dateline.place if item.dateline is not None else ""
    return TICKER + _digest([place, item.text])


def feed_key(guid: str) -> str:
    """The key of the feed article with this guid."""
    return FEED + guid


def guid_of(key: str) -> str | None:
    """The guid a feed article's key holds; None for any other key."""
    return key[len(FEED) :] if key.startswith(FEED) else None


def _digest(parts: list[str]) -> str:
    # Parts are joined by a character no text holds, so ("ab", "c") and ("a", "bc") differ.
    text = "\x00".join(parts)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:_DIGITS]
