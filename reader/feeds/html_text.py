"""Feed HTML -> blocks of plain text: paragraphs and subheadings, with links kept as data.

Feed text is untrusted and often broken. Nothing here raises on malformed HTML, nothing that
came from a tag reaches the text, and entities are decoded to what the publisher meant, however
many times the feed escaped them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urlsplit

from reader.feeds.items import MAX_ADDRESS_CHARACTERS, Block
from reader.model import Link, ParagraphKind
from reader.text import ends_as_sentence

# Only `&name;`, `&#N;` and `&#xN;` count as entities here: html.unescape also decodes legacy
# names without the semicolon ("&copy"), which would alter plain text such as "Q&copy".
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_MAX_DECODE_ROUNDS = 4

# A document without anything like a tag is plain text, even if it holds "<" ("3 < 5").
_TAG_LIKE = re.compile(r"<[A-Za-z/!?]")
_BLANK_LINE = re.compile(r"\n\s*\n")

# Dropped with everything inside them: code, media and their captions are not the article.
_DROPPED = frozenset(
    "script style iframe figure figcaption video audio noscript svg object template head".split()
)
_HEADINGS = frozenset(f"h{level}" for level in range(1, 7))
_BLOCKS = _HEADINGS | frozenset(
    "p div li blockquote ul ol dl dt dd table tr td th pre hr"
    " section article header footer aside main nav address form".split()
)
_BOLD = frozenset({"strong", "b"})
# A link is kept only if the reader can safely open it; the text stays either way.
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})

_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.{3,}|…)\s*\]|\.{3,}|…)\s*\Z")


def decode_entities(text: str) -> str:
    """Text with its entities decoded, over as many levels as the feed escaped them.

    `&amp;amp;` reads `&`, `&amp;#8220;` reads `“`; text without entities ("AT&T") is
    returned unchanged.
    """
    for _ in range(_MAX_DECODE_ROUNDS):
        decoded = _ENTITY.sub(lambda match: html.unescape(match[0]), text)
        if decoded == text:
            break
        text = decoded
    return text


def html_to_blocks(
    markup: str, resolve_link: Callable[[str], str | None] | None = None
) -> list[Block]:
    """Paragraphs and subheadings of a feed item's HTML (or plain text), as plain text.

    `resolve_link` makes a link's address absolute (None: the link is dropped); without it,
    only absolute addresses are kept.
    """
    if not _TAG_LIKE.search(markup):
        paragraphs = (_clean(part) for part in _BLANK_LINE.split(_unify_newlines(markup)))
        return [Block(ParagraphKind.BODY, text) for text in paragraphs if text]
    collector = _BlockCollector(resolve_link)
    collector.feed(markup)
    collector.close()
    return collector.blocks


def plain_text(markup: str) -> str:
    """HTML (or plain text) as one line of text: for titles."""
    return " ".join(block.text for block in html_to_blocks(markup))


def is_cut(text: str) -> bool:
    """Whether a summary was cut short by its publisher.

    It was if it ends with an ellipsis ("...", "…", "[…]", "[...]") or without the punctuation a
    sentence ends with (. ! ? : or a closing quote or bracket): NU.nl-style summaries stop
    mid-word. A complete summary without a full stop is taken as cut too; the reader then only
    offers the link to the full text.
    """
    text = text.rstrip()
    if not text:
        return False
    return bool(_ELLIPSIS.search(text)) or not ends_as_sentence(text)


def strip_ellipsis(text: str) -> str:
    """Text without the ellipsis it ends with, if any: the reader shows its own marker."""
    return _ELLIPSIS.sub("", text)


def _clean(text: str) -> str:
    # Entities first: a decoded `&#10;` is whitespace like any other. Whitespace is Python's,
    # so no-break spaces and the separators \x1c-\x1f become plain spaces too.
    return " ".join(decode_entities(text).split())


def _unify_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_linkable(href: str) -> bool:
    if len(href) > MAX_ADDRESS_CHARACTERS:
        return False
    try:
        return urlsplit(href).scheme.lower() in _LINK_SCHEMES
    except ValueError:  # "http://[broken" and the like
        return False


class _BlockCollector(HTMLParser):
    """Collects blocks as the parser walks the HTML; a block ends where a block element starts
    or ends, and at two <br> in a row."""

    def __init__(self, resolve_link: Callable[[str], str | None] | None) -> None:
        # One level of entities is decoded by the parser; _clean decodes any further levels.
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._resolve_link = resolve_link
        self._dropping: list[str] = []  # open dropped elements, innermost last
        self._heading_depth = 0
        self._opened_by: str | None = None  # the tag that opened the block; None for loose text
        self._text: list[str] = []
        self._links: list[Link] = []
        self._plain_text_seen = False  # text outside <strong>/<b> in this block
        self._bold_depth = 0
        self._after_br = False
        self._href: str | None = None  # the open link's target
        self._link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self._dropping.append(tag)
        elif self._dropping:
            return
        elif tag == "br":
            if self._after_br:
                self._flush()
            else:
                self._text.append("\n")
                if self._href is not None:  # the link's text reads as the paragraph does
                    self._link_text.append("\n")
                self._after_br = True
        elif tag in _BLOCKS:
            self._flush()
            self._opened_by = tag
            if tag in _HEADINGS:
                self._heading_depth += 1
        elif tag == "a":
            self._end_link()
            href: str | None = (dict(attrs).get("href") or "").strip()
            if href and self._resolve_link is not None:
                href = self._resolve_link(href)
            if href and _is_linkable(href):
                self._href = href
        elif tag in _BOLD:
            self._bold_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self._dropping:
            if tag in self._dropping:
                # Close the innermost open element of that name, and anything left open in it.
                del self._dropping[len(self._dropping) - 1 - self._dropping[::-1].index(tag) :]
        elif tag in _BLOCKS:
            self._flush()
            self._opened_by = None
            if tag in _HEADINGS:
                self._heading_depth = max(0, self._heading_depth - 1)
        elif tag == "a":
            self._end_link()
        elif tag in _BOLD:
            self._bold_depth = max(0, self._bold_depth - 1)

    def handle_data(self, data: str) -> None:
        if self._dropping:
            return
        self._text.append(data)
        if self._href is not None:
            self._link_text.append(data)
        if data.strip():
            self._after_br = False
            if not self._bold_depth:
                self._plain_text_seen = True

    def close(self) -> None:
        # A tag or comment the document ends inside is dropped, as browsers drop it; the parser
        # would hand it over as text.
        if _TAG_LIKE.match(self.rawdata):
            self.rawdata = ""
        super().close()
        self._flush()

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            # Python before 3.13 asserts on "<![foo[": skip it like a browser skips a bogus
            # comment, up to the next ">" (-1 asks the parser for more input, as it does itself).
            end = self.rawdata.find(">", i)
            return -1 if end < 0 else end + 1

    def _flush(self) -> None:
        self._end_link_part()
        text = _clean("".join(self._text))
        if text:
            self.blocks.append(Block(self._kind(text), text, tuple(self._links)))
        self._text = []
        self._links = []
        self._plain_text_seen = False
        self._after_br = False

    def _kind(self, text: str) -> ParagraphKind:
        # NOS marks subheadings as a paragraph in bold; a bold sentence is emphasis, not one.
        bold_paragraph = self._opened_by == "p" and not self._plain_text_seen
        if self._heading_depth or (bold_paragraph and not text.endswith(".")):
            return ParagraphKind.SUBHEADING
        return ParagraphKind.BODY

    def _end_link_part(self) -> None:
        # A link around several blocks gives each block its part; the link stays open.
        if self._href is not None:
            text = _clean("".join(self._link_text))
            if text:
                self._links.append(Link(text, self._href))
        self._link_text = []

    def _end_link(self) -> None:
        self._end_link_part()
        self._href = None
