"""Hostile feed documents against parse_feed and the conversion (issue #13, points 1 and 2).

A document that would grow when parsed (entities, attribute defaults) is refused before it
is parsed, however it hides its declarations; every item is bounded, whatever the document;
what feedparser gives in odd shapes (None where text belongs) costs at most that entry; and a
seeded mutation fuzz of the sample feeds shows that parse_feed and the conversion to Articles
never raise and always keep the bounds.
"""

from __future__ import annotations

import random
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import reader.feeds.parse
from reader.feeds.items import (
    MAX_ADDRESS_CHARACTERS,
    MAX_ITEM_CHARACTERS,
    MAX_TITLE_CHARACTERS,
    FeedItem,
    feed_article,
)
from reader.feeds.parse import NotAFeed, ParsedFeed, parse_feed
from reader.feeds.refresh import Status, refresh_feeds
from reader.feeds.settings import FeedSettings
from reader.feeds.store import FeedStore
from reader.feeds.subscriptions import Subscription
from reader.model import Link
from tests.feed_server import FeedServer, Route

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FEEDS = FIXTURES / "feeds"
BROKEN_END_TAG = FIXTURES / "hostile" / "feed_broken_end_tag.xml"
FEED_URL = "https://feeds.example.nl/rss/nieuws.xml"
NOW = datetime(2024, 11, 16, 12, 0, tzinfo=UTC)
REFUSED = "refused: the document declares "


def rss(items: str, prolog: str = '<?xml version="1.0" encoding="utf-8"?>\n') -> bytes:
    return (
        f"{prolog}<rss version='2.0' xmlns:content='http://purl.org/rss/1.0/modules/content/'>"
        f"<channel><title>Vijandig</title>{items}</channel></rss>"
    ).encode()


def entity_bomb(references: int = 3_000, size: int = 100_000) -> bytes:
    """The issue's document: 109 KB, an entity of 100,000 characters used 3,000 times; expat
    stops on its amplification limit and feedparser's loose parser expands it (300 MB)."""
    return rss(
        f"<item><title>Kop</title><description>{'&a;' * references}</description></item>",
        prolog=f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "{"A" * size}">\n]>\n',
    )


def text_size(item: FeedItem) -> int:
    return sum(len(block.text) for block in item.blocks)


# --- point 1: documents that grow when parsed are refused ---------------------------------


def test_the_issues_entity_expansion_is_refused_before_parsing() -> None:
    body = entity_bomb()
    assert len(body) < 110_000
    started = time.perf_counter()
    result = parse_feed(body, FEED_URL)
    assert time.perf_counter() - started < 1.0
    assert result == NotAFeed(
        REFUSED + "an entity of 100,000 characters (<!ENTITY>), longer than its reference,"
        " which could expand it without bound"
    )


USES = "<item><title>Kop</title><description>{}</description></item>"
# Each grew its document to megabytes before (a few hundred references of a long value), in a
# way feedparser's own clean-up of the DOCTYPE lets through; the attribute default grew what
# feedparser builds (6 MB of enclosures), not the text.
GROWING = {
    # A comment before the DOCTYPE on its line: feedparser leaves the DOCTYPE to expat.
    "a DOCTYPE that expat reads": rss(
        USES.format("&a;" * 300),
        prolog=f'<!-- x --><!DOCTYPE rss [<!ENTITY a "{"&#65;" * 20_000}">]>',
    ),
    "the XML declaration on the DOCTYPE's line": rss(
        USES.format("&a;" * 300),
        prolog=f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{"B" * 20_000}">]>',
    ),
    # feedparser decodes with the declared encoding: "\\x3c" is "<" once decoded.
    "a declaration hidden by the encoding": rss(
        USES.format("&a;" * 300),
        prolog=(
            '<?xml version="1.0" encoding="unicode_escape"?>\n<!DOCTYPE rss [\n'
            f'\\x3c!ENTITY a "{"C" * 20_000}">\n]>\n'
        ),
    ),
    # "&#38;" is "&": the value refers to another entity once read (3 MB of text, below
    # expat's amplification limit).
    "entities made of other entities": rss(
        USES.format("&b;" * 300),
        prolog=(
            f'<!-- x --><!DOCTYPE rss [<!ENTITY a "{"D" * 1_000}"><!ENTITY b "{"&#38;a;" * 10}">]>'
        ),
    ),
    "a parameter entity that declares one": rss(
        USES.format("&a;" * 300),
        prolog=f"<!-- x --><!DOCTYPE rss [<!ENTITY % p \"<!ENTITY a '{'E' * 20_000}'>\"> %p;]>",
    ),
    # An attribute default is copied into every element it applies to.
    "attribute defaults": rss(
        "<item><title>Kop</title>" + "<enclosure/>" * 300 + "</item>",
        prolog=(
            '<!-- x --><!DOCTYPE rss [<!ATTLIST enclosure url CDATA "https://nos.nl/'
            + "F" * 20_000
            + '">]>'
        ),
    ),
    # Declarations are looked for in the DTD and before the first element only; each of these
    # puts something that looks like the first element before the entity, in the DTD.
    "a tag in an entity's value before it": rss(
        USES.format("&a;" * 300),
        prolog=f'<!DOCTYPE rss [<!ENTITY x "]><b>"><!ENTITY a "{"G" * 20_000}">]>',
    ),
    "a tag in a comment in the DTD": rss(
        USES.format("&a;" * 300),
        prolog=f'<!DOCTYPE rss [<!-- <x> --><!ENTITY a "{"H" * 20_000}">]>',
    ),
    "a DOCTYPE in a comment before the DTD": rss(
        USES.format("&a;" * 300),
        prolog=f'<!-- <!DOCTYPE x> --><!DOCTYPE rss [<?pi <b?><!ENTITY a "{"I" * 20_000}">]>',
    ),
}


@pytest.mark.parametrize("body", GROWING.values(), ids=GROWING.keys())
def test_a_document_that_would_grow_when_parsed_is_refused(body: bytes) -> None:
    result = parse_feed(body, FEED_URL)
    assert isinstance(result, NotAFeed), f"parsed: {sum(map(text_size, result.items)):,}"
    assert result.reason.startswith(REFUSED)
    assert result.reason.endswith(" could expand it without bound")


def test_entities_no_longer_than_their_reference_are_read() -> None:
    # Seen in feeds written by hand: HTML's names declared for XML.
    prolog = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY copy "\u00a9">\n'
        '<!ENTITY mdash "&#8212;">\n]>\n'
    )
    feed = parse_feed(rss(USES.format("Tekst &mdash; &copy; NOS."), prolog=prolog), FEED_URL)
    assert isinstance(feed, ParsedFeed), feed
    assert feed.items[0].blocks[0].text == "Tekst \u2014 \u00a9 NOS."


def test_an_article_quoting_declarations_in_its_text_is_read() -> None:
    """The whole document was searched for <!ENTITY: a security feed's article quoting an XXE
    example refused the feed (#13 review). Its text declares nothing to any parser."""
    quoted = (
        '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd"> <!ENTITY lol "lollollollol">'
        ' <!ATTLIST a href CDATA "x">]>'
    )
    body = rss(
        f"<item><title>XXE uitgelegd</title><description><![CDATA[<p>Een aanvaller stuurt"
        f" <code>{quoted}</code></p>]]></description></item>" + USES.format("Ander nieuws.")
    )
    feed = parse_feed(body, FEED_URL)
    assert isinstance(feed, ParsedFeed), feed
    assert [item.blocks[0].text for item in feed.items] == [
        f"Een aanvaller stuurt {quoted}",
        "Ander nieuws.",
    ]


def peak_megabytes(body: bytes, url: str) -> tuple[ParsedFeed | NotAFeed, float]:
    """parse_feed's result, and the most memory Python held meanwhile, in MB."""
    tracemalloc.start()
    try:
        result = parse_feed(body, url)
        return result, tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


LINKS = "&lt;a href=&quot;b&quot;&gt;x&lt;/a&gt; "


def test_a_long_base_address_is_refused_before_links_repeat_it() -> None:
    """feedparser resolved every relative link of an item against its xml:base: a base of
    100,000 characters made a 180 KB document 600 MB (#13 review)."""
    base = "http://example.com/" + "a" * 100_000 + "/"
    item = f'<item xml:base="{base}"><title>x</title><description>{LINKS * 2_000}</description>'
    result, peak = peak_megabytes(rss(item + "</item>"), FEED_URL)
    assert result == NotAFeed(
        "refused: a base address (xml:base) of 100,020 characters, longer than 2,048, which"
        " every relative link would repeat"
    )
    assert peak < 20


def test_a_long_feed_address_is_no_base_for_its_links() -> None:
    """The feed's own address was the base: after a redirect to a 60 KB address, a 120 KB
    document peaked at 540 MB (#13 review). Its text is read; links too long are none."""
    url = "http://example.com/" + "a" * 60_000 + "/feed"
    item = f"<title>x</title><link>1</link><description>{LINKS * 1_000}</description>"
    feed, peak = peak_megabytes(rss(f"<item>{item}</item>" * 3), url)
    assert isinstance(feed, ParsedFeed), feed
    assert peak < 50
    assert [item.link for item in feed.items] == [None] * 3
    assert all(item.blocks[0].text.startswith("x x x") for item in feed.items)
    assert all(item.blocks[0].links == () for item in feed.items)


def test_nested_relative_base_addresses_add_up_and_are_refused() -> None:
    """Each relative xml:base is joined to the one around it: 2,000 nested ones of 9
    characters cost feedparser seconds and bases of 18,000 characters each."""
    nested = '<x xml:base="aaaaaaaa/">' * 2_000 + "</x>" * 2_000
    result = parse_feed(rss(f"<item><title>x</title>{nested}</item>"), FEED_URL)
    assert result == NotAFeed(
        "refused: relative base addresses (xml:base) of 18,000 characters together, more than"
        " 2,048: nested, each adds to the one around it"
    )


def test_relative_links_resolve_against_the_feed_and_the_items_base() -> None:
    body = rss(
        USES.format("&lt;p&gt;Zie &lt;a href='/artikel/9'&gt;dit&lt;/a&gt;.&lt;/p&gt;")
        + "<item xml:base='https://nos.nl/nieuws/'><title>Kop</title><description>"
        "&lt;p&gt;Zie &lt;a href='artikel/10'&gt;dat&lt;/a&gt;.&lt;/p&gt;</description></item>"
    )
    feed = parse_feed(body, FEED_URL)
    assert isinstance(feed, ParsedFeed), feed
    assert [item.blocks[0].links for item in feed.items] == [
        (Link("dit", "https://feeds.example.nl/artikel/9"),),
        (Link("dat", "https://nos.nl/nieuws/artikel/10"),),
    ]


def test_resolved_links_take_at_most_a_million_characters_beyond_the_document() -> None:
    """A base just within its bound, and 4,000 short links: each resolves to 2,000
    characters, 8 million together; what is beyond the budget is dropped, and said."""
    base = "http://example.com/" + "a" * 1_980 + "/"
    item = f'<item xml:base="{base}"><title>x</title><description>{LINKS * 4_000}</description>'
    body = rss(item + "</item>")
    feed = parse_feed(body, FEED_URL)
    assert isinstance(feed, ParsedFeed), feed
    links = [link for block in feed.items[0].blocks for link in block.links]
    assert sum(len(link.href) for link in links) <= len(body) + 1_000_000
    assert 0 < len(links) < 4_000
    assert feed.problems == (
        f"{4_000 - len(links):,} relative links dropped: resolved, the links would outgrow the"
        " document",
    )


def test_a_refresh_refuses_the_bomb_and_stores_the_other_feeds(tmp_path: Path) -> None:
    with FeedServer() as server, FeedStore.open(tmp_path / "feeds.sqlite3") as store:
        bomb = server.add("/bom.xml", Route(entity_bomb()))
        good = server.add("/nos.xml", Route((FEEDS / "rss2_full.xml").read_bytes()))
        subscriptions = [Subscription(bomb), Subscription(good)]
        outcomes = {
            outcome.subscription.url: outcome
            for outcome in refresh_feeds(subscriptions, store, FeedSettings(timeout=5.0), NOW)
        }
        assert outcomes[bomb].status is Status.FAILED
        assert outcomes[bomb].reason is not None
        assert outcomes[bomb].reason.startswith(REFUSED + "an entity of 100,000 characters")
        assert outcomes[good].status is Status.NEW
        assert store.feed_counts() == {good: 4}


# --- point 1: what is kept of an item is bounded -------------------------------------------


def test_an_item_longer_than_its_bound_is_cut_at_a_word_and_said_so() -> None:
    paragraph = "Het kabinet trekt de komende vijf jaar 2,5 miljard euro extra uit. " * 8
    body = rss(
        "<item><title>Lang</title><guid>lang</guid><content:encoded><![CDATA["
        + f"<p>{paragraph}</p>" * 1_200
        + "]]></content:encoded></item>"
        + USES.format("Kort en goed.")
    )
    feed = parse_feed(body, FEED_URL)
    assert isinstance(feed, ParsedFeed)
    long, short = feed.items
    assert MAX_ITEM_CHARACTERS - len(paragraph) < text_size(long) <= MAX_ITEM_CHARACTERS
    whole, last = " ".join(paragraph.split()), long.blocks[-1].text
    assert whole.startswith(last) and whole[len(last)] == " "  # cut after a word, not in one
    assert long.cut and not short.cut  # the reader says so, and offers the web page
    assert short.blocks[0].text == "Kort en goed."
    assert feed.problems == ("1 item longer than 200,000 characters: cut",)


def test_markup_is_read_only_ten_times_as_far(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text after more markup than ten times an item's bound is not read: a text of tags
    alone costs time in proportion to what is kept, not to what was sent."""
    monkeypatch.setattr(reader.feeds.parse, "MAX_ITEM_CHARACTERS", 100)
    tags = "&lt;i&gt;" * 300  # 900 characters of markup once read
    feed = parse_feed(rss(USES.format(f"{tags}Gelezen.") + USES.format(f"{tags}{tags}x")), FEED_URL)
    assert isinstance(feed, ParsedFeed)
    read, unread = feed.items
    assert (read.blocks[0].text, read.cut) == ("Gelezen.", False)
    assert (unread.blocks, unread.cut) == ((), True)
    assert feed.problems == ("1 item longer than 100 characters: cut",)


def test_titles_ids_and_links_are_bounded() -> None:
    huge_title = "Kop " * 50_000
    huge_address = "https://nos.nl/" + "x" * MAX_ADDRESS_CHARACTERS
    body = rss(
        f"<item><title>{huge_title}</title><guid>{'id' * 50_000}</guid>"
        f"<link>{huge_address}</link>"
        f"<description>&lt;a href='{huge_address}'&gt;De tekst blijft.&lt;/a&gt;</description>"
        "</item>"
    )
    feed = parse_feed(body, FEED_URL)
    assert isinstance(feed, ParsedFeed)
    (item,) = feed.items
    assert len(item.title) <= MAX_TITLE_CHARACTERS and item.title.endswith(" Kop…")
    assert item.guid.startswith("sha256:") and len(item.guid) == 71
    assert item.link is None  # no page; the article is placed at its feed
    assert item.blocks[0].text == "De tekst blijft." and item.blocks[0].links == ()
    assert feed.problems == ("1 title longer than 1,000 characters: cut",)


def test_only_so_many_items_of_a_document_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader.feeds.parse, "MAX_ITEMS", 3)
    body = rss("".join(f"<item><title>Kop {n}</title></item>" for n in range(5)))
    feed = parse_feed(body, FEED_URL)
    assert isinstance(feed, ParsedFeed)
    assert [item.title for item in feed.items] == ["Kop 0", "Kop 1", "Kop 2"]
    assert feed.problems == ("5 items: only the first 3 read",)


# --- point 2: what feedparser gives in odd shapes is that entry's problem at most ----------


def test_a_mistyped_end_tag_leaves_the_other_items() -> None:
    # feedparser gives `summary: None` for the second item: the conversion raised TypeError.
    feed = parse_feed(BROKEN_END_TAG.read_bytes(), FEED_URL)
    assert isinstance(feed, ParsedFeed), feed
    assert [item.title for item in feed.items] == [
        "Gemeente verhoogt de ozb met 6 procent",
        "(untitled)",
        "Waterschap legt nieuwe stuw aan",
    ]
    assert feed.items[2].blocks[0].text == "De stuw bij Eibergen wordt volgend voorjaar vervangen."
    assert feed.problems == ("malformed XML, parsed what could be read (line 13: mismatched tag)",)


ODD = [None, 42, 4.2, ["lijst"], {"a": 1}, b"bytes", True]


@pytest.mark.parametrize("odd", ODD, ids=map(repr, ODD))
def test_any_value_where_feedparser_should_give_text(
    odd: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = "title title_detail link id guidislink content summary summary_detail published"
    entry = dict.fromkeys([*keys.split(), "published_parsed", "updated_parsed", "updated"], odd)
    good = {"title": "Goed", "summary": "Tekst.", "id": "goed"}
    parsed: dict[str, Any] = {
        "entries": [entry, good, odd],
        "feed": {"title": odd, "link": odd, "title_detail": odd},
        "version": "rss20",
        "encoding": odd,
    }
    monkeypatch.setattr(reader.feeds.parse.feedparser, "parse", lambda *_, **__: parsed)
    feed = parse_feed(rss(""), FEED_URL)
    assert isinstance(feed, ParsedFeed)
    assert feed.items[-1] == FeedItem(
        "feeds.example.nl/goed", "Goed", None, None, feed.items[-1].blocks
    )
    assert feed.title == "feeds.example.nl"


def test_an_entry_that_breaks_the_conversion_costs_only_that_entry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = reader.feeds.parse.html_to_blocks

    def html_to_blocks_with_a_bug(markup: str, resolve_link: Any = None) -> object:
        if "kapot" in markup:
            raise RuntimeError("a bug")
        return real(markup, resolve_link)

    monkeypatch.setattr(reader.feeds.parse, "html_to_blocks", html_to_blocks_with_a_bug)
    feed = parse_feed(rss(USES.format("Goed.") + USES.format("kapot") * 2), FEED_URL)
    assert isinstance(feed, ParsedFeed)
    assert [item.blocks[0].text for item in feed.items] == ["Goed."]
    assert feed.problems == ("2 items could not be read (RuntimeError: a bug)",)


# --- point 2: a fuzz of the sample feeds ---------------------------------------------------

SAMPLES = [path.read_bytes() for path in sorted(FEEDS.glob("*.xml"))] + [
    BROKEN_END_TAG.read_bytes()
]
# What breaks feeds in the wild, and what broke the conversion: stray and mistyped end tags.
PIECES = [
    b"</", b"<", b">", b"&", b"&amp;", b"&#0;", b"&#x110000;", b"&nbsp;", b"]]>", b"<![CDATA[",
    b"<!--", b"-->", b"\x00", b"\xff", b"\xc3", b'"', b"'", b"<br>", b"<p>", b"</p>",
    b"</content:encoded>", b"</tXtle>", b"</description>", b"<summary>", b"</item>",
    b"<a href='", b"<!DOCTYPE rss>", b"<?xml version='1.0' encoding='latin-1'?>",
]  # fmt: skip


def mutations(seed: int, count: int) -> Iterator[bytes]:
    """`count` sample feeds, each with one to four random edits: a byte replaced, a run
    dropped, doubled or a piece of PIECES put in, an end tag's name misspelled."""
    rng = random.Random(seed)
    for _ in range(count):
        body = bytearray(rng.choice(SAMPLES))
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(body) + 1)
            run = slice(at, min(len(body), at + rng.randint(1, 40)))
            match rng.randrange(5):
                case 0 if body:
                    body[min(at, len(body) - 1)] = rng.randrange(256)
                case 1:
                    del body[run]
                case 2:
                    body[at:at] = body[run]
                case 3:
                    body[at:at] = rng.choice(PIECES)
                case _:
                    end_tag = body.find(b"</", at)
                    if 0 <= end_tag < len(body) - 3:
                        body[end_tag + 3] = ord(rng.choice("XyZ"))
        yield bytes(body)


def test_parse_feed_and_the_conversion_never_raise_on_mutated_feeds() -> None:
    """2,000 seeded mutations (before the fix, about 1 in 70 raised TypeError)."""
    started = time.perf_counter()
    for body in mutations(seed=13, count=2_000):
        feed = parse_feed(body, FEED_URL, "application/rss+xml")
        assert isinstance(feed, ParsedFeed | NotAFeed)
        if isinstance(feed, NotAFeed):
            continue
        assert all(isinstance(problem, str) for problem in feed.problems)
        for item in feed.items:
            assert text_size(item) <= MAX_ITEM_CHARACTERS
            assert len(item.title) <= MAX_TITLE_CHARACTERS
            article = feed_article(item, feed.title, FEED_URL, fetched=NOW)
            assert article.title == item.title and article.guid == item.guid
    assert time.perf_counter() - started < 30  # some 4 s on a laptop
