"""Pilot tests of the search in the reader (F): typing, the hits, the order, Enter opening the
hit at its match with the matches marked, `]` / `[`, Esc; malformed queries, an index that
cannot be used, markup shown as text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.theme import BUILTIN_THEMES

from reader.library.tokens import fold
from reader.model import Article
from reader.paths import data_dir
from reader.translate.result import Translated
from reader.ui.app import ReaderApp
from reader.ui.documents import shown_part
from reader.ui.search_screen import SearchScreen, hit_detail, hit_row
from reader.ui.searching import IndexingProgress
from reader.ui.translating import TranslationsArrived
from tests.conftest import SEEDS
from tests.ui.helpers import reader_app
from tests.ui.test_contrast import hard_to_read
from tests.ui.test_feeds import feed_reader, server, subscribed  # noqa: F401 - fixtures

HOSTILE = Path(__file__).resolve().parent.parent / "fixtures" / "hostile"


async def indexed(pilot: Pilot[int], part: str = "pages") -> None:
    """Wait until the index has `part` (it is built in a worker after the first frame)."""
    app = pilot.app
    assert isinstance(app, ReaderApp)
    for _ in range(500):
        if part in app.indexed:
            return
        await app.workers.wait_for_complete()
        await pilot.pause()
    raise AssertionError(f"{part} never indexed")


async def search_for(pilot: Pilot[int], text: str) -> SearchScreen:
    """Type `text` into the search (opening it with F if needed) and wait for its hits."""
    if not isinstance(pilot.app.screen, SearchScreen):
        await pilot.press("F")
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    field = screen.query_field
    field.value = ""
    await pilot.press(*text) if text else None
    for _ in range(500):
        await pilot.pause(0.01)
        await pilot.app.workers.wait_for_complete()
        if screen.answered and screen.query_field.value == text:
            return screen
    raise AssertionError("the search never answered")


def folded(words: list[str]) -> list[str]:
    return [fold(word) for word in words]


async def test_F_searches_as_you_type_and_lists_hits_with_snippets() -> None:
    async with reader_app() as (_, pilot):
        await indexed(pilot)
        screen = await search_for(pilot, "militair")
        hits = screen.results.items
        assert len(hits) >= 5, hits
        assert all("militair" in fold(hit.snippet + " " + hit.title) for hit in hits)
        times = [hit.time for hit in hits if hit.time is not None]
        assert times == sorted(times, reverse=True), "newest first"
        assert screen.status.startswith(f"{len(hits)} results · newest first (Ctrl+O")
        detail = hit_detail(screen.results.highlighted)
        marked = [detail.plain[s.start : s.end] for s in detail.spans if "reverse" in str(s.style)]
        assert marked and all(fold(word).startswith("militair") for word in marked)


async def test_ctrl_o_switches_between_newest_first_and_best_match_first() -> None:
    async with reader_app() as (_, pilot):
        await indexed(pilot)
        screen = await search_for(pilot, "Noord-Korea")
        newest = [hit.key for hit in screen.results.items]
        await pilot.press("ctrl+o")
        screen = await search_for(pilot, "Noord-Korea")
        assert screen.relevance
        assert "best match first (Ctrl+O: newest first)" in screen.status
        assert sorted(hit.key for hit in screen.results.items) == sorted(newest)
        await pilot.press("ctrl+o")
        screen = await search_for(pilot, "Noord-Korea")
        assert not screen.relevance and "newest first (Ctrl+O" in screen.status


async def test_enter_opens_the_hit_at_its_paragraph_with_the_matches_marked() -> None:
    async with reader_app() as (app, pilot):
        await indexed(pilot)
        screen = await search_for(pilot, "troepen")
        hit = max(screen.results.items, key=lambda h: h.paragraph or 0)
        assert hit.kind == "page" and hit.paragraph == 6
        await pilot.press(*["down"] * screen.results.items.index(hit))
        assert screen.results.highlighted is hit
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        assert app.focused is app.reader
        assert app.reader.shown is not None and app.reader.shown.title == hit.title
        assert app.articles.highlighted is app.reader.shown, "the list's cursor on it"
        marks = app.reader.marks
        assert marks is not None and marks.matches
        current = marks.current_match
        assert current is not None and current.paragraph == hit.paragraph
        line = app.reader._paragraph_lines[hit.paragraph]
        assert line > 0 and app.reader.scroll_y == min(line, app.reader.max_scroll_y)
        assert folded(app.reader.matches_marked(current=True)) == ["troepen"]
        assert all(fold(w).startswith("troepen") for w in app.reader.matches_marked())
        count = len(marks.matches)
        assert f"match {marks.current + 1} / {count}" in str(app.reader.border_subtitle)


async def test_brackets_step_through_the_matches_and_escape_clears_them() -> None:
    async with reader_app() as (app, pilot):
        await indexed(pilot)
        await search_for(pilot, "noord")
        await pilot.press("enter")
        await pilot.pause()
        marks = app.reader.marks
        assert marks is not None and len(marks.matches) > 2
        first = marks.current
        await pilot.press("right_square_bracket")
        assert app.reader.marks is not None and app.reader.marks.current == first + 1
        assert f"match {first + 2} / {len(marks.matches)}" in str(app.reader.border_subtitle)
        moved_to = app.reader.marks.current_match
        assert moved_to is not None
        if moved_to.paragraph >= 0:
            line = app.reader._paragraph_lines[moved_to.paragraph]
            assert app.reader.scroll_y == min(line, app.reader.max_scroll_y)
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert app.reader.marks.current == (first - 1) % len(marks.matches), "round the end"
        await pilot.press("escape")
        assert app.reader.marks is None and app.reader.matches_marked() == []
        assert "match" not in str(app.reader.border_subtitle)
        await pilot.press("right_square_bracket")
        assert any("No matches are marked" in n.message for n in app._notifications)


async def test_malformed_queries_say_their_problem_and_never_fail() -> None:
    async with reader_app() as (app, pilot):
        await indexed(pilot)
        screen = await search_for(pilot, "-")
        assert screen.status.startswith("⚠ type a word to search for")
        assert screen.results.items == []
        screen = await search_for(pilot, "-oorlog")
        assert "not only words to leave out" in screen.status
        screen = await search_for(pilot, '"noord korea')  # an unbalanced quote: to the end
        assert screen.results.items and not screen.status.startswith("⚠")
        for text in ['"', "NEAR(", "a*b:c^", "auto's 3,5 Noord-Korea", ") OR ("]:
            screen = await search_for(pilot, text)
            assert screen.result is not None, text
        assert app.is_running


async def test_an_index_that_cannot_be_used_says_why_and_is_left_alone() -> None:
    damaged = data_dir() / "search.sqlite"
    damaged.parent.mkdir(parents=True, exist_ok=True)
    content = b"SQLite format 3\x00" + os.urandom(2000)
    damaged.write_bytes(content)
    async with reader_app() as (app, pilot):
        await indexed(pilot)
        screen = await search_for(pilot, "militair")
        assert screen.results.items == []
        assert screen.status.startswith("⚠ search is unavailable: search index ")
        assert "damaged" in screen.status and "left as it is" in screen.status
        await pilot.press("escape")
        assert app.is_running
    assert damaged.read_bytes() == content


async def test_markup_in_a_title_or_snippet_is_shown_as_text(tmp_path: Path) -> None:
    page = tmp_path / "markup.txt"
    page.write_bytes((HOSTILE / "markup.txt").read_bytes())
    async with reader_app([page]) as (app, pilot):
        await indexed(pilot)
        screen = await search_for(pilot, "markup")
        hit = screen.results.highlighted
        assert hit is not None
        assert "[bold]Vet?[/] [@click=app.quit]Klik[/]" in hit_row(hit, 100).plain
        assert "Tekst met [red]markup[/red] en \\x1b[31mrood" in hit_detail(hit).plain
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running and "[red]markup[/red]" in app.reader.text
        assert folded(app.reader.matches_marked(current=True)) == ["markup"]


async def test_a_ticker_item_opens_with_its_match_marked() -> None:
    async with reader_app() as (app, pilot):
        await indexed(pilot)
        screen = await search_for(pilot, "Kashiwazaki")
        hit = screen.results.highlighted
        assert hit is not None and hit.kind == "ticker"
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.border_title == "Ticker item"
        assert app.ticker.highlighted is app.reader.shown
        assert app.reader.matches_marked(current=True) == ["Kashiwazaki"]


async def test_a_page_not_loaded_in_this_run_opens_from_its_file(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes((SEEDS / "004_379e06688afda5c8.txt").read_bytes())
    async with reader_app([page]) as (_, pilot):
        await indexed(pilot)
    async with reader_app([HOSTILE / "good.txt"]) as (app, pilot):
        await indexed(pilot)
        screen = await search_for(pilot, "militairen")
        hit = next(h for h in screen.results.items if h.file == str(page) and h.kind == "page")
        await pilot.press(*["down"] * screen.results.items.index(hit))
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.shown is not None and app.reader.shown.title == hit.title
        assert app.reader.marks is not None and app.reader.marks.matches


async def test_help_and_the_palette_list_the_search_keys() -> None:
    async with reader_app() as (app, _):
        groups = dict(app._key_groups())
        rows = [row for group in groups.values() for row in group]
        assert any(keys == "F" and "Search everything" in what for keys, what in rows)
        assert any(keys == "]" and "next match" in what for keys, what in rows)
        assert any(keys == "[" and "previous match" in what for keys, what in rows)
        commands = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Search", "Next match", "Previous match"} <= set(commands)


async def test_the_search_and_the_marks_are_readable_in_every_theme() -> None:
    """The search screen (hits, a snippet's marked words, the status, a problem) and an
    article's marks (the current match and the others) keep 4.5:1 in every built-in theme."""
    async with reader_app(size=(120, 36)) as (app, pilot):
        await indexed(pilot)
        problems: list[str] = []

        async def in_every_theme(name: str, regions: list[Region]) -> None:
            for theme in sorted(BUILTIN_THEMES):
                app.theme = theme
                await pilot.pause()
                problems.extend(f"{theme} {name}: {run}" for run in hard_to_read(app, regions)[:3])

        screen = await search_for(pilot, "-")
        await in_every_theme("problem", [screen.query_one("#search-status").region])
        screen = await search_for(pilot, "noord")
        await in_every_theme("search", [screen.query_one("#search-box").region])
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("right_square_bracket")
        assert app.reader.matches_marked(current=True) and app.reader.matches_marked()
        await in_every_theme("marks", [app.reader.region])
        assert not problems, "\n".join(problems)


@pytest.mark.usefixtures("subscribed")
async def test_feed_articles_are_indexed_and_open_from_the_search() -> None:
    async with feed_reader() as (app, pilot):
        await indexed(pilot, "feed articles")
        screen = await search_for(pilot, "Woonbond")
        hit = screen.results.highlighted
        assert hit is not None and hit.kind == "feed" and hit.source == "NOS Nieuws - Algemeen"
        assert "[bold]" not in hit_row(hit, 100).plain  # that is another article
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.shown is not None and str(app.reader.shown.guid).endswith("/nos-2531001")
        assert app.articles.highlighted is not None
        assert str(app.articles.highlighted.guid).endswith("/nos-2531001"), (
            "its row under the cursor"
        )
        assert app.reader.matches_marked(current=True) == ["Woonbond"]
        screen = await search_for(pilot, "e-sporttoernooi")
        assert "[bold]e-sporttoernooi[/bold]" in hit_row(screen.results.items[0], 120).plain


async def test_english_that_arrives_is_added_to_the_index() -> None:
    async with reader_app() as (app, pilot):
        await indexed(pilot)
        article = app.reader.shown
        assert isinstance(article, Article)
        english = [(shown_part(article.paragraphs[2].text), Translated("gradual advance"))]
        app.post_message(TranslationsArrived(None, article, english, 1, 1, finished=True))  # type: ignore[arg-type]
        await pilot.pause()
        await app.workers.wait_for_complete()
        screen = await search_for(pilot, "gradual advance")
        assert [(hit.title, hit.paragraph, hit.in_english) for hit in screen.results.items] == [
            (article.title, 2, True)
        ]
        assert screen.results.items[0].snippet == "gradual advance"


def test_the_first_frame_imports_neither_the_library_nor_sqlite3() -> None:
    """The search's modules load the library in their workers: not on the way to the first
    frame (tests/test_startup_imports.py times that way)."""
    code = (
        "import sys, reader.ui.app\n"
        "print(sorted(m for m in sys.modules if m.startswith(('reader.library', 'sqlite3'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


async def test_the_search_says_how_far_indexing_is() -> None:
    async with reader_app() as (app, pilot):
        await indexed(pilot)
        screen = await search_for(pilot, "militair")
        app.post_message(IndexingProgress("pages", 1200, 10_000))
        await pilot.pause()
        assert screen.status.endswith(" · indexing pages 1,200 / 10,000")
        app.post_message(IndexingProgress("pages", 10_000, 10_000, finished=True))
        await pilot.pause()
        assert "indexing" not in screen.status


async def test_a_hit_whose_page_is_gone_says_so(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes((SEEDS / "004_379e06688afda5c8.txt").read_bytes())
    async with reader_app([page]) as (_, pilot):
        await indexed(pilot)
    page.unlink()
    async with reader_app([HOSTILE / "good.txt"]) as (app, pilot):
        await indexed(pilot)
        shown = app.reader.shown
        screen = await search_for(pilot, "militairen")
        hit = next(h for h in screen.results.items if h.file == str(page))
        await pilot.press(*["down"] * screen.results.items.index(hit))
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.shown is shown and app.reader.marks is None
        notices = [n.message for n in app._notifications]
        assert f"That item is no longer there: {page}" in notices
        await app.workers.wait_for_complete()
        screen = await search_for(pilot, "militairen")
        assert all(h.file != str(page) for h in screen.results.items), "left out from then on"
