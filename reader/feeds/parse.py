"""A fetched document -> ParsedFeed (channel title and FeedItems) or NotAFeed: no I/O.

feedparser reads RSS 0.9x, 1.0 and 2.0 and Atom, broken ones included; this module turns its
entries into FeedItems of plain-text blocks. Errors are values: nothing here raises on what a
server sent. What feedparser gives is read as the types it should be (it may give None where
text belongs), and every item is bounded (items.MAX_*): cut, and the cut noted in `problems`.
Relative links in an item's text are resolved here, after the cut and within a budget for the
whole document, never by feedparser: it resolves every one in the whole text against the base,
which made gigabytes of a small document with a long base.
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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from reader.feeds.expansion import MAX_BASE_CHARACTERS, expansion_refusal
from reader.feeds.html_text import html_to_blocks, is_cut, plain_text, strip_ellipsis
from reader.feeds.items import (
    MAX_ADDRESS_CHARACTERS,
    MAX_ITEM_CHARACTERS,
    MAX_ITEMS,
    MAX_TITLE_CHARACTERS,
    UNTITLED,
    Block,
    FeedItem,
)
from reader.present import plural
from reader.web_links import web_link

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
# Markup read for an item's text or a title, in characters: ten times what is kept of its text
# leaves room for any tags around it, and bounds the time a document of tags alone costs.
_MARKUP_FACTOR = 10
_MAX_PROBLEM_CHARACTERS = 300  # a parser's message may quote the document
# Characters that resolving a document's relative links may add, beyond its own size: a short
# reference ("b") resolves to its base and more, but a document's links never need more.
_LINK_ALLOWANCE = 1_000_000


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
    headers = _response_headers(url, content_type)
    refusal = expansion_refusal(body, headers)
    if refusal is not None:
        return NotAFeed(refusal)
    try:
        # A stream, never bytes or a string: given those, feedparser may open a file or a URL.
        parsed = feedparser.parse(
            io.BytesIO(body),
            response_headers=headers,
            resolve_relative_uris=False,
            sanitize_html=True,
        )
    except Exception as error:  # feedparser has had crash bugs on odd input; errors are values
        return NotAFeed(_bounded_problem(f"the document could not be read: {error}"))
    bozo = parsed.get("bozo_exception")
    entries = _sequence(parsed.get("entries"))
    if not entries:
        if not parsed.get("version") and _is_html(body, content_type):
            return NotAFeed("not a feed: the document is HTML, not RSS or Atom")
        if isinstance(bozo, xml.sax.SAXParseException):
            where = f"line {bozo.getLineNumber()}: {bozo.getMessage()}"
            return NotAFeed(_bounded_problem(f"malformed XML at {where}"))
        if not parsed.get("version"):
            return NotAFeed("not a feed: no RSS or Atom channel in the document")
    web_ids = functools.cache(lambda: _web_ids(body, _string(parsed.get("encoding"))))
    tally = _Tally(link_characters_left=len(body) + _LINK_ALLOWANCE)
    items = [_read_item(entry, url, web_ids, tally) for entry in entries[:MAX_ITEMS]]
    readable = tuple(item for item in items if item is not None)
    problems = [] if bozo is None else [_bounded_problem(_describe(bozo))]
    empty = len(items) - len(readable) - tally.unreadable
    if empty:
        problems.append(f"{empty} empty item(s) skipped")
    channel = _mapping(parsed.get("feed"))
    title = _title(channel, tally)
    problems += tally.notes()
    if len(entries) > MAX_ITEMS:
        problems.append(f"{len(entries):,} items: only the first {MAX_ITEMS:,} read")
    return ParsedFeed(
        title=title or urlsplit(url).hostname or url,
        link=_web_link(url, _string(channel.get("link"))),
        items=readable,
        problems=tuple(problems),
    )


@dataclass(slots=True)
class _Tally:
    """What was cut or skipped while reading a document's items, for its problems."""

    texts_cut: int = 0
    titles_cut: int = 0
    unreadable: int = 0
    first_error: str = ""
    link_characters_left: int = 0  # what resolving relative links may still add
    links_dropped: int = 0

    def resolver(self, base: str) -> Callable[[str], str | None]:
        """Resolves a link against `base`, within what the document's links may take."""

        def resolve(href: str) -> str | None:
            try:
                if urlsplit(href).scheme:
                    return href
                absolute = urljoin(base, href)
            except ValueError:  # "http://[::1" and the like
                return None
            if len(absolute) > MAX_ADDRESS_CHARACTERS:
                return None
            if len(absolute) > self.link_characters_left:
                self.links_dropped += 1
                return None
            self.link_characters_left -= len(absolute)
            return absolute

        return resolve

    def notes(self) -> list[str]:
        notes = []
        if self.texts_cut:
            limit = f"{MAX_ITEM_CHARACTERS:,} characters"
            notes.append(f"{plural(self.texts_cut, 'item')} longer than {limit}: cut")
        if self.titles_cut:
            limit = f"{MAX_TITLE_CHARACTERS:,} characters"
            notes.append(f"{plural(self.titles_cut, 'title')} longer than {limit}: cut")
        if self.unreadable:
            what = plural(self.unreadable, "item")
            notes.append(_bounded_problem(f"{what} could not be read ({self.first_error})"))
        if self.links_dropped:
            what = plural(self.links_dropped, "relative link")
            notes.append(f"{what} dropped: resolved, the links would outgrow the document")
        return notes


def _response_headers(url: str, content_type: str | None) -> dict[str, str]:
    # Content-Location is feedparser's base for relative links and ids, each of which repeats
    # it: an address longer than MAX_BASE_CHARACTERS is no base (an item's link is still
    # resolved against it, once, by _web_link). Only the charset of the Content-Type is passed
    # on: feedparser follows RFC 3023, which reads text/xml without a charset as US-ASCII, and
    # calls every feed served as text/html or text/plain broken.
    charset = _CHARSET.search(content_type or "")
    media_type = f"application/xml; charset={charset[1]}" if charset else "application/xml"
    headers = {"content-type": media_type}
    if len(url) <= MAX_BASE_CHARACTERS:
        headers["content-location"] = url
    return headers


def _is_html(body: bytes, content_type: str | None) -> bool:
    media_type = (content_type or "").partition(";")[0].strip().lower()
    return media_type in _HTML_TYPES or _HTML_START.match(body) is not None


def _describe(error: object) -> str:
    if isinstance(error, xml.sax.SAXParseException):
        where = f"line {error.getLineNumber()}: {error.getMessage()}"
        return f"malformed XML, parsed what could be read ({where})"
    return str(error)


def _bounded_problem(problem: str) -> str:
    if len(problem) <= _MAX_PROBLEM_CHARACTERS:
        return problem
    return problem[: _MAX_PROBLEM_CHARACTERS - 1] + "…"


def _read_item(
    entry: object, feed_url: str, web_ids: Callable[[], set[str]], tally: _Tally
) -> FeedItem | None:
    """_item, but an entry that breaks the conversion is that entry's loss, counted in
    `tally`: a bug met on one entry must not cost the feed its other items."""
    try:
        return _item(_mapping(entry), feed_url, web_ids, tally)
    except Exception as error:
        tally.unreadable += 1
        tally.first_error = tally.first_error or f"{type(error).__name__}: {error}"
        return None


def _item(
    entry: Mapping[str, Any], feed_url: str, web_ids: Callable[[], set[str]], tally: _Tally
) -> FeedItem | None:
    """The entry as a FeedItem; None for an entry with nothing in it (what is left of an entry
    after a break in the XML)."""
    title = _title(entry, tally)
    link = _link(entry, feed_url, web_ids)
    entry_id = _string(entry.get("id")).strip()
    parts = (_mapping(part) for part in _sequence(entry.get("content")))
    content = next((part for part in parts if _string(part.get("value")).strip()), None)
    cut = False
    if content is not None:
        resolve_link = tally.resolver(_string(content.get("base")) or feed_url)
        blocks, too_long = _blocks(content.get("value"), content.get("type"), resolve_link)
    else:
        summary = _mapping(entry.get("summary_detail"))
        resolve_link = tally.resolver(_string(summary.get("base")) or feed_url)
        blocks, too_long = _blocks(entry.get("summary"), summary.get("type"), resolve_link)
        if blocks and not too_long and is_cut(blocks[-1].text):
            cut = True
            blocks = _without_ellipsis(blocks)
    if not (title or link or entry_id or blocks):
        return None
    if too_long:
        tally.texts_cut += 1
    return FeedItem(
        guid=_identity(entry_id, feed_url) if entry_id else link or _digest(entry),
        title=title or UNTITLED,
        link=link,
        published=_published(entry),
        blocks=tuple(blocks),
        cut=cut or too_long,
    )


def _blocks(
    value: object, content_type: object, resolve_link: Callable[[str], str | None]
) -> tuple[list[Block], bool]:
    """The blocks of an item's text, and whether it was longer than an item may be: then cut
    at a word, within MAX_ITEM_CHARACTERS, and only that much markup read."""
    markup = _as_html(_string(value), content_type)
    limit = MAX_ITEM_CHARACTERS * _MARKUP_FACTOR
    too_long = len(markup) > limit
    blocks = html_to_blocks(_cut_markup(markup, limit), resolve_link)
    left = MAX_ITEM_CHARACTERS
    for index, block in enumerate(blocks):
        if len(block.text) > left:
            text = _cut_at_word(block.text, left)
            links = tuple(link for link in block.links if link.text in text)
            kept = [Block(block.kind, text, links)] if text else []
            return blocks[:index] + kept, True
        left -= len(block.text)
    return blocks, too_long


def _cut_markup(markup: str, limit: int) -> str:
    """At most `limit` characters of `markup`, never ending inside a tag."""
    if len(markup) <= limit:
        return markup
    cut = markup[:limit]
    tag_start = cut.rfind("<")
    return cut[:tag_start] if tag_start > cut.rfind(">") else cut


def _title(element: Mapping[str, Any], tally: _Tally) -> str:
    """A title as one line of plain text, cut to MAX_TITLE_CHARACTERS with an ellipsis."""
    limit = MAX_TITLE_CHARACTERS * _MARKUP_FACTOR
    markup = _string(element.get("title"))
    text = _text(element, "title", _cut_markup(markup, limit))
    if len(markup) <= limit and len(text) <= MAX_TITLE_CHARACTERS:
        return text
    tally.titles_cut += 1
    return _cut_at_word(text, MAX_TITLE_CHARACTERS - 1) + "…"


def _cut_at_word(text: str, limit: int) -> str:
    """At most `limit` characters of `text`, ending at a word's end where one is near."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip()


def _text(element: Mapping[str, Any], key: str, markup: str) -> str:
    """A title's `markup` as one line of plain text, read by the type the feed gave it."""
    detail = _mapping(element.get(f"{key}_detail"))
    return plain_text(_as_html(markup, detail.get("type")))


def _string(value: object) -> str:
    """Text where feedparser gave text, "" for what it gives instead (None on some errors)."""
    return value if isinstance(value, str) else ""


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _sequence(value: object) -> Sequence[Any]:
    return value if isinstance(value, list | tuple) else ()


def _as_html(value: str, content_type: object) -> str:
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
    if not link or not link.strip() or len(link) > MAX_ADDRESS_CHARACTERS:
        return None
    link = link.strip()
    try:
        absolute = link if urlsplit(link).scheme else urljoin(base, link)
    except ValueError:  # "http://[::1" and the like
        return None
    if absolute == base or len(absolute) > MAX_ADDRESS_CHARACTERS:  # a long base: no address
        return None
    return web_link(absolute)


def _link(entry: Mapping[str, Any], feed_url: str, web_ids: Callable[[], set[str]]) -> str | None:
    """The entry's web page. Without a <link>, RSS makes the guid the page unless it says
    isPermaLink="false" (feedparser an Atom <id> too), resolved against the feed's address:
    a bare "12345" would become a page of the feed's host that does not exist. Such a link is
    kept only if the id was written as a web address (`web_ids`: those of the document)."""
    link = _web_link(feed_url, _string(entry.get("link")))
    if link and entry.get("guidislink") and entry.get("link") == entry.get("id"):
        return link if link in web_ids() else None
    return link


def _web_ids(body: bytes, encoding: str | None) -> set[str]:
    """Every <guid> and <id> of the document written as a web address (before feedparser
    resolved them against the feed's address), as web_link gives it."""
    try:
        text = body.decode(encoding or "utf-8", errors="replace")
    except (LookupError, ValueError):
        # An encoding Python does not know, or one that takes no "replace" (idna): feedparser
        # read it otherwise.
        text = body.decode("utf-8", errors="replace")
    written = (
        (cdata or html.unescape(plain)).strip() for cdata, plain in _ID_ELEMENT.findall(text)
    )
    return {link for link in map(web_link, written) if link}


def _identity(entry_id: str, feed_url: str) -> str:
    """The store's key for an entry's id: URLs and other URIs ("tag:", "urn:") are unique
    as they stand; a bare id ("2531001") only within its publisher, so the feed's host is
    put before it, or two publishers' item 2531001 would be one story."""
    if len(entry_id) > MAX_ADDRESS_CHARACTERS:
        return "sha256:" + hashlib.sha256(entry_id.encode(errors="replace")).hexdigest()
    if ":" in entry_id:
        return entry_id
    return f"{urlsplit(feed_url).hostname or feed_url}/{entry_id}"


def _digest(entry: Mapping[str, Any]) -> str:
    published = entry.get("published") or entry.get("updated") or ""
    key = f"{entry.get('title', '')}\n{published}"
    return "sha256:" + hashlib.sha256(key.encode(errors="replace")).hexdigest()


def _published(entry: Mapping[str, Any]) -> datetime | None:
    # feedparser gives the date as a struct_time in UTC, whatever zone the feed wrote.
    parsed: time.struct_time | None = entry.get("published_parsed") or entry.get("updated_parsed")
    if not isinstance(parsed, time.struct_time):
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None
