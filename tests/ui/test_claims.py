"""`c` and `C` (Pilot): in a worker that shows its progress and that Esc stops, on what the
reading pane shows (a ticker item too), every figure with or without a source, groups that
Enter folds, and columns that keep apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot

from reader.corpus import load_corpus
from reader.highlight.claims import Claim, article_claims
from reader.model import Article, Paragraph, ParagraphKind
from reader.ui.app import ReaderApp, build_app
from reader.ui.claims import ClaimsMixin
from reader.ui.claims_screen import ClaimRow, claim_row
from reader.ui.row_list import RowList
from reader.ui.screens import HelpScreen, ListScreen
from reader.ui.sources import ALL_SOURCES
from tests.conftest import SEEDS
from tests.ui.helpers import reader_app


def large_page(folder: Path, paragraphs: int) -> Path:
    """A page of many distinct paragraphs with numbers and sources, as a 30 MB page has
    (distinct: the highlighter caches a paragraph it has seen)."""
    body = [p.text for a in load_corpus([SEEDS]).articles for p in a.paragraphs[1:]]
    lines = ["Een ongewoon grote pagina", "DEN HAAG (ANP) - Het begint met 3 berichten."]
    lines += [f"{body[n % len(body)]} Bericht {n}." for n in range(paragraphs)]
    path = folder / "groot.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    (folder / "klein.txt").write_text("Een kleine pagina\nUTRECHT (ANP) - Twee zinnen.\n")
    return folder


async def until(pilot: Pilot[int], condition: object, seconds: float = 10) -> None:
    for _ in range(int(seconds / 0.05)):
        if callable(condition) and condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("waited in vain")


async def claims_listed(app: ReaderApp, pilot: Pilot[int], key: str) -> RowList[ClaimRow]:
    """Press `key` (c or C), wait for the worker, and return the claims dialog's list."""
    await pilot.press(key)
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, ListScreen)
    return app.screen.query_one("#rows", RowList)


def dialog_title(app: ReaderApp) -> str:
    return str(app.screen.query_one(".list-box").border_title)


def toasts(app: ReaderApp) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query("Toast")]


@pytest.mark.parametrize("key", ["c", "C"])
async def test_claims_of_a_large_page_show_progress_leave_keys_working_and_esc_stops(
    tmp_path: Path, key: str
) -> None:
    folder = large_page(tmp_path, 30_000)
    async with reader_app([folder], size=(160, 30)) as (app, pilot):
        assert app.articles.highlighted is not None
        assert app.articles.highlighted.title == "Een ongewoon grote pagina"
        await pilot.press(key)
        await until(pilot, lambda: "collecting claims" in app.sub_title)
        assert re.search(r" · collecting claims… \d+% \(Esc stops\)$", app.sub_title)
        await pilot.press("j")  # handled at once, while the worker goes on
        assert app.articles.cursor == 1
        assert "collecting claims" in app.sub_title
        await pilot.press("escape")
        assert "collecting claims" not in app.sub_title
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ListScreen), "stopped: no claims shown"
        assert any("Stopped collecting claims" in toast for toast in toasts(app))
        assert app.focused is app.articles, "Esc stopped the claims, not the filter"


async def test_c_on_a_ticker_item_lists_its_own_claims() -> None:
    async with reader_app() as (app, pilot):
        await pilot.press("tab")
        item = next(t for t in app.ticker.items if "Duizenden mensen" in t.text)
        assert app.ticker.select_item(item)
        await pilot.pause()
        assert app.reader.shown is item
        claims = list((await claims_listed(app, pilot, "c")).items)
        assert "ticker item" in dialog_title(app)
        assert claims and all(isinstance(c, Claim) for c in claims)
        assert all(c.paragraph.text == item.text for c in claims)  # type: ignore[union-attr]
        await pilot.press("enter")
        assert not isinstance(app.screen, ListScreen)
        assert app.reader.shown is item and app.focused is app.reader


async def test_shift_c_shows_the_unattributed_figures_marked_so() -> None:
    async with reader_app(size=(140, 40)) as (app, pilot):
        rows = (await claims_listed(app, pilot, "C")).items
        assert "not attributed" in dialog_title(app)
        end = next(i for i, row in enumerate(rows[1:], 1) if isinstance(row, str))
        troops = [row for row in rows[1:end] if isinstance(row, Claim)]
        unattributed = [c.number_text for c in troops if not c.sources]
        assert "3000" in unattributed and "10.000" in unattributed
        row = next(c for c in troops if not c.sources)
        assert "not attributed" in claim_row(row, 120).plain


async def test_enter_on_a_group_heading_folds_and_unfolds_it() -> None:
    async with reader_app() as (app, pilot):
        rows = await claims_listed(app, pilot, "C")
        every = rows.visible_count
        troops = rows.items[0]
        assert isinstance(troops, str)
        await pilot.press("up", "enter")  # from the first claim to its heading
        assert isinstance(app.screen, ListScreen), "the dialog stays"
        assert rows.highlighted is troops
        assert rows.visible_count < every
        assert isinstance(rows.visible_items[1], str), "the next heading follows at once"
        await pilot.press("enter")
        assert rows.visible_count == every and rows.highlighted is troops


def test_claim_columns_keep_a_gap_and_cut_long_cells() -> None:
    text = "Volgens de krant zijn er 3000 functionarissen twee Amerikaanse bases ontvlucht."
    paragraph = Paragraph(ParagraphKind.BODY, text, "x.txt", 2)
    (claim,) = [
        c
        for c in article_claims(Article("Titel", "x.txt", 1, (paragraph,)))
        if c.number_text == "3000"
    ]
    assert claim.counted == "functionarissen"
    plain = claim_row(claim, 100).plain
    assert "functionariss…  de krant" in plain
    assert plain.index("de krant") == 14 + 2 + 14 + 2


async def test_claims_ready_while_a_dialog_is_open_show_once_it_closes(tmp_path: Path) -> None:
    """Not on top of `?`: the claims wait (collecting them again could take long), say they
    are ready, and show when the dialog closes; Esc on them leads back to the reader."""
    folder = large_page(tmp_path, 10_000)
    async with reader_app([folder], size=(160, 30)) as (app, pilot):
        await pilot.press("c")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and len(app.screen_stack) == 2
        assert "Claims ready: they show when this dialog closes." in toasts(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ListScreen) and len(app.screen_stack) == 2
        assert dialog_title(app).startswith("Claims in “Een ongewoon grote pagina”")
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.screen_stack) == 1


async def test_shift_c_names_the_source_listed_when_it_was_pressed(tmp_path: Path) -> None:
    """The title's scope is the list `C` read, though the source shown changes meanwhile."""
    folder = large_page(tmp_path, 10_000)
    async with reader_app([folder], size=(160, 30)) as (app, pilot):
        app.show_source(None)  # the saved pages
        await pilot.press("C")
        await until(pilot, lambda: "collecting claims" in app.sub_title)
        app.show_source(ALL_SOURCES)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert dialog_title(app).startswith("Who claims what, the articles of the saved pages (")


def test_each_reader_has_claims_state_of_its_own() -> None:
    app = build_app([SEEDS])
    assert app.claims_progress == ""
    shared = {"claims_progress", "_claims_worker"} & set(vars(ClaimsMixin))
    assert not shared, "set per app in _init_claims, as the other mixins do"


async def test_a_dialog_s_list_is_built_without_a_filter() -> None:
    """Dialogs have no filter: a list screen is its title, rows, row and detail only."""
    screen: ListScreen[str] = ListScreen(
        "Rows", ["een", "twee"], lambda row, width: Text(row), lambda row: Text(row.upper()), "-"
    )
    async with reader_app() as (app, pilot):
        await app.push_screen(screen)
        await pilot.press("j")
        assert "TWEE" in str(screen.query_one("#detail").render())
        with pytest.raises(TypeError, match="no search text"):
            screen.query_one("#rows", RowList).filter("een")
