"""What a feed item is once fetched and parsed, and how it becomes an Article.

Feed items are stored as these values (store.py) and read as Articles everywhere else, so
highlighting, claims, translation and export treat them like articles from page files.
"""

from __future__ import annotations

from datetime import datetime

from reader.model import Article, Link, Paragraph, ParagraphKind, Value
from reader.web_links import web_link

# What is kept of one item, however much a feed sends (up to its 20 MB): a long read is some
# 60,000 characters. Beyond these an item is cut, and its feed's outcome says so.
MAX_ITEM_CHARACTERS = 200_000  # of text, all paragraphs together
MAX_TITLE_CHARACTERS = 1_000
MAX_ADDRESS_CHARACTERS = 8_192  # a link or id: longer ones are no address a server takes
MAX_ITEMS = 10_000  # per document, in feed order
# The title of an entry that has none; no text to translate.
UNTITLED = "(untitled)"


_set = object.__setattr__  # frozen: fields set as a dataclass sets them


class Block(Value):
    """A paragraph or subheading of a feed item's text, with its links as data."""

    __slots__ = ("kind", "links", "text")

    kind: ParagraphKind  # BODY or SUBHEADING
    text: str
    links: tuple[Link, ...]

    def __init__(self, kind: ParagraphKind, text: str, links: tuple[Link, ...] = ()) -> None:
        _set(self, "kind", kind)
        _set(self, "text", text)
        _set(self, "links", links)


class FeedItem(Value):
    """One entry of a feed, its HTML already turned into blocks of plain text."""

    __slots__ = ("blocks", "cut", "guid", "link", "published", "title")

    guid: str  # the entry's id, else its link, else a digest of its title and date
    title: str
    link: str | None
    published: datetime | None  # timezone-aware (UTC when the feed gave no zone)
    blocks: tuple[Block, ...]
    # The text is not all of the article: a summary the publisher cut short, or an item cut
    # to MAX_ITEM_CHARACTERS.
    cut: bool

    def __init__(
        self,
        guid: str,
        title: str,
        link: str | None,
        published: datetime | None,
        blocks: tuple[Block, ...],
        cut: bool = False,
    ) -> None:
        _set(self, "guid", guid)
        _set(self, "title", title)
        _set(self, "link", link)
        _set(self, "published", published)
        _set(self, "blocks", blocks)
        _set(self, "cut", cut)


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
    link = web_link(item.link)  # parse.py keeps no other; this guards what older versions stored
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


def _kind(block: Block, index: int) -> ParagraphKind:
    # A page's first paragraph is its lead; a feed item's first body paragraph plays that part.
    if index == 0 and block.kind is ParagraphKind.BODY:
        return ParagraphKind.LEAD
    return block.kind
