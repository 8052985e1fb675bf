"""Pilot tests: every binding, asserting what the reader shows afterwards."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual import events
from textual.content import Content
from textual.geometry import Region
from textual.widgets import Input, Static

from reader.highlight.claims import Claim
from reader.model import Article, CorpusTickerItem, SpanKind
from reader.ui.reading_pane import ReadingPane
from reader.ui.row_list import RowList
from reader.ui.screens import HelpScreen, ListScreen
from tests.conftest import SEEDS
from tests.ui.helpers import reader_app

TITLES = [
    "Oekraïne: Rusland zet inmiddels veel Noord-Koreaanse soldaten in",
    "VS bevestigen dat Noord-Koreanen tegen Oekraïne vechten",
    "Zelensky claimt dat 3000 Noord-Koreanen zijn gedood of verwond",
    "VS schatten aantal Noord-Koreaanse soldaten in Rusland op 10.000",
    "Zuid-Korea bevestigt dat Noord-Koreanen meevechten in Koersk",
]
HOSTILE = Path(__file__).resolve().parent.parent / "fixtures" / "hostile"


def shown_title(app) -> str:  # type: ignore[no-untyped-def]
    return app.reader.text.split("\n", 1)[0]


async def test_start_shows_counts_lists_and_first_article() -> None:
    async with reader_app() as (app, _):
        assert app.sub_title.startswith("5 articles · 32 ticker items")  # then the unread
        assert [a.title for a in app.articles.items] == TITLES
        assert len(app.ticker.items) == 32
        assert app.focused is app.articles
        assert shown_title(app) == TITLES[0]
        assert "KYIV · ANP, Reuters, AFP" in app.reader.text, "RTR is shown as Reuters"
        assert app.reader.border_title == "Article"


async def test_down_up_and_j_k_move_in_the_focused_list_and_preview() -> None:
    async with reader_app() as (app, pilot):
        await pilot.press("j")
        assert shown_title(app) == TITLES[1]
        await pilot.press("down", "down")
        assert shown_title(app) == TITLES[3]
        await pilot.press("k")
        assert shown_title(app) == TITLES[2]
        await pilot.press("up", "up", "up")  # stops at the top
        assert app.articles.cursor == 0 and shown_title(app) == TITLES[0]


async def test_tab_and_shift_tab_cycle_the_panes() -> None:
    async with reader_app() as (app, pilot):
        await pilot.press("tab")
        assert app.focused is app.ticker
        await pilot.press("tab")
        assert app.focused is app.reader
        await pilot.press("tab")
        assert app.focused is app.articles
        await pilot.press("shift+tab")
        assert app.focused is app.reader


async def test_ticker_list_shows_an_item_with_its_age_and_sightings() -> None:
    async with reader_app() as (app, pilot):
        await pilot.press("tab")
        text = app.reader.text  # the newest item first
        assert text.startswith("Meer uit Buitenland  16 minutes ago")
        assert "STRAATSBURG · ANP" in text and "economische intimidatie" in text
        tokio = next(i for i, t in enumerate(app.ticker.items) if "Kashiwazaki" in t.text)
        for _ in range(tokio):
            await pilot.press("j")
        assert "Seen in: 001_febc59f7181d7d7e.txt, line 11 (3 hours ago); " in app.reader.text


async def test_enter_opens_the_selection_in_the_reading_pane() -> None:
    async with reader_app() as (app, pilot):
        await pilot.press("j", "j", "enter")
        assert app.focused is app.reader
        assert shown_title(app) == TITLES[2]


async def test_space_pagedown_pageup_scroll_the_reading_pane_from_anywhere() -> None:
    async with reader_app(size=(80, 24)) as (app, pilot):
        await pilot.press("G")  # the longest article, 004
        assert app.reader.max_scroll_y > 0
        await pilot.press("space")
        first = app.reader.scroll_y
        assert first > 0 and app.focused is app.articles
        await pilot.press("pagedown")
        assert app.reader.scroll_y > first or app.reader.scroll_y == app.reader.max_scroll_y
        await pilot.press("pageup", "pageup", "pageup")
        assert app.reader.scroll_y == 0


async def test_g_and_shift_g_go_to_top_and_bottom() -> None:
    async with reader_app(size=(80, 24)) as (app, pilot):
        await pilot.press("G")
        assert app.articles.cursor == 4 and shown_title(app) == TITLES[4]
        await pilot.press("g")
        assert app.articles.cursor == 0
        await pilot.press("G", "enter")  # into the reading pane
        # The text moves at once, as in less: not gliding there, as Textual's default does.
        # (pilot.press would wait for a glide to end; a key pressed as a user does won't.)
        app.animation_level = "full"
        bottom = app.reader.max_scroll_y
        assert bottom > 2
        for key, scroll_y in [("G", bottom), ("g", 0), ("j", 1), ("j", 2), ("k", 1)]:
            app.simulate_key(key)
            await pilot.pause()
            assert app.reader.scroll_y == scroll_y, key


async def test_n_and_p_open_next_and_previous_article_from_anywhere() -> None:
    async with reader_app() as (app, pilot):
        await pilot.press("tab")  # the ticker has the focus; n still means the next article
        await pilot.press("n")
        assert shown_title(app) == TITLES[0], "first n from a ticker item opens the article"
        await pilot.press("n", "n")
        assert shown_title(app) == TITLES[2]
        await pilot.press("p")
        assert shown_title(app) == TITLES[1]
        assert app.focused is app.ticker


async def test_slash_filters_the_focused_list_as_you_type_and_escape_clears() -> None:
    async with reader_app() as (app, pilot):
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"zuid")
        assert [a.title for a in app.articles.visible_items] == [TITLES[4]]
        assert shown_title(app) == TITLES[4], "the reading pane follows the filtered list"
        await pilot.press("escape")
        assert len(app.articles.visible_items) == 5
        assert app.focused is app.articles
        assert app.query_one("#articles-filter").display is False


async def test_filter_ignores_accents_and_keeps_after_enter() -> None:
    async with reader_app() as (app, pilot):
        await pilot.press("tab", "slash", *"geneve", "enter")
        assert app.focused is app.ticker
        places = [t.dateline.place for t in app.ticker.visible_items if t.dateline]
        assert places == ["GENÈVE"]
        assert "1 of 32" in str(app.query_one("#ticker-pane").border_subtitle)
        await pilot.press("enter")
        assert "GENÈVE" in app.reader.text
        await pilot.press("shift+tab", "escape")  # back in the ticker list: Esc clears
        assert len(app.ticker.visible_items) == 32


async def test_q_quits() -> None:
    async with reader_app() as (app, pilot):
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0
        assert not app.is_running


async def test_q_in_the_filter_types_a_q() -> None:
    async with reader_app() as (app, pilot):
        await pilot.press("slash", "q")
        assert app.is_running
        assert app.articles.filter_text == "q"


async def test_question_mark_shows_every_key_and_escape_closes() -> None:
    async with reader_app() as (app, pilot):
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=120, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#help-keys", Static).content)
        keys = console.export_text()
        for expected in ("Filter the focused list", "Open the next article", "Tab / Shift+Tab",
                         "↓ / j", "Space / PgDn", "Ctrl+P", "Home / g", "End / G"):  # fmt: skip
            assert expected in keys
        notes = str(app.screen.query_one("#help-notes", Static).render())
        assert "Privacy" in notes and "translation service" in notes
        assert "only the feeds you subscribed to" in notes
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_d_lists_diagnostics_and_enter_opens_that_file() -> None:
    async with reader_app([HOSTILE]) as (app, pilot):
        await pilot.press("d")
        assert isinstance(app.screen, ListScreen)
        rows = app.screen.query_one("#rows")
        listed = [(Path(d.file).name, d.line) for d in rows.items]  # type: ignore[attr-defined]
        assert ("binary.txt", 0) in listed and ("cp1252.txt", 1) in listed
        position = listed.index(("cp1252.txt", 1))
        for _ in range(position):
            await pilot.press("j")
        detail = str(app.screen.query_one("#detail").visual)
        assert "cp1252.txt, line 1" in detail and "Windows-1252" in detail
        await pilot.press("enter")
        assert not isinstance(app.screen, ListScreen)
        assert shown_title(app) == "Titel met één euro: € 5"


async def test_problems_are_announced_on_start() -> None:
    async with reader_app([HOSTILE]) as (app, pilot):
        await pilot.pause()
        toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert any("1 file skipped" in toast and "Press d" in toast for toast in toasts)


async def test_no_announcement_for_a_clean_corpus() -> None:
    async with reader_app() as (app, _):
        assert not list(app.screen.query("Toast"))


async def test_command_palette_runs_actions() -> None:
    async with reader_app() as (app, pilot):
        await pilot.press("ctrl+p")
        await pilot.press(*"Next")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert shown_title(app) == TITLES[1]


async def test_click_selects_and_wheel_scrolls() -> None:
    async with reader_app(size=(80, 24)) as (app, pilot):
        assert await pilot.click("#articles", offset=(2, 3))
        assert app.articles.cursor == 3
        assert shown_title(app) == TITLES[3]
        await pilot.press("G")
        reader = app.reader
        reader.post_message(events.MouseScrollDown(reader, 3, 3, 0, 1, 0, False, False, False))
        await pilot.pause()
        assert reader.scroll_y > 0


async def test_loading_nothing_says_so(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_bytes(b"\x00\x01")
    async with reader_app([tmp_path]) as (app, _):
        assert app.sub_title.startswith("0 articles · 0 ticker items")
        assert "No pages could be read" in app.reader.text


async def test_markup_and_control_characters_show_literally(tmp_path: Path) -> None:
    evil = tmp_path / "[bold]evil [@click=app.quit]\x1b[31m.txt"
    evil.write_bytes((HOSTILE / "markup.txt").read_bytes())
    async with reader_app([tmp_path]) as (app, pilot):
        (article,) = app.articles.items
        text = app.reader.text
        assert text.startswith(
            "[bold]Vet?[/] [@click=app.quit]Klik[/] [link=file:///etc/passwd]x[/link]"
        )
        assert "Tekst met [red]markup[/red] en \\x1b[31mrood\\x1b[0m en een bel\\x07" in text
        assert "CSI \\x9b2J" in text
        assert "[bold]evil [@click=app.quit]\\x1b[31m.txt" in text
        assert "\x1b" not in text and "\x07" not in text
        await pilot.click("#reader", offset=(4, 2))  # on the [@click=app.quit] title
        await pilot.press("shift+tab")  # the ticker: its item has an OSC sequence
        assert "[b]Ticker[/b] met \\x1b]0;titel\\x07 escape." in app.reader.text
        await pilot.pause()
        assert app.is_running, "no markup in the text was acted on"
        assert isinstance(article, Article)
        assert all(isinstance(item, CorpusTickerItem) for item in app.ticker.items)


async def test_markup_in_a_title_stays_text_in_the_screens_that_quote_it(tmp_path: Path) -> None:
    """`c` titles its screen with the article's title: "[/r/Netherlands]" once crashed it."""
    page = "Kijk [/r/Netherlands] [@click=app.quit]x\nDEN HAAG (ANP) - Er waren 300 mensen.\n"
    (tmp_path / "page.txt").write_text(page, encoding="utf-8")
    async with reader_app([tmp_path]) as (app, pilot):
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ListScreen)
        title = app.screen.query_one(".list-box").border_title
        assert "Kijk [/r/Netherlands] [@click=app.quit]x" in Content.from_markup(title).plain
        await pilot.press("escape", "C")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ListScreen) and app.is_running


async def test_every_article_of_the_hostile_folder_opens() -> None:
    async with reader_app([HOSTILE, SEEDS]) as (app, pilot):
        count = len(app.articles.items)
        for _ in range(count):
            await pilot.press("j")
        await pilot.press("tab")
        for _ in range(len(app.ticker.items)):
            await pilot.press("j")
        assert app.is_running and app.articles.cursor == count - 1


async def test_the_reading_pane_follows_the_filter_as_you_type() -> None:
    async with reader_app() as (app, pilot):
        await pilot.press("tab", "slash", *"davos")
        assert app.ticker.highlighted is not None
        assert app.reader.shown is app.ticker.highlighted


async def test_command_palette_offers_the_focused_panes_actions() -> None:
    async with reader_app() as (app, pilot):
        await pilot.press("ctrl+p", *"Last (articles")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.articles.cursor == 4 and shown_title(app) == TITLES[4]


async def test_reading_pane_marks_numbers_and_sources_and_h_toggles() -> None:
    async with reader_app() as (app, pilot):
        await pilot.press("j", "j", "j")  # 003: the Pentagon's 10.000
        reader = app.reader
        assert "10.000" in reader.marked(SpanKind.NUMBER)
        assert "het Amerikaanse Pentagon" in reader.marked(SpanKind.SOURCE)
        assert "Reuters" not in reader.marked(SpanKind.SOURCE)  # 003 is ANP/AFP
        assert "AFP" in reader.marked(SpanKind.SOURCE), "dateline agencies are sources"
        assert "number" in str(reader.border_subtitle) and "source" in str(reader.border_subtitle)
        await pilot.press("h")
        assert reader.marked(SpanKind.NUMBER) == [] and reader.marked(SpanKind.SOURCE) == []
        assert "highlighting off" in str(reader.border_subtitle)
        await pilot.press("j")
        assert reader.marked(SpanKind.NUMBER) == [], "the toggle holds from article to article"
        await pilot.press("h")
        assert reader.marked(SpanKind.NUMBER)


async def test_ticker_items_are_highlighted_too() -> None:
    async with reader_app() as (app, pilot):
        await pilot.press("tab")
        minneapolis = next(i for i, t in enumerate(app.ticker.items) if "Duizenden" in t.text)
        await pilot.press(*"j" * minneapolis)
        assert "Duizenden" in app.reader.marked(SpanKind.NUMBER)
        assert "lokale media" in app.reader.marked(SpanKind.SOURCE)


async def test_c_lists_the_articles_claims_and_enter_opens_the_paragraph() -> None:
    async with reader_app(size=(80, 24)) as (app, pilot):
        await pilot.press("G", "c")  # 004, the longest article
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ListScreen)
        rows = app.screen.query_one("#rows", RowList)
        claims = [row for row in rows.items if isinstance(row, Claim)]
        assert [c.number_text for c in claims][:2] == ["duizenden", "twee"]
        assert claims[0].party == "De Zuid-Koreaanse inlichtingendienst"
        await pilot.press("G")
        chosen = rows.items[-1]
        assert isinstance(chosen, Claim)
        context = str(app.screen.query_one("#detail", Static).render())
        assert chosen.number_text in context and context in chosen.paragraph.text
        await pilot.press("enter")
        assert not isinstance(app.screen, ListScreen)
        assert app.reader.scroll_y > 0, "the article opens at the claim's paragraph"
        assert app.focused is app.reader


async def test_shift_c_groups_the_corpus_claims_by_what_is_counted() -> None:
    async with reader_app() as (app, pilot):
        await pilot.press("C")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ListScreen)
        assert "all articles" in str(app.screen.query_one(".list-box").border_title)
        rows = app.screen.query_one("#rows", RowList).items
        assert isinstance(rows[0], str) and rows[0].startswith("troops (")
        assert app.screen.query_one("#rows", RowList).cursor == 1, "the first claim, not a heading"
        troops = []
        for row in rows[1:]:
            if isinstance(row, str):
                break
            troops.append((row.number_text, row.party))
        assert ("3000", "De Oekraïense president Volodymyr Zelensky") in troops
        assert ("10.000", "het Amerikaanse Pentagon") in troops
        assert ("12.000", "Oekraïne / de Verenigde Staten / Zuid-Korea") in troops


def thumb_rows(pane: ReadingPane) -> int:
    """How many rows of the pane's scrollbar show its thumb, as drawn on screen."""
    bar = pane.vertical_scrollbar
    console = pane.app.console
    options = console.options.update(width=1, height=bar.size.height)
    lines = console.render_lines(bar.render(), options)
    return sum(any(s.style and (s.style.reverse or s.text.strip()) for s in line) for line in lines)


async def test_the_scrollbar_follows_the_article_shown() -> None:
    """The scrollbar is always there, so a new article never lays out the screen; it must
    still match what is shown: a thumb for a long article, whose end scrolling reaches, and
    none for a short one."""
    async with reader_app(size=(80, 24)) as (app, pilot):
        pane = app.reader
        seen: set[tuple[bool, int]] = set()
        for _ in range(len(app.articles.items)):
            lines = len(pane._lines)
            height = pane.container_size.height
            tall = lines > height
            assert pane.show_vertical_scrollbar
            assert pane.virtual_size.height == lines
            assert pane.vertical_scrollbar.window_virtual_size == lines
            assert (thumb_rows(pane) > 0) == tall
            if tall:
                assert thumb_rows(pane) < height
                pane.scroll_end(animate=False, immediate=True)
                await pilot.pause()
                assert pane.scroll_y == lines - height
            seen.add((tall, lines))
            await pilot.press("j")
            await pilot.pause()
        # The samples at 80x24 give long articles of different lengths, and the ticker a
        # short item.
        assert len({lines for tall, lines in seen if tall}) >= 2
        await pilot.press("tab", "j")
        await pilot.pause()
        assert len(pane._lines) <= pane.container_size.height
        assert thumb_rows(pane) == 0
        assert pane.max_scroll_y == 0


async def test_a_long_article_list_keeps_the_cursor_on_screen_when_wide(tmp_path: Path) -> None:
    # Wide, the article list takes the room it needs up to 60% of the column: a list longer
    # than that must scroll inside its pane, not grow past it with the cursor out of sight.
    for copy in range(12):
        for seed in sorted(SEEDS.glob("*.txt")):
            (tmp_path / f"{copy:02d}_{seed.name}").write_bytes(seed.read_bytes())
    async with reader_app([tmp_path], size=(140, 40)) as (app, pilot):
        rows = app.articles
        pane = app.query_one("#articles-pane")
        assert rows.visible_count == 60
        for _ in range(45):
            await pilot.press("j")
        await pilot.pause()
        assert rows.cursor == 45
        assert rows.size.height <= pane.content_region.height
        assert rows.scroll_offset.y <= rows.cursor < rows.scroll_offset.y + rows.size.height


async def test_a_move_repaints_only_the_two_rows_it_changes() -> None:
    # A tall list repainted whole at each key cost the key ~0.5 ms; the snapshot
    # test_list_after_moving_down_and_up checks that what is left on screen is right.
    async with reader_app(size=(80, 24)) as (app, pilot):
        rows = app.articles
        repainted: list[tuple[Region, ...]] = []
        refresh = rows.refresh

        def spy(*regions: Region, **options: bool) -> object:
            repainted.append(regions)
            return refresh(*regions, **options)

        rows.refresh = spy  # type: ignore[method-assign]
        await pilot.press("j")
        assert repainted and all(repainted), "no repaint of the whole list"
        assert {region.y for regions in repainted for region in regions} == {0, 1}
