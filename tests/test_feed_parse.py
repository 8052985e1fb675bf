"""Fetched documents to ParsedFeed or NotAFeed: exact on the sample feeds, total on any bytes."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.feeds.items import Block, FeedItem, feed_article
from reader.feeds.parse import NotAFeed, ParsedFeed, parse_feed
from reader.model import Link, ParagraphKind

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
FEED_URL = "https://feeds.example.nl/rss/nieuws.xml"

BODY = ParagraphKind.BODY
SUBHEADING = ParagraphKind.SUBHEADING


def parse_fixture(name: str, content_type: str | None = None) -> ParsedFeed:
    result = parse_feed((FEEDS / name).read_bytes(), FEED_URL, content_type)
    assert isinstance(result, ParsedFeed), result
    return result


def utc(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=UTC)


# --- RSS 2.0 with full text --------------------------------------------------------------


def test_rss2_full_channel() -> None:
    feed = parse_fixture("rss2_full.xml")
    assert (feed.title, feed.link, feed.problems) == ("NOS Nieuws - Algemeen", "https://nos.nl", ())
    assert [item.guid for item in feed.items] == [
        # A bare id is unique only within its publisher: the feed's host goes before it.
        "feeds.example.nl/nos-2531001",
        "feeds.example.nl/nos-2531002",
        "feeds.example.nl/nos-2531003",
        # No guid: the link is the identity.
        "https://feeds.example.nl/artikel/2531004-weerbericht-morgen-kans-op-15-millimeter-regen",
    ]
    assert [item.published for item in feed.items] == [
        utc(2024, 11, 12, 13, 32, 5),  # +0100
        utc(2024, 11, 12, 7, 48),  # GMT
        utc(2024, 11, 12, 10, 2, 30),
        utc(2024, 11, 12, 15, 0),
    ]
    assert not any(item.cut for item in feed.items)


def test_rss2_full_text_comes_from_content_encoded() -> None:
    item = parse_fixture("rss2_full.xml").items[0]
    assert item.title == "Kabinet trekt 2,5 miljard euro extra uit voor woningbouw"
    assert item.link == (
        "https://nos.nl/artikel/2531001-kabinet-trekt-2-5-miljard-euro-extra-uit-voor-woningbouw"
    )
    assert item.blocks == (
        Block(
            BODY,
            "Het kabinet trekt de komende vijf jaar 2,5 miljard euro extra uit voor de bouw van"
            " betaalbare woningen. Dat heeft minister Van Dalen van Volkshuisvesting vandaag"
            " bekendgemaakt.",
        ),
        Block(
            BODY,
            "Volgens het ministerie moeten er tot 2030 jaarlijks 100.000 woningen bij komen."
            ' "We lopen achter, dat weten we allemaal", aldus minister Van Dalen.',
        ),
        Block(SUBHEADING, "Gemeenten kritisch"),
        Block(
            BODY,
            "De Vereniging van Nederlandse Gemeenten (VNG) noemt het bedrag onvoldoende."
            " Volgens de VNG is er minstens 4 miljard euro nodig.",
            (
                Link(
                    "onvoldoende",
                    "https://nos.nl/artikel/2530877-gemeenten-luiden-noodklok-over-woningbouw",
                ),
            ),
        ),
        Block(SUBHEADING, "Wat betekent dit voor huurders?"),
        Block(
            BODY,
            "Huurders merken er op korte termijn weinig van, zegt een woordvoerder van de"
            " Woonbond.",
        ),
    )


def test_rss2_full_breaks_lists_quotes_and_drops_figures() -> None:
    item = parse_fixture("rss2_full.xml").items[1]
    assert [block.text for block in item.blocks] == [
        "Bij een explosie in een portiekflat in Rotterdam-Zuid zijn vannacht drie mensen gewond"
        " geraakt, meldt de politie.",
        "De ontploffing gebeurde rond 03.15 uur. Volgens de politie zijn twee bewoners met"
        " brandwonden naar het ziekenhuis gebracht.",
        "Een derde bewoner raakte lichtgewond.",
        '"Het hele gebouw trilde", zegt een buurtbewoner.',
        "Twaalf woningen zijn ontruimd.",
        "De brandweer onderzoekt de oorzaak.",
    ]


def test_rss2_full_keeps_markup_literal() -> None:
    item = parse_fixture("rss2_full.xml").items[2]
    assert (
        item.title == "Teamnaam [@click=app.quit] zorgt voor ophef bij [bold]e-sporttoernooi[/bold]"
    )
    assert item.blocks == (
        Block(
            BODY,
            "Een team dat zich [@click=app.quit] noemde, is uitgesloten van een e-sporttoernooi"
            " in Eindhoven. Volgens de organisatie brak de naam [bold]de scoreborden[/bold]"
            " van 14 deelnemers.",
        ),
    )


def test_rss2_full_relative_link_and_plain_description() -> None:
    item = parse_fixture("rss2_full.xml").items[3]
    assert item.link == (
        "https://feeds.example.nl/artikel/2531004-weerbericht-morgen-kans-op-15-millimeter-regen"
    )
    assert item.blocks == (
        Block(
            BODY,
            "Morgen valt er in het noorden van het land tot 15 millimeter regen, verwacht het"
            " KNMI.",
        ),
    )
    assert item.cut is False


def test_feed_article_leads_with_the_first_paragraph_and_keeps_links() -> None:
    feed = parse_fixture("rss2_full.xml")
    item = feed.items[0]
    article = feed_article(item, feed.title, FEED_URL)
    assert [paragraph.kind for paragraph in article.paragraphs] == [
        ParagraphKind.LEAD,
        BODY,
        SUBHEADING,
        BODY,
        SUBHEADING,
        BODY,
    ]
    assert article.paragraphs[3].links == item.blocks[3].links
    assert article.paragraphs[3].links[0].text in article.paragraphs[3].text
    assert (article.source, article.file, article.line) == ("NOS Nieuws - Algemeen", item.link, 0)
    assert (article.guid, article.published, article.cut) == (item.guid, item.published, False)


# --- RSS 2.0 with summaries only ---------------------------------------------------------


def test_rss2_summaries_cut_by_the_publisher() -> None:
    feed = parse_fixture("rss2_summary_cut.xml")
    assert (feed.title, feed.link) == ("NU - Algemeen", "https://www.nu.nl/algemeen")
    assert [item.guid for item in feed.items] == [
        f"https://www.nu.nl/-/633410{number}/" for number in range(1, 5)
    ]
    assert [item.cut for item in feed.items] == [True, True, False, True]
    # The publisher's ellipsis is gone: the reader shows its own marker.
    assert [item.blocks for item in feed.items] == [
        (
            Block(
                BODY,
                "Het aantal faillissementen is in oktober met 18 procent gestegen ten opzichte van"
                " dezelfde maand vorig jaar, meldt het Centraal Bureau voor de Statistiek (CBS)."
                " Volgens het CBS gingen er 362 bedrij",
            ),
        ),
        (
            Block(
                BODY,
                "De NS rijdt vanaf december 5 procent meer treinen op de drukste trajecten. Dat"
                " maakte de vervoerder maandag bekend. Reizigers tussen Amsterdam en Eindhoven"
                " krijgen er elk kwartier een intercity bij",
            ),
        ),
        (
            Block(
                BODY,
                "Een 34-jarige man uit Almere is aangehouden op verdenking van betrokkenheid bij"
                " zeker 21 inbraken in Flevoland, zegt de politie.",
            ),
        ),
        (
            Block(
                BODY,
                'Flitsbezorgers moeten zich aan strengere regels gaan houden. "Woonwijken zijn'
                ' geen distributiecentra", aldus minister Bakker. Gemeenten krijgen volgens het'
                " wetsvoorstel de bevoegdheid om",
            ),
        ),
    ]


def test_cut_is_only_judged_on_summaries() -> None:
    body = _rss_item(
        "<description>Samenvatting...</description>"
        "<content:encoded><![CDATA[<p>Volledige tekst zonder punt</p>]]></content:encoded>"
    )
    (item,) = _items(body)
    assert (item.cut, item.blocks) == (False, (Block(BODY, "Volledige tekst zonder punt"),))


def test_a_summary_that_is_only_an_ellipsis_leaves_no_block() -> None:
    (item,) = _items(_rss_item("<title>Alleen een kop</title><description>[…]</description>"))
    assert (item.title, item.blocks, item.cut) == ("Alleen een kop", (), True)


# --- Atom --------------------------------------------------------------------------------


def test_atom() -> None:
    feed = parse_fixture("atom.xml")
    assert (feed.title, feed.link, feed.problems) == (
        "RTV Oost-Gelre - Regionieuws",
        "https://www.rtv-oost-gelre.nl/",
        (),
    )
    assert [item.guid for item in feed.items] == [
        "tag:rtv-oost-gelre.nl,2024:20241112-fietspaden",
        "tag:rtv-oost-gelre.nl,2024:20241112-boerderijbrand",
        "tag:rtv-oost-gelre.nl,2024:20241111-ozb",
    ]
    assert [item.title for item in feed.items] == [
        "Provincie investeert 12 miljoen in fietspaden rond Winterswijk",
        "Brand in boerderij Lichtenvoorde: 40 koeien gered",
        "Gemeente Berkelland verhoogt ozb met 6 procent",
    ]
    assert [item.link for item in feed.items] == [
        "https://www.rtv-oost-gelre.nl/nieuws/20241112-fietspaden",
        # Relative to the feed's xml:base.
        "https://www.rtv-oost-gelre.nl/nieuws/20241112-boerderijbrand",
        "https://www.rtv-oost-gelre.nl/nieuws/20241111-ozb",
    ]
    assert [item.published for item in feed.items] == [
        utc(2024, 11, 12, 14, 45),
        utc(2024, 11, 12, 8, 10),
        utc(2024, 11, 11, 18, 30),
    ]
    assert [item.cut for item in feed.items] == [False, False, False]


def test_atom_html_xhtml_and_text_content() -> None:
    html_item, xhtml_item, text_item = parse_fixture("atom.xml").items
    assert [(block.kind, block.text[:30]) for block in html_item.blocks] == [
        (BODY, "De provincie Gelderland steekt"),
        (SUBHEADING, "Snelfietsroute"),
        (BODY, "Het grootste deel, 7,4 miljoen"),
    ]
    assert html_item.blocks[2].text.endswith(
        '"Dit scheelt forenzen een kwartier per dag", aldus Hendriks.'
    )
    assert xhtml_item.blocks == (
        Block(
            BODY,
            "Bij een grote brand in een boerderij in Lichtenvoorde zijn vannacht 40 koeien gered,"
            " meldt de brandweer.",
        ),
        Block(
            BODY,
            "Volgens de veiligheidsregio is niemand gewond geraakt.",
            (
                Link(
                    "veiligheidsregio",
                    "https://www.veiligheidsregio-example.nl/brand-lichtenvoorde",
                ),
            ),
        ),
    )
    assert text_item.blocks == (
        Block(
            BODY,
            "Huiseigenaren in Berkelland betalen volgend jaar gemiddeld 6 procent meer ozb, zo"
            " heeft de gemeenteraad besloten.",
        ),
    )


def test_atom_text_is_not_read_as_html() -> None:
    body = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
        b"<entry><id>tag:x,2024:1</id><title type='text'>Tag &lt;b&gt; blijft</title>"
        b"<summary type='text'>Regel &lt;p&gt; ook.</summary></entry></feed>"
    )
    (item,) = _items(body)
    assert (item.title, item.blocks) == ("Tag <b> blijft", (Block(BODY, "Regel <p> ook."),))


# --- encodings and entities --------------------------------------------------------------

CP1252_TITLES = [
    "Café De Ruïne in Tilburg sluit na 62 jaar",
    "Entree museum stijgt naar € 17,50",
    "Première van \u2018Brabantse Nachten\u2019 uitverkocht",
]


@pytest.mark.parametrize(
    "content_type",
    [None, "text/xml", "application/rss+xml", "text/html", "text/xml; charset=windows-1252"],
)
def test_windows_1252_declared_in_the_prolog(content_type: str | None) -> None:
    feed = parse_fixture("rss2_cp1252.xml", content_type)
    assert feed.title == "Brabants Weekblad \u2013 Cultuur"
    assert [item.title for item in feed.items] == CP1252_TITLES
    assert [item.blocks[0].text for item in feed.items[:2]] == [
        "Het bekende café De Ruïne sluit eind december. \u201cHet is mooi geweest\u201d,"
        " zegt eigenaar Jansen.",
        "Een kaartje voor het museum kost vanaf januari € 17,50, één euro meer dan nu. De"
        " coöperatie achter het museum noemt de verhoging \u2018onvermijdelijk\u2019.",
    ]
    assert feed.problems == ()


def test_a_wrong_charset_header_is_noted_and_overruled() -> None:
    feed = parse_fixture("rss2_cp1252.xml", "text/xml; charset=utf-8")
    assert [item.title for item in feed.items] == CP1252_TITLES
    assert feed.problems == ("document declared as utf-8, but parsed as windows-1252",)


def test_the_charset_header_is_honoured() -> None:
    body = "<rss version='2.0'><channel><title>Ruïne €</title></channel></rss>".encode("cp1252")
    feed = parse_feed(body, FEED_URL, "application/rss+xml; charset=Windows-1252")
    assert isinstance(feed, ParsedFeed)
    assert feed.title == "Ruïne €"


def test_double_and_triple_escaped_entities() -> None:
    feed = parse_fixture("rss2_double_escaped.xml")
    assert feed.title == "Stadsblad Zwolle & omstreken"
    assert [item.title for item in feed.items] == [
        "Q&A met de burgemeester over de nieuwe parkeertarieven",
        'Wethouder: "Binnenstad blijft bereikbaar"',
        "PEC & Go Ahead Eagles spelen oefenduel voor goed doel",
    ]
    assert [item.blocks[0].text for item in feed.items] == [
        "\u201cWe zijn er klaar voor\u201d, zegt burgemeester Smit over de tarieven van"
        " 3,20 euro per uur.",
        'Volgens wethouder Mulder blijft de binnenstad "voor iedereen" bereikbaar.',
        "De opbrengst, naar verwachting 25.000 euro, gaat naar de voedselbank. Sponsor is AT&T.",
    ]


# --- older formats -----------------------------------------------------------------------


def test_rss1() -> None:
    feed = parse_fixture("rss1.xml")
    assert (feed.title, feed.link) == ("Waterschapsnieuws", "https://www.waterschapsnieuws.nl")
    assert feed.items == (
        FeedItem(
            guid="https://www.waterschapsnieuws.nl/berichten/dijkversterking-lek",
            title="Dijkversterking langs de Lek kost 410 miljoen euro",
            link="https://www.waterschapsnieuws.nl/berichten/dijkversterking-lek",
            published=utc(2024, 11, 10, 8, 0),
            blocks=(
                Block(
                    BODY,
                    "De versterking van 54 kilometer dijk langs de Lek kost 410 miljoen euro,"
                    " aldus het waterschap.",
                ),
            ),
        ),
        FeedItem(
            guid="https://www.waterschapsnieuws.nl/berichten/waterpeil-friesland",
            title="Waterpeil in Friesland 10 centimeter omhoog",
            link="https://www.waterschapsnieuws.nl/berichten/waterpeil-friesland",
            published=utc(2024, 11, 9, 13, 30),
            blocks=(
                Block(
                    BODY, "Wetterskip Fryslân verhoogt het peil in het voorjaar met 10 centimeter."
                ),
            ),
        ),
    )


def test_rss091() -> None:
    feed = parse_fixture("rss091.xml")
    assert (feed.title, feed.link) == ("Dorpskrant Ommen", "https://www.dorpskrant-ommen.nl")
    assert feed.items == (
        FeedItem(
            guid="https://www.dorpskrant-ommen.nl/kermis-2024",
            title="Kermis trekt 8000 bezoekers",
            link="https://www.dorpskrant-ommen.nl/kermis-2024",
            published=None,
            blocks=(Block(BODY, "De kermis trok dit jaar 8000 bezoekers, zegt de organisatie."),),
        ),
        FeedItem(
            guid="https://www.dorpskrant-ommen.nl/nieuwe-huisarts",
            title="Nieuwe huisarts in het dorp",
            link="https://www.dorpskrant-ommen.nl/nieuwe-huisarts",
            published=None,
            blocks=(),
        ),
    )


# --- broken documents and documents that are no feed --------------------------------------


def test_malformed_xml_with_a_readable_item() -> None:
    feed = parse_fixture("malformed.xml")
    assert feed.title == "Omroep Zeeland - Nieuws"
    assert [(item.guid, item.title) for item in feed.items] == [
        ("feeds.example.nl/oz-88121", "Veerdienst Vlissingen-Breskens vaart weer na storing")
    ]
    assert feed.problems == (
        "malformed XML, parsed what could be read (line 17: no element found)",
        "1 empty item(s) skipped",
    )


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty document"),
        (b" \r\n\t ", "empty document"),
        (
            b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Half</title>',
            "malformed XML at line 2: no element found",
        ),
        (b'{"items": []}', "malformed XML at line 2: not well-formed (invalid token)"),
        (
            b"<?xml version='1.0'?><catalogus><boek/></catalogus>",
            "not a feed: no RSS or Atom channel in the document",
        ),
    ],
)
def test_not_a_feed(body: bytes, reason: str) -> None:
    assert parse_feed(body, FEED_URL) == NotAFeed(reason)


XHTML_PAGE = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<!-- server -->\n'
    b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Onderhoud</p></body></html>'
)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ((FEEDS / "not_a_feed.html").read_bytes(), None),
        ((FEEDS / "not_a_feed.html").read_bytes(), "text/html; charset=utf-8"),
        (XHTML_PAGE, None),
        (b"<p>Geen html-element</p>", "application/xhtml+xml"),
    ],
)
def test_an_html_page_is_not_a_feed(body: bytes, content_type: str | None) -> None:
    assert parse_feed(body, FEED_URL, content_type) == NotAFeed(
        "not a feed: the document is HTML, not RSS or Atom"
    )


def test_a_feed_served_as_html_is_still_a_feed() -> None:
    feed = parse_fixture("rss1.xml", "text/html")
    assert len(feed.items) == 2


def test_an_empty_channel_is_a_feed_without_items() -> None:
    body = b"<rss version='2.0'><channel><title>Stil</title></channel></rss>"
    assert parse_feed(body, FEED_URL) == ParsedFeed("Stil", None, ())


def test_the_channel_title_falls_back_to_the_host() -> None:
    body = b"<rss version='2.0'><channel><title> </title></channel></rss>"
    feed = parse_feed(body, FEED_URL)
    assert isinstance(feed, ParsedFeed)
    assert feed.title == "feeds.example.nl"


def test_the_body_is_never_taken_for_a_file_name_or_address() -> None:
    # feedparser opens a str or bytes argument as a file if one exists by that name.
    assert isinstance(parse_feed(str(FEEDS / "rss1.xml").encode(), FEED_URL), NotAFeed)
    assert isinstance(parse_feed(b"https://nos.nl/feeds/nieuws.xml", FEED_URL), NotAFeed)


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "geheim.txt"
    secret.write_text("GEHEIM-WACHTWOORD", encoding="utf-8")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY bestand SYSTEM "{secret.as_uri()}">'
        '<!ENTITY web SYSTEM "https://aanvaller.example/x">]>'
        '<rss version="2.0"><channel><title>Feed &bestand;</title>'
        "<item><title>Kop &bestand;</title><description>Tekst &web;.</description></item>"
        "</channel></rss>"
    ).encode()
    feed = parse_feed(body, FEED_URL)
    assert isinstance(feed, ParsedFeed)
    assert (feed.title, feed.items[0].title, feed.items[0].blocks) == (
        "Feed",
        "Kop",
        (Block(BODY, "Tekst ."),),
    )


def test_an_external_dtd_is_not_fetched() -> None:
    # The test's socket refuses anything but loopback, so a fetch would fail loudly.
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "https://aanvaller.example/rss.dtd">'
        b"<rss version='2.0'><channel><title>Veilig</title></channel></rss>"
    )
    assert parse_feed(body, FEED_URL) == ParsedFeed("Veilig", None, ())


def test_entity_expansion_is_refused() -> None:
    entities = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{level} "{f"&l{level - 1};" * 10}">' for level in range(1, 10)
    ]
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [{"".join(entities)}]>'
        "<rss version='2.0'><channel><title>&l9;</title><item><title>Kop</title></item>"
        "</channel></rss>"
    ).encode()
    # Refused before parsing: see tests/hostile/test_feed_documents.py for the other ways.
    assert parse_feed(body, FEED_URL) == NotAFeed(
        "refused: the document declares entities made of other entities (<!ENTITY>), which"
        " could expand it without bound"
    )


# --- identity, titles, dates -------------------------------------------------------------


def test_guid_falls_back_to_a_digest_of_title_and_date() -> None:
    def guid(title: str, date: str) -> str:
        (item,) = _items(_rss_item(f"<title>{title}</title><pubDate>{date}</pubDate>"))
        return item.guid

    first = guid("Kop", "Tue, 12 Nov 2024 14:32:05 +0100")
    assert first.startswith("sha256:")
    assert len(first) == len("sha256:") + 64
    assert first == guid("Kop", "Tue, 12 Nov 2024 14:32:05 +0100")
    assert first != guid("Andere kop", "Tue, 12 Nov 2024 14:32:05 +0100")
    assert first != guid("Kop", "Wed, 13 Nov 2024 14:32:05 +0100")


def test_an_item_without_title_is_untitled_and_without_date_undated() -> None:
    (item,) = _items(
        _rss_item('<guid isPermaLink="false">id-1</guid><description>Alleen tekst.</description>')
    )
    assert (item.guid, item.title, item.link, item.published) == (
        "feeds.example.nl/id-1",
        "(untitled)",
        None,
        None,
    )


def test_titles_lose_tags_and_whitespace() -> None:
    (item,) = _items(_rss_item("<title>  Storm &lt;em&gt;op\n komst&lt;/em&gt; </title>"))
    assert item.title == "Storm op komst"


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "data:text/html,x",
        "ftp://example.nl/a",
        "file:///etc/passwd",
        "mailto:redactie@nos.nl",
        "http:evil.nl/a",  # no host (a feed served over https: not a path on its host)
        "http://",  # resolves to the feed itself: no page of the item's
        "http://[::1",
        "artikel met spaties",
        "http://a b.nl/",
        "http://nos.nl/&#1;artikel",
        "http://nos.nl/&#x1b;[2Jartikel",
        "http://nos.nl/\u202eartikel",  # a right-to-left override: shows as another address
        "http://nos.nl:99999/artikel",
        "http://@/artikel",
        "HTTP://",
    ],
)
def test_links_the_reader_cannot_open_are_dropped(link: str) -> None:
    """Only a web page (http or https, with a host) is an item's link; without one, the
    article is placed at its feed's address, never at something a browser would be given."""
    (item,) = _items(_rss_item(f"<title>Kop</title><link>{link}</link>"))
    assert item.link is None
    article = feed_article(item, "Test", FEED_URL)
    assert (article.link, article.file, article.feed) == (None, FEED_URL, FEED_URL)


@pytest.mark.parametrize(
    ("link", "kept"),
    [
        ("https://nos.nl/artikel/1", "https://nos.nl/artikel/1"),
        ("  http://nos.nl/a?b=1&amp;c=2#d  ", "http://nos.nl/a?b=1&c=2#d"),
        ("/artikel/2", "https://feeds.example.nl/artikel/2"),  # relative to the feed
        ("//nos.nl/artikel/3", "https://nos.nl/artikel/3"),
    ],
)
def test_web_links_are_kept_whole(link: str, kept: str) -> None:
    (item,) = _items(_rss_item(f"<title>Kop</title><link>{link}</link>"))
    assert item.link == feed_article(item, "Test", FEED_URL).file == kept


@pytest.mark.parametrize(
    ("link", "kept"),
    [
        ("HTTPS://127.0.0.1/upper", "https://127.0.0.1/upper"),
        ("Http://nos.nl/Artikel/5", "http://nos.nl/Artikel/5"),  # only the scheme changes
    ],
)
def test_a_scheme_in_capitals_is_a_web_link_in_lower_case(link: str, kept: str) -> None:
    (item,) = _items(_rss_item(f"<title>Kop</title><link>{link}</link>"))
    assert item.link == kept
    stored = FeedItem("1", "Kop", link, None, ())  # as an older nieuwslezer stored it
    assert feed_article(stored, "Test", FEED_URL).link == kept


@pytest.mark.parametrize(
    ("guid", "link"),
    [
        ("<guid>12345</guid>", None),  # a bare id, not a page on the feed's host
        ("<guid>/artikel/12345</guid>", None),
        ("<guid>urn:uuid:1225c695</guid>", None),
        ("<guid>https://nos.nl/artikel/6</guid>", "https://nos.nl/artikel/6"),
        ("<guid>HTTPS://feeds.example.nl/rss/7</guid>", "https://feeds.example.nl/rss/7"),
        ("<guid><![CDATA[ https://nos.nl/a?b=1&c=2 ]]></guid>", "https://nos.nl/a?b=1&c=2"),
        ("<guid>https://nos.nl/a?b=1&amp;c=2</guid>", "https://nos.nl/a?b=1&c=2"),
        ("<guid>12345</guid><link>https://nos.nl/artikel/8</link>", "https://nos.nl/artikel/8"),
        ("<link>https://nos.nl/artikel/9</link><guid>12345</guid>", "https://nos.nl/artikel/9"),
    ],
)
def test_a_guid_is_the_web_page_only_when_written_as_a_web_address(
    guid: str, link: str | None
) -> None:
    """RSS reads a guid as the item's page unless isPermaLink="false"; feedparser resolves a
    bare "12345" against the feed's address, a page that does not exist."""
    (item,) = _items(_rss_item(f"<title>Kop</title>{guid}"))
    assert item.link == link
    if "<link>" not in guid:  # feedparser reads an Atom <id> without a link as the page too
        atom_id = guid.replace("guid>", "id>")
        (entry,) = _items(
            b'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
            + f"<entry><title>Kop</title>{atom_id}</entry></feed>".encode()
        )
        assert entry.link == link


def test_reading_the_guids_as_written_takes_linear_time() -> None:
    hostile = "<!--" + "<guid>" + " " * 1_000_000 + "<x" + "<guid><![CDATA[x" * 100_000 + "-->"
    start = time.perf_counter()
    (item,) = _items(_rss_item(f"<title>Kop</title><guid>12345</guid>{hostile}"))
    assert time.perf_counter() - start < 5
    assert item.link is None


def test_updated_is_the_date_when_published_is_missing() -> None:
    body = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><id>tag:x,2024:1</id>'
        b"<title>Kop</title><updated>2024-11-12T23:30:00-02:00</updated></entry></feed>"
    )
    (item,) = _items(body)
    assert item.published == utc(2024, 11, 13, 1, 30)
    assert item.published.tzinfo is UTC


# --- totality ----------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=len((FEEDS / "rss2_full.xml").read_bytes())))
def test_any_truncation_of_a_feed_gives_a_value(length: int) -> None:
    body = (FEEDS / "rss2_full.xml").read_bytes()[:length]
    assert isinstance(parse_feed(body, FEED_URL), ParsedFeed | NotAFeed)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_a_value(body: bytes) -> None:
    assert isinstance(parse_feed(body, FEED_URL), ParsedFeed | NotAFeed)


def _rss_item(elements: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Test</title><item>{elements}</item></channel></rss>"
    ).encode()


def _items(body: bytes) -> tuple[FeedItem, ...]:
    feed = parse_feed(body, FEED_URL)
    assert isinstance(feed, ParsedFeed), feed
    return feed.items


def test_a_bare_id_is_unique_per_publisher_and_a_uri_as_it_stands() -> None:
    def guid(feed_url: str, entry_id: str) -> str:
        body = _rss_item(f'<guid isPermaLink="false">{entry_id}</guid><title>Kop</title>')
        feed = parse_feed(body, feed_url)
        assert isinstance(feed, ParsedFeed)
        return feed.items[0].guid

    # Two publishers' item 123 are two stories; one publisher's two feeds share it.
    assert guid("https://a.nl/rss", "123") != guid("https://b.nl/rss", "123")
    assert guid("https://a.nl/rss", "123") == guid("https://a.nl/buitenland.xml", "123")
    assert guid("https://a.nl/rss", "tag:a.nl,2024:123") == "tag:a.nl,2024:123"
    assert guid("https://a.nl/rss", "https://a.nl/123") == "https://a.nl/123"
