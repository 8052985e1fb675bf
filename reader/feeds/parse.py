"""A fetched document -> ParsedFeed (channel title and FeedItems) or NotAFeed: no I/O.

feedparser reads RSS 0.9x, 1.0 and 2.0 and Atom, broken ones included; this module turns its
entries into FeedItems of plain-text blocks. Errors are values: nothing here raises on what a
server sent.
"""

from __future__ import annotations

import calendar
import functools
import hashlib
import html
import io
import re
import time
import xml.sax
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from reader.feeds.html_text import html_to_blocks, is_cut, plain_text, strip_ellipsis
from reader.feeds.items import Block, FeedItem
from reader.web_links import web_link

UNTITLED = "(untitled)"

_CHARSET = re.compile(r";\s*charset\s*=\s*[\"']?([^\"';\s]+)", re.IGNORECASE)
# An HTML page where a feed was expected: a doctype or <html> first, after a BOM, an XML
# declaration (XHTML) or comments.
_HTML_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
    re.IGNORECASE | re.DOTALL,
)

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# An RSS <guid> or Atom <id>, any prefix, and its text: in CDATA, else plain (entities kept).
# Each part stops at a character the next cannot start with: a hostile document of unclosed
# elements and long runs of white space costs linear time, no backtracking.
_ID_ELEMENT = re.compile(
    r"<(?:[\w.-]+:)?(?:guid|id)\b[^<>]*>(?:\s*<!\[CDATA\[([^<\]]*)\]\]>|([^<]*))"
)


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed's channel and items in feed order; `problems` are notes on what was read anyway."""

    title: str
    link: str | None
    items: tuple[FeedItem, ...]
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NotAFeed:
    """Why a document gave no feed: "empty document", "malformed XML at line 3: ..."."""

    reason: str


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed | NotAFeed:
    """The feed in `body`, fetched from `url` with the HTTP Content-Type `content_type`."""
    if not body.strip():
        return NotAFeed("empty document")
    try:
        # A stream, never bytes or a string: given those, feedparser may open a file or a URL.
        parsed = feedparser.parse(
            io.BytesIO(body),
            response_headers=_response_headers(url, content_type),
            resolve_relative_uris=True,
            sanitize_html=True,
        )
    except Exception as error:  # feedparser has had crash bugs on odd input; errors are values
        return NotAFeed(f"the document could not be read: {error}")
    bozo = parsed.get("bozo_exception")
    entries = parsed.get("entries", [])
    if not entries:
        if not parsed.get("version") and _is_html(body, content_type):
            return NotAFeed("not a feed: the document is HTML, not RSS or Atom")
        if isinstance(bozo, xml.sax.SAXParseException):
            return NotAFeed(f"malformed XML at line {bozo.getLineNumber()}: {bozo.getMessage()}")
        if not parsed.get("version"):
            return NotAFeed("not a feed: no RSS or Atom channel in the document")
    web_ids = functools.cache(lambda: _web_ids(body, parsed.get("encoding")))
    items = [_item(entry, url, web_ids) for entry in entries]
    readable = tuple(item for item in items if item is not None)
    problems = [] if bozo is None else [_describe(bozo)]
    if len(readable) < len(items):
        problems.append(f"{len(items) - len(readable)} empty item(s) skipped")
    channel = parsed.get("feed", {})
    return ParsedFeed(
        title=_text(channel, "title") or urlsplit(url).hostname or url,
        link=_web_link(url, channel.get("link")),
        items=readable,
        problems=tuple(problems),
    )


def _response_headers(url: str, content_type: str | None) -> dict[str, str]:
    # Content-Location is the base for relative links. Only the charset of the Content-Type
    # is passed on: feedparser follows RFC 3023, which reads text/xml without a charset as
    # US-ASCII, and calls every feed served as text/html or text/plain broken.
    charset = _CHARSET.search(content_type or "")
    media_type = f"application/xml; charset={charset[1]}" if charset else "application/xml"
    return {"content-location": url, "content-type": media_type}


def _is_html(body: bytes, content_type: str | None) -> bool:
    media_type = (content_type or "").partition(";")[0].strip().lower()
    return media_type in _HTML_TYPES or _HTML_START.match(body) is not None


def _describe(error: Exception) -> str:
    if isinstance(error, xml.sax.SAXParseException):
        where = f"line {error.getLineNumber()}: {error.getMessage()}"
        return f"malformed XML, parsed what could be read ({where})"
    return str(error)


def _item(
    entry: Mapping[str, Any], feed_url: str, web_ids: Callable[[], set[str]]
) -> FeedItem | None:
    """The entry as a FeedItem; None for an entry with nothing in it (what is left of an entry
    after a break in the XML)."""
    title = _text(entry, "title")
    link = _link(entry, feed_url, web_ids)
    entry_id = (entry.get("id") or "").strip()
    content = next(
        (part for part in entry.get("content", []) if part.get("value", "").strip()), None
    )
    cut = False
    if content is not None:
        blocks = _blocks(content.get("value", ""), content.get("type"))
    else:
        blocks = _blocks(entry.get("summary", ""), entry.get("summary_detail", {}).get("type"))
        if blocks and is_cut(blocks[-1].text):
            cut = True
            blocks = _without_ellipsis(blocks)
    if not (title or link or entry_id or blocks):
        return None
    return FeedItem(
        guid=_identity(entry_id, feed_url) if entry_id else link or _digest(entry),
        title=title or UNTITLED,
        link=link,
        published=_published(entry),
        blocks=tuple(blocks),
        cut=cut,
    )


def _blocks(value: str, content_type: str | None) -> list[Block]:
    return html_to_blocks(_as_html(value, content_type))


def _text(element: Mapping[str, Any], key: str) -> str:
    """A title as one line of plain text, read by the type the feed gave it."""
    detail = element.get(f"{key}_detail", {})
    return plain_text(_as_html(element.get(key, ""), detail.get("type")))


def _as_html(value: str, content_type: str | None) -> str:
    # Text declared plain may hold "<" that is no tag: escaped, it stays text.
    return html.escape(value, quote=False) if content_type == "text/plain" else value


def _without_ellipsis(blocks: list[Block]) -> list[Block]:
    last = blocks[-1]
    text = strip_ellipsis(last.text)
    if not text:
        return blocks[:-1]
    return [*blocks[:-1], Block(last.kind, text, last.links)]


def _web_link(base: str, link: str | None) -> str | None:
    """An http(s) address for the entry's web page, its scheme in lower case, else None: the
    reader opens it in a browser. A relative reference ("/artikel/1") is resolved against the
    feed's address (as feedparser already does); one that resolves to the feed itself names
    no page."""
    if not link or not link.strip():
        return None
    link = link.strip()
    try:
        absolute = link if urlsplit(link).scheme else urljoin(base, link)
    except ValueError:  # "http://[::1" and the like
        return None
    return None if absolute == base else web_link(absolute)


def _link(entry: Mapping[str, Any], feed_url: str, web_ids: Callable[[], set[str]]) -> str | None:
    """The entry's web page. Without a <link>, RSS makes the guid the page unless it says
    isPermaLink="false" (feedparser an Atom <id> too), resolved against the feed's address:
    a bare "12345" would become a page of the feed's host that does not exist. Such a link is
    kept only if the id was written as a web address (`web_ids`: those of the document)."""
    link = _web_link(feed_url, entry.get("link"))
    if link and entry.get("guidislink") and entry.get("link") == entry.get("id"):
        return link if link in web_ids() else None
    return link


def _web_ids(body: bytes, encoding: str | None) -> set[str]:
    """Every <guid> and <id> of the document written as a web address (before feedparser
    resolved them against the feed's address), as web_link gives it."""
    try:
        text = body.decode(encoding or "utf-8", errors="replace")
    except LookupError:  # an encoding Python does not know: feedparser read it otherwise
        text = body.decode("utf-8", errors="replace")
    written = (
        (cdata or html.unescape(plain)).strip() for cdata, plain in _ID_ELEMENT.findall(text)
    )
    return {link for link in map(web_link, written) if link}


def _identity(entry_id: str, feed_url: str) -> str:
    """The store's key for an entry's id: URLs and other URIs ("tag:", "urn:") are unique
    as they stand; a bare id ("2531001") only within its publisher, so the feed's host is
    put before it, or two publishers' item 2531001 would be one story."""
    if ":" in entry_id:
        return entry_id
    return f"{urlsplit(feed_url).hostname or feed_url}/{entry_id}"


def _digest(entry: Mapping[str, Any]) -> str:
    published = entry.get("published") or entry.get("updated") or ""
    key = f"{entry.get('title', '')}\n{published}"
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def _published(entry: Mapping[str, Any]) -> datetime | None:
    # feedparser gives the date as a struct_time in UTC, whatever zone the feed wrote.
    parsed: time.struct_time | None = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None
