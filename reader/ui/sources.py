"""The choice of source the article list shows: all, one feed, or the saved pages.

A feed is its address (Article.feed); its name is only what it is shown as, made unique
where two feeds share a title (reader.feeds.subscriptions.feed_names). Plain data, shared by
the feed behaviour (reader/ui/feeds.py) and the sources screen (reader/ui/screens.py), which
therefore need not import each other."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from typing import Self

from reader.model import Article, Value

ALL_SOURCES = "\0all"  # the choice that shows every source; no feed address is this
STARRED = "\0starred"  # the choice that lists the starred articles (reader/ui/library.py)


_new = object.__new__


class SourceChoice(Value):
    """A row of the sources screen: a feed, the saved pages, or all (a Value, as the
    model's: a dataclass would be compiled at every start, ~0.5 ms of the first frame)."""

    __slots__ = ("articles", "feed", "label", "note")

    feed: str | None  # ALL_SOURCES, a feed's address, or None for the saved pages
    label: str
    articles: int
    note: str  # why the feed's last refresh failed, if it did

    def __new__(cls, feed: str | None, label: str, articles: int, note: str = "") -> Self:
        self = _new(cls._building)
        self.feed = feed
        self.label = label
        self.articles = articles
        self.note = note
        self.__class__ = cls
        return self


def source_choices(
    feed_articles: Iterable[Article],
    pages: int,
    subscribed: Collection[str],
    names: Mapping[str, str],
    failures: Mapping[str, str],
    starred: int | None = None,
) -> list[SourceChoice]:
    """All sources, then one row per feed by name, then the saved pages (if any are shown).

    Every feed `subscribed` to (by address) is a row, with or without articles; a feed no
    longer subscribed to, only while it has articles. `names`: each feed's unique name by
    address; `failures`: why a feed's last refresh failed; `starred`: how many articles are
    starred (a row "Starred" after all sources; None: none, the library is not open)."""
    counts = Counter(article.feed for article in feed_articles)
    counts.pop(None, None)  # a feed article always has its feed; nothing to show without
    feeds = counts.keys() | set(subscribed)
    choices = [SourceChoice(ALL_SOURCES, "All sources", counts.total() + pages)]
    if starred is not None:
        choices.append(SourceChoice(STARRED, "Starred", starred))
    for feed in sorted(feeds, key=lambda url: (names.get(url, url).casefold(), url)):
        choices.append(
            SourceChoice(feed, names.get(feed, feed), counts[feed], failures.get(feed, ""))
        )
    if pages:
        choices.append(SourceChoice(None, "Saved pages", pages))
    return choices


def shows(chosen: str | None, article: Article) -> bool:
    """Whether the article list shows `article` while `chosen` (a SourceChoice.feed) is."""
    return chosen == ALL_SOURCES or article.feed == chosen
