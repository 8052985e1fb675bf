"""The page parser: exact on the sample pages, total on any text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reader.parse
from reader.model import Age, Dateline, Page, ParagraphKind
from reader.parse import CUT_PARAGRAPH, CUT_TICKER_ITEM, parse_age, parse_dateline, parse_page
from reader.text import CONTROL_CHARACTERS

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"

# file -> (title, lead place, lead agencies, body paragraphs, subheadings)
EXPECTED = {
    "000_677511ae5c9e6493.txt": (
        "Oekraïne: Rusland zet inmiddels veel Noord-Koreaanse soldaten in",
        "KYIV",
        ("ANP", "RTR", "AFP"),
        3,
        [],
    ),
    "001_febc59f7181d7d7e.txt": (
        "VS bevestigen dat Noord-Koreanen tegen Oekraïne vechten",
        "WASHINGTON",
        ("ANP", "RTR"),
        2,
        [],
    ),
    "002_643072ad90021aff.txt": (
        "Zelensky claimt dat 3000 Noord-Koreanen zijn gedood of verwond",
        "KOERSK",
        ("ANP",),
        2,
        [],
    ),
    "003_cab50403b27c31fc.txt": (
        "VS schatten aantal Noord-Koreaanse soldaten in Rusland op 10.000",
        "WASHINGTON",
        ("ANP", "AFP"),
        2,
        [],
    ),
    "004_379e06688afda5c8.txt": (
        "Zuid-Korea bevestigt dat Noord-Koreanen meevechten in Koersk",
        "SEOUL",
        ("ANP", "RTR", "AFP"),
        5,
        ["Reactie Rusland"],
    ),
}


def test_sample_pages_parse_to_their_structure(seed_texts: dict[str, str]) -> None:
    assert sorted(seed_texts) == sorted(EXPECTED)
    for name, text in seed_texts.items():
        title, place, agencies, bodies, subheadings = EXPECTED[name]
        page = parse_page(text, name)
        assert page.article is not None
        assert page.article.title == title
        lead = page.article.paragraphs[0]
        assert lead.kind is ParagraphKind.LEAD
        assert lead.dateline is not None
        assert (lead.dateline.place, lead.dateline.agencies) == (place, agencies)
        assert not lead.text.startswith(place), "the lead's text starts after the dash"
        kinds = [p.kind for p in page.article.paragraphs]
        assert kinds.count(ParagraphKind.LEAD) == 1
        assert kinds.count(ParagraphKind.BODY) == bodies
        assert [
            p.text for p in page.article.paragraphs if p.kind is ParagraphKind.SUBHEADING
        ] == subheadings
        assert page.section == "Buitenland"
        assert len(page.ticker) == 7
        assert all(item.age is not None for item in page.ticker), name
        assert all(item.dateline is not None for item in page.ticker), name
        ages = [item.age.minutes for item in page.ticker if item.age]
        assert ages == sorted(ages), "ages grow down the list: each belongs to the item before"
        assert page.diagnostics == ()


def test_ages_belong_to_the_item_before_them(seed_texts: dict[str, str]) -> None:
    page = parse_page(seed_texts["000_677511ae5c9e6493.txt"], "000")
    first, last = page.ticker[0], page.ticker[-1]
    assert first.dateline and first.dateline.place == "MINNEAPOLIS"
    assert first.age and (first.age.text, first.age.minutes) == ("21 minuten geleden", 21)
    assert first.line == 7 and first.age_line == 8
    assert last.dateline and last.dateline.place == "GENÈVE"
    assert last.age and (last.age.text, last.age.minutes) == ("8 uur geleden", 480)
    assert last.text.startswith("Het geweld tegen demonstranten")


def test_every_paragraph_keeps_its_file_and_line(seed_texts: dict[str, str]) -> None:
    text = seed_texts["004_379e06688afda5c8.txt"]
    page = parse_page(text, "004.txt")
    lines = text.split("\n")
    assert page.article is not None
    assert page.article.line == 2  # 004 starts with a blank line
    for paragraph in page.article.paragraphs:
        assert paragraph.file == "004.txt"
        assert lines[paragraph.line - 1].strip().endswith(paragraph.text)
    for item in page.ticker:
        assert item.file == "004.txt"
        assert lines[item.line - 1].endswith(item.text)


def test_dateline_forms() -> None:
    assert parse_dateline("DEN HAAG (ANP) - Tekst") is not None
    parsed = parse_dateline("GENÈVE (ANP/RTR/AFP) - Het geweld")
    assert parsed is not None
    assert parsed[0].place == "GENÈVE" and parsed[0].agencies == ("ANP", "RTR", "AFP")
    assert parsed[1] == "Het geweld"
    assert parse_dateline("Den Haag (ANP) - tekst") is None, "the place is upper case"
    assert parse_dateline("Het kabinet (VVD) - dat is") is None
    assert parse_dateline("ZONDER STREEPJE (ANP) tekst") is None


def test_age_forms() -> None:
    assert parse_age("1 minuut geleden") is not None
    assert [
        parse_age(text).minutes
        for text in ("1 minuut geleden", "3 uur geleden", "2 dagen geleden", "gisteren")
    ] == [1, 180, 2880, 1440]  # type: ignore[union-attr]
    clock = parse_age("14:05")
    assert clock is not None and clock.minutes is None, "a clock time gives no minutes: no date"
    assert parse_age("vorige week") is None


def test_ticker_only_page() -> None:
    page = parse_page("Meer uit Sport\nAMSTERDAM (ANP) - Ajax wint.\n3 uur geleden", "t.txt")
    assert page.article is None
    assert page.section == "Sport"
    assert len(page.ticker) == 1 and page.ticker[0].age is not None
    assert any("ticker only" in d.message for d in page.diagnostics)


def test_page_without_separator_has_no_ticker_and_says_so() -> None:
    page = parse_page("Titel\nUTRECHT (ANP) - Het regent.\nDe zon komt later.", "a.txt")
    assert page.article is not None and len(page.article.paragraphs) == 2
    assert page.ticker == ()
    assert any("separator" in d.message for d in page.diagnostics)


def test_unplaceable_ticker_line_is_kept_not_dropped() -> None:
    page = parse_page(
        "Titel\nUTRECHT (ANP) - Lead.\nMeer uit Binnenland\n"
        "ZWOLLE (ANP) - Een.\n2 uur geledenzomaar een regel\n3 uur geleden",
        "b.txt",
    )
    # The age at the start of the line is the item's before it, whatever follows it.
    assert [(item.text, item.age and item.age.text) for item in page.ticker] == [
        ("Een.", "2 uur geleden"),
        ("zomaar een regel", "3 uur geleden"),
    ]
    assert [d.line for d in page.diagnostics if "without dateline" in d.message] == [5]
    assert not any(item.cut for item in page.ticker), "the page goes on after it: not cut"


def test_age_without_item_and_item_without_age_are_reported() -> None:
    page = parse_page("Meer uit Binnenland\n5 uur geleden\nZWOLLE (ANP) - Een.", "c.txt")
    assert [item.text for item in page.ticker] == ["5 uur geleden", "Een."]
    messages = [d.message for d in page.diagnostics]
    assert any("follows no ticker item" in m for m in messages)
    assert any("has no age" in m for m in messages)


def _cut_page(name: str) -> Page:
    return parse_page((HOSTILE / name).read_text(encoding="utf-8"), name)


def _messages_on(page: Page, line: int) -> list[str]:
    return [d.message for d in page.diagnostics if d.line == line]


def test_a_page_cut_right_after_an_age_gives_the_age_to_the_item_before_it() -> None:
    page = _cut_page("cut_after_age.txt")  # ends "33 minuten geledenDA"
    *whole, before, fragment = page.ticker
    assert before.dateline is not None and before.dateline.place == "DAVOS"
    assert before.age is not None and (before.age.text, before.age.minutes) == (
        "33 minuten geleden",
        33,
    )
    assert before.age_line == 9 and not before.cut
    assert (fragment.dateline, fragment.text, fragment.age, fragment.cut) == (
        None,
        "DA",
        None,
        True,
    )
    assert fragment.line == 9
    assert _messages_on(page, 9) == [CUT_TICKER_ITEM]
    assert all(item.age is not None and not item.cut for item in whole)
    assert not [d for d in page.diagnostics if "has no age" in d.message]


def test_a_page_cut_inside_a_ticker_dateline_keeps_the_fragment_as_cut_off() -> None:
    page = _cut_page("cut_in_ticker_dateline.txt")  # ends "2 uur geledenTOKIO (ANP/A"
    before, fragment = page.ticker[-2:]
    assert before.dateline is not None and before.dateline.place == "BRUSSEL"
    assert before.age is not None and before.age.text == "2 uur geleden"
    assert (fragment.dateline, fragment.text, fragment.cut) == (None, "TOKIO (ANP/A", True)
    assert _messages_on(page, fragment.line) == [CUT_TICKER_ITEM]


def test_a_page_cut_inside_a_ticker_item_s_text_marks_that_item_cut_off() -> None:
    page = _cut_page("cut_in_ticker_text.txt")  # ends "... Steve Witkoff rei"
    last = page.ticker[-1]
    assert last.dateline is not None and last.dateline.place == "MOSKOU"
    assert last.text.endswith("Steve Witkoff rei") and last.age is None and last.cut
    assert page.ticker[-2].age is not None and page.ticker[-2].age.text == "3 uur geleden"
    assert _messages_on(page, last.line) == [CUT_TICKER_ITEM]
    assert sum(item.cut for item in page.ticker) == 1


def test_a_whole_last_item_without_its_age_is_not_cut_off() -> None:
    page = parse_page(
        "Meer uit Binnenland\nZWOLLE (ANP) - Een.\n1 uur geledenUTRECHT (ANP) - Twee."
    )
    assert [item.cut for item in page.ticker] == [False, False]
    assert any("has no age" in d.message for d in page.diagnostics)


def test_a_page_cut_inside_a_paragraph_marks_the_article_cut_off() -> None:
    page = _cut_page("cut_in_paragraph.txt")  # ends "... op 4 november mee aan"
    assert page.article is not None and page.article.cut
    last = page.article.paragraphs[-1]
    assert last.kind is ParagraphKind.BODY and last.text.endswith("op 4 november mee aan")
    assert _messages_on(page, last.line) == [CUT_PARAGRAPH]
    assert page.ticker == ()
    assert not [d for d in page.diagnostics if "separator" in d.message], "it may have had one"


def test_a_short_fragment_at_the_end_is_a_cut_paragraph_not_a_subheading() -> None:
    page = parse_page("Kop\nUTRECHT (ANP) - Het regent.\nHet kabinet wil de")
    assert page.article is not None and page.article.cut
    assert [p.kind for p in page.article.paragraphs] == [ParagraphKind.LEAD, ParagraphKind.BODY]


def test_a_page_ending_in_a_closing_guillemet_is_whole_not_cut() -> None:
    """» ends a quoted sentence as ” does (the feed summaries' check agrees)."""
    page = parse_page("Kop\nAMSTERDAM (ANP) - Hij zei: «Dit is het einde»")
    assert page.article is not None and not page.article.cut
    assert page.article.paragraphs[-1].text == "Hij zei: «Dit is het einde»"
    assert CUT_PARAGRAPH not in [d.message for d in page.diagnostics]
    ticker = parse_page("Meer uit Binnenland\nAMSTERDAM (ANP) - Hij zei: «Dit is het einde»")
    assert [item.cut for item in ticker.ticker] == [False]
    assert CUT_TICKER_ITEM not in [d.message for d in ticker.diagnostics]


def test_a_page_cut_inside_the_lead_s_dateline_keeps_the_fragment_as_the_lead() -> None:
    page = _cut_page("cut_in_lead_dateline.txt")  # ends "WASHINGTON (ANP/R"
    assert page.article is not None and page.article.cut
    (lead,) = page.article.paragraphs
    assert (lead.kind, lead.text, lead.dateline) == (ParagraphKind.LEAD, "WASHINGTON (ANP/R", None)
    assert [d.message for d in page.diagnostics] == [CUT_PARAGRAPH], "said once, as cut off"


def test_a_whole_page_without_ticker_is_not_cut_off(seed_texts: dict[str, str]) -> None:
    for text in seed_texts.values():
        article_only = text.split("Meer uit")[0]
        page = parse_page(article_only)
        assert page.article is not None and not page.article.cut
        assert not any(item.cut for item in parse_page(text).ticker)


def test_a_clock_time_or_day_word_opening_text_is_no_age() -> None:
    page = parse_page(
        "Meer uit Binnenland\nZWOLLE (ANP) - Een.\n12.000 mensen demonstreren.\n"
        "gisterenavond brandde het.\n3 uur geleden"
    )
    assert [item.text for item in page.ticker] == [
        "Een.",
        "12.000 mensen demonstreren.",
        "gisterenavond brandde het.",
    ]
    assert page.ticker[0].age is None and page.ticker[-1].age is not None


def _pieces_by_line(page: Page) -> dict[int, list[str]]:
    """Every field of the result that came from an input line, in the order it stood there."""
    pieces: dict[int, list[str]] = {}
    if page.article is not None:
        if page.article.title:
            pieces.setdefault(page.article.line, []).append(page.article.title)
        for paragraph in page.article.paragraphs:
            prefix = paragraph.dateline.prefix if paragraph.dateline else ""
            pieces.setdefault(paragraph.line, []).append(prefix + paragraph.text)
    if page.section_line is not None:
        pieces.setdefault(page.section_line, []).append(f"Meer uit {page.section}")
    ages: dict[int, list[str]] = {}
    items: dict[int, list[str]] = {}
    for item in page.ticker:
        if item.age is not None and item.age_line is not None:
            ages.setdefault(item.age_line, []).append(item.age.text)
        prefix = item.dateline.prefix if item.dateline else ""
        items.setdefault(item.line, []).append(prefix + item.text)
    for line in sorted({*ages, *items}):
        pieces.setdefault(line, []).extend(ages.get(line, []) + items.get(line, []))
    return pieces


_LINE_PARTS = st.sampled_from(
    [
        "KYIV (ANP/RTR) - ",
        "DEN HAAG (ANP) - ",
        "Meer uit Buitenland",
        "21 minuten geleden",
        "33 minuten geledenDEN H",
        "DEN HAAG (AN",
        "gisteren",
        "14:05",
        "Reactie Rusland",
        "Een zin.",
        "[bold]x[/]",
        "\x1b[31m",
        " ",
        "\r",
        "\ufeff",
    ]
)
_LINE = st.lists(st.one_of(_LINE_PARTS, st.text(max_size=12)), max_size=4).map("".join)
_PAGE = st.one_of(st.text(), st.lists(_LINE, max_size=14).map("\n".join))


@settings(max_examples=400, deadline=None)
@given(_PAGE)
def test_parser_is_total_and_loses_no_line(text: str) -> None:
    page = parse_page(text, "p.txt")  # must not raise
    pieces = _pieces_by_line(page)
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if line:
            assert "".join(pieces.get(number, [])) == line, (number, raw, pieces.get(number))
        else:
            assert number not in pieces
    # Only what the page ends inside is cut off: at most one thing, on the last line.
    last_line = max(pieces, default=0)
    cut_items = [item for item in page.ticker if item.cut]
    assert len(cut_items) + bool(page.article and page.article.cut) <= 1
    for item in cut_items:
        assert item is page.ticker[-1] and item.line == last_line and item.age is None
    if page.article is not None and page.article.cut:
        assert page.ticker == () and page.article.paragraphs[-1].line == last_line


def test_a_dateline_may_be_set_with_an_en_or_em_dash() -> None:
    for dash in ("\u2013", "\u2014"):
        parsed = parse_dateline(f"DEN HAAG (ANP/NOS) {dash} Het kabinet")
        assert parsed is not None, dash
        assert parsed[0].place == "DEN HAAG" and parsed[0].agencies == ("ANP", "NOS")
        assert parsed[1] == "Het kabinet"
    page = parse_page("Kop\nDEN HAAG (ANP) \u2013 Het kabinet valt.\nMeer uit Binnenland\n")
    assert page.article is not None and page.article.dateline is not None
    assert not [d for d in page.diagnostics if "dateline" in d.message]


def test_a_page_without_control_characters_is_not_searched_line_by_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each line was searched with the control-character pattern: a tenth of the parse.
    A line that isprintable() cannot hold one; only the others are searched, and they still
    get their note."""
    searched: list[str] = []
    pattern = reader.parse.CONTROL_CHARACTERS

    class Counted:
        def search(self, text: str) -> re.Match[str] | None:
            searched.append(text)
            return pattern.search(text)

    monkeypatch.setattr(reader.parse, "CONTROL_CHARACTERS", Counted())
    clean = "Kop\nAMSTERDAM (ANP) - Tekst.\nMeer uit X\nKYIV (ANP) - Iets.\n5 uur geleden\n"
    assert parse_page(clean).diagnostics == ()
    assert searched == []
    steered = parse_page("Kop\nAMSTERDAM (ANP) - Tekst\x1b[31m.\nTab\tin tekst.\n")
    notes = [d for d in steered.diagnostics if "control characters" in d.message]
    assert [d.line for d in notes] == [2]
    assert searched == ["AMSTERDAM (ANP) - Tekst\x1b[31m.", "Tab\tin tekst."]


@pytest.mark.parametrize("wide", ["", "\u201c"])
def test_whether_a_page_holds_control_characters_is_asked_once_and_still_told(
    wide: str,
) -> None:
    """Asked once of a whole page (of its Latin-1 bytes, when it has no wider character, as
    most pages: a third of the time of isprintable()): each line holding a control character
    of any width still gets its note, and no other line does."""
    characters = [chr(c) for c in range(0x100)]
    characters += ["\u2028", "\u2029", "\u202e", "\u2066", "\u061c", "\u200b", "\ufeff"]
    for character in characters:
        text = f"Kop{wide}\nAMSTERDAM (ANP) - Te{character}kst.\n{character}\nMeer uit X\n"
        noted = [d.line for d in parse_page(text).diagnostics if "control characters" in d.message]
        lines = enumerate(text.split("\n"), 1)
        assert noted == [n for n, line in lines if CONTROL_CHARACTERS.search(line.strip())]


def test_every_control_character_fails_isprintable() -> None:
    """What the parser's shortcut rests on: no character of the pattern is printable."""
    controls = [chr(c) for c in range(0x110000) if CONTROL_CHARACTERS.match(chr(c))]
    assert len(controls) > 60
    assert not any(c.isprintable() for c in controls)


def test_a_dateline_or_an_age_read_again_is_the_same_object() -> None:
    """Reading `PLACE (AGENCY) - ` into a new Dateline for each of 60,000 lines was a third
    of the parse: each prefix is read once (a bounded cache) and its value shared."""
    pages = [
        parse_page(f"Kop {n}\nKYIV (ANP/RTR) - Tekst {n}.\nMeer uit X\nKYIV (ANP/RTR) - Iets.\n")
        for n in range(3)
    ]
    datelines = {id(p.article.paragraphs[0].dateline) for p in pages if p.article}
    datelines |= {id(p.ticker[0].dateline) for p in pages}
    assert len(datelines) == 1
    assert parse_dateline("KYIV (ANP/RTR) - a") == (Dateline("KYIV", ("ANP", "RTR")), "a")
    assert parse_dateline("Kyiv (ANP) - a") is None  # the place's case still checked
    assert parse_age("5 uur geleden") is parse_age("5 uur geleden")
    assert parse_age("5 UUR geleden") == Age("5 UUR geleden", 300)
    for cached in (reader.parse._known_dateline, reader.parse._age_of):
        assert cached.cache_info().maxsize == 1024  # untrusted pages cannot grow it
    agencies = "/".join(["ANP"] * 1_000)  # nor keep a hostile dateline's text alive
    before = reader.parse._known_dateline.cache_info().currsize
    assert parse_dateline(f"KYIV ({agencies}) - a") == (Dateline("KYIV", ("ANP",) * 1_000), "a")
    assert reader.parse._known_dateline.cache_info().currsize == before
