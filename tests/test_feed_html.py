"""Feed HTML to blocks: exact on the shapes publishers send, total on any text."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.feeds.html_text import (
    decode_entities,
    html_to_blocks,
    is_cut,
    plain_text,
    strip_ellipsis,
)
from reader.feeds.items import MAX_ADDRESS_CHARACTERS, Block
from reader.model import Link, ParagraphKind

BODY = ParagraphKind.BODY
SUBHEADING = ParagraphKind.SUBHEADING


def texts(markup: str) -> list[str]:
    return [block.text for block in html_to_blocks(markup)]


# --- decode_entities ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q&amp;A", "Q&A"),
        ("Q&amp;amp;A", "Q&A"),
        ("&amp;#8220;Ja&amp;#8221;", "\u201cJa\u201d"),
        ("&amp;quot;Nee&amp;quot;", '"Nee"'),
        ("PEC &amp;amp;amp; Go Ahead", "PEC & Go Ahead"),
        ("&#x201C;hex&#x201D;", "\u201chex\u201d"),
        ("5 &lt; 6", "5 < 6"),
        # Four rounds at most: a fifth level of escaping stays.
        ("&amp;amp;amp;amp;amp;", "&amp;"),
    ],
)
def test_decode_entities_decodes_every_level(text: str, expected: str) -> None:
    assert decode_entities(text) == expected


@pytest.mark.parametrize(
    "text",
    ["AT&T", "C&A en H&M", "Q&copy", "&onbekend; blijft", "R&D;", "geen entiteiten", ""],
)
def test_decode_entities_leaves_text_without_entities(text: str) -> None:
    assert decode_entities(text) == text


@given(st.text().filter(lambda text: "&" not in text))
def test_decode_entities_is_the_identity_without_ampersands(text: str) -> None:
    assert decode_entities(text) == text


# --- html_to_blocks: structure -----------------------------------------------------------

NOS_ARTICLE = """
<p>Het kabinet trekt 2,5 miljard euro extra uit, zegt minister Van Dalen.</p>
<img src="https://cdn.nos.nl/image/1.jpg" alt="Bouwplaats">
<h2>Gemeenten kritisch</h2>
<p>De VNG noemt het bedrag <a href="https://nos.nl/artikel/2530877">onvoldoende</a>.</p>
<script>alert(1)</script>
<p><strong>Wat betekent dit voor huurders?</strong></p>
<p>Weinig, aldus de Woonbond.</p>
"""


def test_nos_article() -> None:
    assert html_to_blocks(NOS_ARTICLE) == [
        Block(BODY, "Het kabinet trekt 2,5 miljard euro extra uit, zegt minister Van Dalen."),
        Block(SUBHEADING, "Gemeenten kritisch"),
        Block(
            BODY,
            "De VNG noemt het bedrag onvoldoende.",
            (Link("onvoldoende", "https://nos.nl/artikel/2530877"),),
        ),
        Block(SUBHEADING, "Wat betekent dit voor huurders?"),
        Block(BODY, "Weinig, aldus de Woonbond."),
    ]


@pytest.mark.parametrize("level", range(1, 7))
def test_headings_are_subheadings(level: int) -> None:
    markup = f"<h{level}>Reactie <em>minister</em></h{level}><p>Tekst.</p>"
    assert html_to_blocks(markup) == [Block(SUBHEADING, "Reactie minister"), Block(BODY, "Tekst.")]


@pytest.mark.parametrize(
    ("markup", "kind"),
    [
        ("<p><strong>Reactie minister</strong></p>", SUBHEADING),
        ("<p><b>Wat nu?</b></p>", SUBHEADING),
        ("<p> <strong>Twee</strong> <b>delen</b> </p>", SUBHEADING),
        # A bold sentence is emphasis, not a heading.
        ("<p><strong>Dit is een update.</strong></p>", BODY),
        ("<p><strong>Lees ook:</strong> het eerdere stuk</p>", BODY),
        ("<li><strong>Punt een</strong></li>", BODY),
        ("<div><strong>Kader</strong></div>", BODY),
    ],
)
def test_bold_paragraph_reads_as_subheading(markup: str, kind: ParagraphKind) -> None:
    assert [block.kind for block in html_to_blocks(markup)] == [kind]


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<div>Eén</div><div>Twee</div>", ["Eén", "Twee"]),
        ("<ul><li>Eén</li><li>Twee</li></ul>", ["Eén", "Twee"]),
        ("<blockquote><p>Eén</p><p>Twee</p></blockquote>", ["Eén", "Twee"]),
        ("Los<p>Eén</p>tussen<p>Twee</p>staart", ["Los", "Eén", "tussen", "Twee", "staart"]),
        ("<div>Inleiding<p>Eén</p>slot</div>", ["Inleiding", "Eén", "slot"]),
        ("Eén<br>regel<br/>verder", ["Eén regel verder"]),
        ("Eén<br><br>Twee", ["Eén", "Twee"]),
        ("Eén<br />\n  <br />Twee<br><br><br>Drie", ["Eén", "Twee", "Drie"]),
        ("<p>Eén<br><br>Twee</p>", ["Eén", "Twee"]),
    ],
)
def test_paragraph_boundaries(markup: str, expected: list[str]) -> None:
    assert texts(markup) == expected


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert('x')</script>",
        "<style>p { color: red }</style>",
        "<iframe src='https://www.youtube.com/embed/x'>Bekijk de video</iframe>",
        "<figure><img src='a.jpg'><figcaption>Foto: ANP</figcaption></figure>",
        "<figcaption>Foto: ANP</figcaption>",
        "<video controls><source src='a.mp4'>Uw browser kan geen video</video>",
        "<noscript>Zet JavaScript aan</noscript>",
        "<svg><g><text>Grafiek</text></g><script>x</script></svg>",
        "<img src='a.jpg' alt='Alternatieve tekst'>",
        "<iframe/>",
    ],
)
def test_dropped_elements_take_their_contents(markup: str) -> None:
    assert texts(f"<p>Voor.</p>{markup}<p>Na.</p>") == ["Voor.", "Na."]


def test_dropped_elements_nest() -> None:
    markup = "<figure><video>a<figure>b</figure>c</video>d</figure><p>Na.</p>"
    assert texts(markup) == ["Na."]


# --- html_to_blocks: links ---------------------------------------------------------------


def test_links_are_data_and_the_text_is_only_the_link_text() -> None:
    markup = (
        '<p>Volgens <a href="https://politie.nl/bericht">de politie</a> en '
        '<a href="mailto:redactie@nos.nl">de redactie</a> klopt het.</p>'
    )
    assert html_to_blocks(markup) == [
        Block(
            BODY,
            "Volgens de politie en de redactie klopt het.",
            (
                Link("de politie", "https://politie.nl/bericht"),
                Link("de redactie", "mailto:redactie@nos.nl"),
            ),
        )
    ]


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "/relatief/pad",
        "data:text/html,x",
        "http://[kapot",
        "",
        "https://nos.nl/" + "x" * MAX_ADDRESS_CHARACTERS,  # no server takes so long an address
    ],
)
def test_links_the_reader_cannot_open_keep_only_their_text(href: str) -> None:
    assert html_to_blocks(f'<p>Zie <a href="{href}">hier</a>.</p>') == [Block(BODY, "Zie hier.")]


def test_anchor_without_href_is_text() -> None:
    assert html_to_blocks('<p><a name="top">Boven</a></p>') == [Block(BODY, "Boven")]


def test_link_text_is_decoded_and_collapsed_like_its_paragraph() -> None:
    markup = (
        '<p><a href="https://a.nl">Q&amp;amp;A\n   met &amp;#8220;de burgemeester&amp;#8221;'
        "</a></p>"
    )
    text = "Q&A met \u201cde burgemeester\u201d"
    assert html_to_blocks(markup) == [Block(BODY, text, (Link(text, "https://a.nl"),))]


def test_link_around_blocks_gives_each_block_its_part() -> None:
    markup = '<a href="https://a.nl"><h2>Kop</h2><p>Tekst</p></a>'
    assert html_to_blocks(markup) == [
        Block(SUBHEADING, "Kop", (Link("Kop", "https://a.nl"),)),
        Block(BODY, "Tekst", (Link("Tekst", "https://a.nl"),)),
    ]


def test_unclosed_link_ends_at_the_next_link() -> None:
    markup = '<p><a href="https://a.nl">een <a href="https://b.nl">twee</a> drie</p>'
    assert html_to_blocks(markup) == [
        Block(BODY, "een twee drie", (Link("een", "https://a.nl"), Link("twee", "https://b.nl")))
    ]


# --- html_to_blocks: text ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("Eerste alinea.\n\nTweede alinea.", ["Eerste alinea.", "Tweede alinea."]),
        ("Eén\r\n  \r\nTwee\rdrie", ["Eén", "Twee drie"]),
        ("Regel een\nregel twee", ["Regel een regel twee"]),
        ("3 < 5 en 7 > 6", ["3 < 5 en 7 > 6"]),
        ("Q&amp;amp;A\n\n\n\nAT&T", ["Q&A", "AT&T"]),
        ("", []),
        (" \n\n \t ", []),
    ],
)
def test_plain_text_splits_on_blank_lines(markup: str, expected: list[str]) -> None:
    assert texts(markup) == expected


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>  veel \n\t  ruimte  </p>", ["veel ruimte"]),
        ("<p>&nbsp;</p><p>\u00a0 </p><p></p><p>Tekst</p>", ["Tekst"]),
        ("<p>&amp;amp; &amp;#8220;dubbel&amp;#8221; &amp;quot;</p>", ['& \u201cdubbel\u201d "']),
        ("<p>&lt;b&gt;geen tag&lt;/b&gt;</p>", ["<b>geen tag</b>"]),
        ("<p>[bold]blijft[/bold] [@click=app.quit]</p>", ["[bold]blijft[/bold] [@click=app.quit]"]),
        ("<p>Bel\x07 de\x1b[31m politie</p>", ["Bel\x07 de\x1b[31m politie"]),
    ],
)
def test_text_is_collapsed_and_decoded(markup: str, expected: list[str]) -> None:
    assert texts(markup) == expected


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>Niet gesloten<p>Volgende", ["Niet gesloten", "Volgende"]),
        ("</p></div>Los</li></a></strong>", ["Los"]),
        ("<p>a < b en c < d</p>", ["a < b en c < d"]),
        ("<p>c<d</p>", ["c"]),
        ("<p><b>vet zonder einde</p><p>gewoon.</p>", ["vet zonder einde", "gewoon."]),
        ("<p>Voor<![foo[ x]]>na</p>", ["Voorna"]),
        ("<p>Voor<![if !supportLists]>na</p>", ["Voorna"]),
        ("<p>Tekst <a href='https://a.nl'>zonder einde", ["Tekst zonder einde"]),
        ("<p>Tekst</p><iframe>alles hierna is weg", ["Tekst"]),
        # A document that ends inside a tag or comment: the tag is dropped, as browsers do.
        ("<p attr='niet gesloten>Tekst</p>", []),
        ("Tekst <b", ["Tekst"]),
        ("Tekst <!-- open", ["Tekst"]),
        ("Tekst <![foo[", ["Tekst"]),
        ("Tekst <", ["Tekst <"]),
        ("<p>Tekst <!-- commentaar --> meer</p>", ["Tekst meer"]),
    ],
)
def test_malformed_html_never_raises(markup: str, expected: list[str]) -> None:
    assert texts(markup) == expected


def test_plain_text_of_a_title() -> None:
    assert plain_text("Storm <em>op komst</em><br><br>in  Zeeland") == "Storm op komst in Zeeland"


# --- is_cut and strip_ellipsis -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("Volgens het CBS gingen er 362 bedrij...", True),
        ("krijgen er elk kwartier een intercity bij\u2026", True),
        ("de bevoegdheid om [\u2026]", True),
        ("de bevoegdheid om [...]", True),
        ("de bevoegdheid om \u2026  ", True),
        ("Volgens het CBS gingen er 362 bedrij", True),
        ("zegt de politie.", False),
        ("Wat betekent dit?", False),
        ("Wat een dag!", False),
        ('"We zijn er klaar voor."', False),
        ("\u201cWe zijn er klaar voor\u201d", False),
        ("noemt het \u2018onvermijdelijk\u2019", False),
        ("meldt de politie (ANP)", False),
        ("Dit zijn de maatregelen:", False),
        ("", False),
        ("   ", False),
    ],
)
def test_is_cut(text: str, cut: bool) -> None:
    assert is_cut(text) is cut


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("362 bedrij...", "362 bedrij"),
        ("362 bedrij....", "362 bedrij"),
        ("een intercity bij\u2026", "een intercity bij"),
        ("de bevoegdheid om [\u2026]", "de bevoegdheid om"),
        ("de bevoegdheid om [ ... ] ", "de bevoegdheid om"),
        ("zegt de politie.", "zegt de politie."),
        ("362 bedrij", "362 bedrij"),
        ("...", ""),
    ],
)
def test_strip_ellipsis(text: str, expected: str) -> None:
    assert strip_ellipsis(text) == expected


# --- properties --------------------------------------------------------------------------


@given(st.text())
def test_never_raises_and_blocks_are_collapsed_and_non_empty(markup: str) -> None:
    for block in html_to_blocks(markup):
        assert block.text
        assert block.text == " ".join(block.text.split())
        assert block.kind in (BODY, SUBHEADING)


@given(st.lists(st.text().filter(lambda text: "&" not in text)))
def test_escaped_strings_in_paragraphs_come_back_collapsed(strings: list[str]) -> None:
    # No "&": a string with one would be decoded once more, as escaped feed text should be.
    markup = "".join(f"<p>{html.escape(string, quote=False)}</p>" for string in strings)
    expected = [" ".join(string.split()) for string in strings]
    assert texts(markup) == [text for text in expected if text]


_WORDS = st.text(alphabet="abcdeé €12.,\n\t", min_size=1, max_size=8)
_TAGS = st.sampled_from(
    "p div li h2 h5 blockquote strong b em a script style iframe figure figcaption svg br img"
    " span ul".split()
)


@st.composite
def tag_soup(draw: st.DrawFn) -> str:
    """Words between well-formed start and end tags, in any order and nesting."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 30))):
        choice = draw(st.integers(0, 3))
        tag = draw(_TAGS)
        if choice == 0:
            parts.append(draw(_WORDS))
        elif choice == 1:
            href = draw(st.sampled_from(['href="https://nos.nl/a"', "href='/rel'", "", "href"]))
            parts.append(f"<{tag} {href}>" if tag == "a" else f"<{tag} class='x'>")
        elif choice == 2:
            parts.append(f"</{tag}>")
        else:
            parts.append(f"<{tag}/>")
    return "".join(parts)


@given(tag_soup())
def test_nothing_from_tags_reaches_the_text(markup: str) -> None:
    for block in html_to_blocks(markup):
        assert not set("<>='\"") & set(block.text)
        for link in block.links:
            assert link.text in block.text
            assert link.href == "https://nos.nl/a"


def test_a_line_break_inside_a_link_is_in_its_text_as_in_the_paragraph() -> None:
    (block,) = html_to_blocks('<p><a href="https://nos.nl/a">Kabinet<br/>valt</a></p>')
    assert block.text == "Kabinet valt"
    assert block.links[0].text == "Kabinet valt"
    assert block.links[0].text in block.text
