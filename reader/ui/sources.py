"""The choice of source the article list shows: all, one feed, or the saved pages.

Plain data, shared by the feed behaviour (reader/ui/feeds.py) and the sources screen
(reader/ui/screens.py), which therefore need not import each other."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from reader.model import Article

ALL_SOURCES = "\0all"  # the choice that shows every source; no channel title is this


@dataclass(frozen=True, slots=True)
class SourceChoice:
    """A row of the sources screen: a feed's channel title, the saved pages, or all."""

    source: str | None  # ALL_SOURCES, a channel title, or None for the saved pages
    label: str
    articles: int
    note: str = ""  # the feed's last error, if any


def source_choices(articles: Iterable[Article], failures: dict[str, str]) -> list[SourceChoice]:
    """All sources, then each feed by name (with why its last refresh failed), then the saved
    pages (if any). `failures` maps a feed's name to the reason."""
    counts = Counter(article.source for article in articles)
    pages = counts.pop(None, 0)
    total = sum(counts.values()) + pages
    choices = [SourceChoice(ALL_SOURCES, "All sources", total)]
    for source in sorted(counts.keys() | failures.keys(), key=str.casefold):
        choices.append(SourceChoice(source, source, counts[source], failures.get(source, "")))
    if pages:
        choices.append(SourceChoice(None, "Saved pages", pages))
    return choices


def shows(source: str | None, article: Article) -> bool:
    """Whether the article list shows `article` while `source` is chosen."""
    return source == ALL_SOURCES or article.source == source
