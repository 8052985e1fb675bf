"""What a feed item is once fetched and parsed, and how it becomes an Article.

Feed items are stored as these values (store.py) and read as Articles everywhere else, so
highlighting, claims, translation and export treat them like articles from page files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reader.model import Article, Link, Paragraph, ParagraphKind


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph or subheading of a feed item's text, with its links as data."""

    kind: ParagraphKind  # BODY or SUBHEADING
    text: str
    links: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed, its HTML already turned into blocks of plain text."""

    guid: str  # the entry's id, else its link, else a digest of its title and date
    title: str
    link: str | None
    published: datetime | None  # timezone-aware (UTC when the feed gave no zone)
    blocks: tuple[Block, ...]
    cut: bool = False  # the text is a summary the publisher cut short


def feed_article(
    item: FeedItem,
    source: str,
    feed_url: str,
    fetched: datetime | None = None,
    dated_ahead: datetime | None = None,
) -> Article:
    """The Article a feed item reads as; `source` is the name its feed shows as.

    Its `file` is its web page, else its feed's address (never a link the reader could not
    open); `fetched` is when it was first stored, and `dated_ahead` the date its feed gave when
    that was in the future (`published` is then when it was fetched)."""
    link = item.link if is_web_link(item.link) else None
    where = link or feed_url
    paragraphs = tuple(
        Paragraph(_kind(block, index), block.text, where, 0, links=block.links)
        for index, block in enumerate(item.blocks)
    )
    return Article(
        title=item.title,
        file=where,
        line=0,
        paragraphs=paragraphs,
        source=source,
        link=link,
        published=item.published,
        guid=item.guid,
        cut=item.cut,
        feed=feed_url,
        fetched=fetched,
        dated_ahead=dated_ahead,
    )


def is_web_link(link: str | None) -> bool:
    """Whether `link` is an address a browser may be given: absolute http(s) with a host, no
    white space or control characters. parse.py keeps no other; this also guards what an older
    nieuwslezer stored."""
    if not link or not link.startswith(("http://", "https://")):
        return False
    host = link.partition("//")[2].partition("/")[0].partition("?")[0].partition("#")[0]
    # isprintable() is false for every control character and every space but " ".
    return bool(host.strip("@:")) and link.isprintable() and " " not in link


def _kind(block: Block, index: int) -> ParagraphKind:
    # A page's first paragraph is its lead; a feed item's first body paragraph plays that part.
    if index == 0 and block.kind is ParagraphKind.BODY:
        return ParagraphKind.LEAD
    return block.kind
