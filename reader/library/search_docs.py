"""What the search index holds of each item: a SearchDoc per page article, ticker item and
feed article, with the English of its paragraphs where the translation cache has it.

Core: no textual import. The items' keys are reader.library.keys's (the read state and the
stars use the same ones), so a search hit names the item the reader shows.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from reader.library.keys import article_key, feed_key, page_path, storable_path, ticker_key
from reader.model import Article, Corpus, CorpusTickerItem
from reader.web_links import web_link

# The English of a Dutch text if the translation cache holds it, else None.
EnglishLookup = Callable[[str], "str | None"]

# The kinds of item in the index.
FEED, PAGE, TICKER = "feed", "page", "ticker"


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One item to index. `time` (Unix seconds; None: unknown) orders the results newest
    first: a feed article's date, a page file's modification time, a ticker item's file time
    less its age. `english[i]` is the English of `paragraphs[i]` (None: not translated)."""

    key: str
    kind: str
    title: str
    paragraphs: tuple[str, ...]
    time: float | None = None
    # The page file: keys.storable_path(keys.page_path(...)), text SQLite can hold whatever
    # the name (keys.real_path gives the path back); a feed article: None.
    file: str | None = None
    link: str | None = None
    source: str | None = None  # the feed's name; for a ticker item, the page's section
    english: tuple[str | None, ...] = ()

    @property
    def digest(self) -> str:
        """What the content is, for skipping an item indexed before unchanged (the English
        is not part of it: it is added as it arrives, see SearchIndex.add_english)."""
        material = "\x1f".join((self.title, *self.paragraphs, self.link or ""))
        return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def one_line(text: str) -> str:
    """A paragraph as the index stores it: one line (paragraphs are kept one per line)."""
    return text.replace("\r", " ").replace("\n", " ")


def with_english(doc: SearchDoc, english: EnglishLookup | None) -> SearchDoc:
    """`doc` with the English of each paragraph the lookup knows."""
    if english is None:
        return doc
    found = tuple(english(paragraph) for paragraph in doc.paragraphs)
    if not any(found):
        return doc
    return SearchDoc(
        doc.key, doc.kind, doc.title, doc.paragraphs, doc.time, doc.file, doc.link,
        doc.source, found,
    )  # fmt: skip


def corpus_docs(corpus: Corpus) -> Iterator[SearchDoc]:
    """The page articles and ticker items of a loaded corpus (feed articles in it too)."""
    mtimes: dict[str, float | None] = {}
    for article in corpus.articles:
        yield article_doc(article, mtimes)
    for item in corpus.ticker:
        yield ticker_doc(item, mtimes)


def article_doc(article: Article, mtimes: dict[str, float | None] | None = None) -> SearchDoc:
    """An article (from a page file or a feed) as a SearchDoc: paragraph i is the article's
    paragraph i, with its dateline if it has one ("KYIV (ANP) - ...")."""
    paragraphs = tuple(
        one_line((p.dateline.prefix if p.dateline else "") + p.text) for p in article.paragraphs
    )
    if article.guid is not None or article.source is not None:
        time = article.sort_time.timestamp() if article.sort_time else None
        return SearchDoc(
            article_key(article), FEED, article.title, paragraphs, time, None,
            article.link, article.source,
        )  # fmt: skip
    file = page_path(article.file)
    return SearchDoc(
        article_key(article), PAGE, article.title, paragraphs,
        plausible_time(_mtime(file, mtimes)), storable_path(file), article.link, None,
    )  # fmt: skip


def ticker_doc(item: CorpusTickerItem, mtimes: dict[str, float | None] | None = None) -> SearchDoc:
    """A ticker item as a SearchDoc: its place as the title, its text as the one paragraph."""
    file = page_path(item.first.file)
    time = _mtime(file, mtimes)
    if time is not None and item.age is not None and item.age.minutes is not None:
        time -= item.age.minutes * 60
    place = item.dateline.place if item.dateline else ""
    return SearchDoc(
        ticker_key(item), TICKER, place, (one_line(item.text),), plausible_time(time),
        storable_path(file), None, item.section,
    )  # fmt: skip


def feed_row_doc(
    guid: str,
    source: object,
    title: object,
    link: object,
    time: object,
    blocks_json: object,
) -> SearchDoc:
    """A row of the feed store's items table as a SearchDoc (feed key from keys.py). What is
    not of its type or range (damage, another program's rows) counts as missing."""
    try:
        blocks = json.loads(blocks_json) if isinstance(blocks_json, str) else []
        paragraphs = tuple(one_line(str(block[1])) for block in blocks)
    except (ValueError, TypeError, IndexError, KeyError, RecursionError):
        paragraphs = ()
    title = one_line(title) if isinstance(title, str) else ""
    source = source if isinstance(source, str) else None
    link = web_link(link) if isinstance(link, str) else None
    time = plausible_time(time) if isinstance(time, int | float) else None
    return SearchDoc(feed_key(guid), FEED, title, paragraphs, time, None, link, source)


# The times a datetime can hold (years 1 to 9999), in Unix seconds.
_EARLIEST, _LATEST = -62_135_596_800.0, 253_402_300_799.0


def plausible_time(time: float | None) -> float | None:
    """`time` (Unix seconds) if a date can be made of it; else None (unknown): a stored row
    may say 1e300, a page file's time anything."""
    if time is None or not _EARLIEST <= time <= _LATEST:  # NaN too
        return None
    return float(time)


def _mtime(file: str, cache: dict[str, float | None] | None) -> float | None:
    if cache is not None and file in cache:
        return cache[file]
    try:
        found: float | None = os.stat(file).st_mtime
    except OSError:
        found = None
    if cache is not None:
        cache[file] = found
    return found


def cached_english(cache_path: Path | None = None, backends: Sequence[str] = ()) -> EnglishLookup:
    """A lookup of the English the translation cache holds (under any of `backends`, by
    default all known), read-only: nothing is created when there is no cache."""
    from reader.translate.cache import TranslationCache, default_cache_path
    from reader.translate.detect import DUTCH
    from reader.translate.service import TARGET

    path = cache_path or default_cache_path()
    names = tuple(backends) or ("google", "libre")
    if not path.is_file():
        return lambda text: None
    cache = TranslationCache(path)

    def lookup(text: str) -> str | None:
        for name in names:
            found = cache.get(name, DUTCH, TARGET, text)
            if found:
                return found
        return None

    return lookup
