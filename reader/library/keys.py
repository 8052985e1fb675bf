"""Stable keys of the items a user reads: what read marks, stars, first-seen times, the
session and the search index are keyed on (strings, never row numbers).

- a feed article: "feed:" + its guid (the store's identity of the item);
- a page article: "page:" + storable_path(page_path(its file)) + ":" + the first 16 hex
  digits of the sha256 of its title and paragraph texts (datelines included), so that an
  edited page counts as a new article;
- a ticker item: "ticker:" + the first 16 hex digits of the sha256 of its place and text (the
  same item in two saved pages is one item, as the corpus de-duplicates it).

Paths of page files (for everyone who keys, stores or compares one):

- page_path(file): what identifies a page file: its absolute path with symbolic links
  resolved (the same page through a link is one page). The ONE place a page's path is made.
- storable_path(path): that path as text SQLite and JSON can hold (every key is such text).
  A file name that is not UTF-8 reaches Python with lone surrogates (surrogateescape), which
  SQLite refuses (UnicodeEncodeError); storable_path escapes exactly those paths, reversibly.
  A UTF-8 path is returned unchanged, so existing keys and docs.file values stay valid.
- real_path(stored): the path again (what to open, os.fsencode gives back the bytes);
  real_path(storable_path(p)) == p for every p.
- page_key_path(key): the page_path a page key was made from (real, not escaped).
- A page key starts with PAGE + its stored path up to the path's last separator: the
  escape works character by character (a UTF-8 folder has two such prefixes: "/f/" for its
  UTF-8 names, "%/f/" for the others).

To compare a loaded page with a stored path: storable_path(page_path(article.file)) == stored.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from functools import lru_cache

from reader.model import Article, CorpusTickerItem, TickerItem

FEED = "feed:"
PAGE = "page:"
TICKER = "ticker:"
_DIGITS = 16  # 64 bits: no two texts of one user's lifetime share them by chance

# An escaped path starts with ESCAPED, which no absolute path starts with ("/" on POSIX, a
# drive or "\\" on Windows): so a stored path is escaped exactly when it starts with it, and
# no UTF-8 path (left as it is) can be mistaken for an escaped one. Inside an escaped path,
# "%" is "%25", an undecodable byte (U+DC80..U+DCFF) "%XX", any other lone surrogate (Windows)
# "%uXXXX".
ESCAPED = "%"
_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPE = re.compile("[%\ud800-\udfff]")
_UNESCAPE = re.compile("%(?:u([0-9A-F]{4})|([0-9A-F]{2}))")


def article_key(article: Article) -> str:
    """The key of a feed article (it has a guid) or of a page file's article."""
    if article.guid is not None:
        return FEED + article.guid
    parts = [article.title]
    for paragraph in article.paragraphs:
        prefix = paragraph.dateline.prefix if paragraph.dateline is not None else ""
        parts.append(prefix + paragraph.text)
    return f"{PAGE}{storable_path(page_path(article.file))}:{_digest(parts)}"


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


def page_path(file: str) -> str:
    """What identifies a page file: its absolute path, symbolic links resolved (a file that
    is gone: its absolute path, normalised). In memory; storable_path() before storing it."""
    return _resolved(os.path.abspath(file))


@lru_cache(maxsize=16384)
def _resolved(absolute: str) -> str:
    # Remembered: a run asks about the same files again and again (an lstat each).
    if os.path.islink(absolute):  # its folder's parts are resolved once for all its files
        return os.path.realpath(absolute)
    folder, _, name = absolute.rpartition(os.sep)
    return _real_folder(folder or os.sep) + name


@lru_cache(maxsize=1024)
def _real_folder(folder: str) -> str:
    # A corpus's pages share a few folders: realpath looks at every part of a path.
    return os.path.join(os.path.realpath(folder), "")


def storable_path(path: str) -> str:
    """`path` as text SQLite and JSON can hold: unchanged when it is UTF-8 (no lone
    surrogate) and does not start with ESCAPED (no absolute path does); else ESCAPED + the
    path with "%", undecodable bytes and lone surrogates escaped (%25, %XX, %uXXXX).
    Reversed by real_path()."""
    if (path.isascii() or _SURROGATE.search(path) is None) and not path.startswith(ESCAPED):
        return path
    return ESCAPED + _ESCAPE.sub(_escape, path)


def real_path(stored: str) -> str:
    """The path storable_path() made `stored` of (lone surrogates for the bytes that were
    not UTF-8, as os.fsdecode makes them)."""
    if not stored.startswith(ESCAPED):
        return stored
    return _UNESCAPE.sub(_unescape, stored[len(ESCAPED) :])


def page_key_path(key: str) -> str | None:
    """The page_path() a page's key was made from; None for any other key."""
    if not key.startswith(PAGE):
        return None
    return real_path(key[len(PAGE) :].rpartition(":")[0])


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == ord("%"):
        return "%25"
    if 0xDC80 <= code <= 0xDCFF:
        return f"%{code - 0xDC00:02X}"
    return f"%u{code:04X}"


def _unescape(match: re.Match[str]) -> str:
    wide, byte = match.groups()
    if wide is not None:
        return chr(int(wide, 16))
    value = int(byte, 16)
    return "%" if value == 0x25 else chr(0xDC00 + value)


def _digest(parts: list[str]) -> str:
    # Parts are joined by a character no text holds, so ("ab", "c") and ("a", "bc") differ.
    text = "\x00".join(parts)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:_DIGITS]


def find_item(
    key: str, items: Iterable[Article | CorpusTickerItem]
) -> Article | CorpusTickerItem | None:
    """The article or ticker item among `items` whose key is `key` (session restore, a
    search hit).

    A feed article by its guid, a page's article by its file and then its text's digest,
    so that only the articles of that file are hashed."""
    if key.startswith(FEED):
        guid = key[len(FEED) :]
        return next((i for i in items if isinstance(i, Article) and i.guid == guid), None)
    if key.startswith(PAGE):
        path = page_key_path(key)
        for item in items:
            if (
                isinstance(item, Article)
                and item.guid is None
                and page_path(item.file) == path
                and article_key(item) == key
            ):
                return item
        return None
    if key.startswith(TICKER):
        tickers = (i for i in items if isinstance(i, CorpusTickerItem))
        return next((i for i in tickers if ticker_key(i) == key), None)
    return None
