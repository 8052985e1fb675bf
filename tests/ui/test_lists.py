"""The article and ticker lists (Pilot): what the filter matches, the ticker's order and its
age column, and what the start-up announcement says about problem files."""

from __future__ import annotations

from pathlib import Path

from reader.model import Age, CorpusTickerItem, Dateline, Diagnostic, Severity, Sighting
from reader.ui.documents import PAGE_CUT_NOTE
from reader.ui.feeds import ALL_SOURCES
from reader.ui.loading import problems_summary
from reader.ui.rows import ticker_row, ticker_search_text
from tests.ui.helpers import reader_app
from tests.ui.test_app import HOSTILE, TITLES
from tests.ui.test_feeds import NOS, feed_reader, server, subscribed  # noqa: F401 - fixtures


async def test_the_filter_treats_hyphens_as_spaces_and_matches_the_agencies_shown() -> None:
    async with reader_app(size=(140, 40)) as (app, pilot):
        await pilot.press("slash", *"zuid korea")
        assert TITLES[4] in [a.title for a in app.articles.visible_items]
        await pilot.press("escape", "slash", *"reuters")  # "KYIV · ANP, Reuters, AFP"
        assert [a.title for a in app.articles.visible_items] == [TITLES[0], TITLES[1], TITLES[4]]


async def test_the_filter_matches_the_source_a_feed_row_shows(subscribed: object) -> None:  # noqa: F811
    async with feed_reader() as (app, pilot):
        assert app.source == ALL_SOURCES
        await pilot.press("slash", *"nieuws algemeen")  # the source is "NOS Nieuws - Algemeen"
        shown = app.articles.visible_items
        assert shown and all(article.source == NOS for article in shown)


async def test_the_ticker_is_newest_first() -> None:
    async with reader_app() as (app, _):
        minutes = [item.age.minutes for item in app.ticker.items if item.age]
        assert minutes == sorted(minutes)  # type: ignore[type-var]
        assert app.reader.shown is app.articles.highlighted


def test_a_clock_time_keeps_the_ticker_columns_aligned() -> None:
    def row(age: str, minutes: int | None) -> str:
        item = CorpusTickerItem(
            Dateline("KYIV", ("ANP",)), "Tekst", None, (Sighting("a.txt", 2, Age(age, minutes)),)
        )
        return ticker_row(item, 60).plain

    assert row("12:45", None).index("KYIV") == row("5 uur geleden", 300).index("KYIV")
    assert row("12:45", None).startswith("12:45 ")


def test_the_problems_are_counted_as_a_reader_says_it() -> None:
    def diagnostic(file: str, severity: Severity) -> Diagnostic:
        return Diagnostic(file, 0, "…", severity)

    skipped = diagnostic("a.txt", Severity.ERROR)
    warned = [diagnostic("b.txt", Severity.WARNING), diagnostic("c.txt", Severity.WARNING)]
    assert problems_summary([skipped]) == "1 file skipped"
    assert problems_summary(warned[:1]) == "1 warning"
    assert problems_summary([*warned, diagnostic("b.txt", Severity.WARNING)]) == (
        "3 warnings in 2 files"
    )
    assert problems_summary([skipped, *warned]) == "1 file skipped, 2 warnings in 2 files"


async def test_one_skipped_file_is_announced_as_such(tmp_path: Path) -> None:
    (tmp_path / "kapot.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "goed.txt").write_text("Kop\nUTRECHT (ANP) - Tekst.\n", encoding="utf-8")
    async with reader_app([tmp_path]) as (app, pilot):
        await pilot.pause()
        toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert any("1 file skipped. Press d" in toast for toast in toasts), toasts


async def test_what_a_page_ends_inside_looks_cut_off_in_the_lists_and_the_reading_pane() -> None:
    pages = [HOSTILE / "cut_in_paragraph.txt", HOSTILE / "cut_after_age.txt"]
    async with reader_app(pages) as (app, pilot):
        assert PAGE_CUT_NOTE in app.reader.text  # the first article: its page ends inside it
        assert "o opens" not in app.reader.text, "a page file has no web page to open"
        fragment = next(item for item in app.ticker.items if item.cut)
        assert ticker_row(fragment, 60).plain.startswith("  cut —")  # not "?": its age is cut
        assert ticker_search_text(fragment).startswith("cut ")  # "/cut" finds what shows "cut"
        await pilot.press("tab", "G")
        assert app.ticker.highlighted is fragment
        assert PAGE_CUT_NOTE in app.reader.text
        await pilot.press("k")
        assert PAGE_CUT_NOTE not in app.reader.text
