"""The reading pane lays out ahead the item the next key most likely shows."""

from __future__ import annotations

import pytest

from reader.ui import reading_pane
from reader.ui.reading_pane import ReadingPane
from tests.ui.helpers import reader_app


def fresh_lines(pane: ReadingPane) -> list[list[tuple[str, object]]]:
    """The shown item laid out anew, as text and style per segment."""
    blocks, _ = pane._blocks_of(pane.shown)
    lines, _ = pane._wrapped(blocks, pane._lines_width)
    return [[(s.text, s.style) for s in line] for line in lines]


def shown_lines(pane: ReadingPane) -> list[list[tuple[str, object]]]:
    return [[(s.text, s.style) for s in line] for line in pane._lines]


async def test_the_next_item_is_prepared_the_way_the_cursor_moves() -> None:
    async with reader_app(size=(100, 30)) as (app, pilot):
        pane, articles = app.reader, app.articles.items
        await pilot.press("j")
        await pilot.pause()
        prepared = pane._prepared
        assert prepared is not None and prepared.item is articles[2]
        await pilot.press("j")
        assert pane.shown is articles[2] and pane._lines is prepared.lines, "swapped in"
        await pilot.pause()
        assert pane._prepared is not None and pane._prepared.item is articles[3]
        await pilot.press("k")  # back to 1: the way is now up
        await pilot.pause()
        assert pane._prepared is not None and pane._prepared.item is articles[0]


async def test_a_prepared_item_shows_exactly_as_one_laid_out_when_shown() -> None:
    async with reader_app(size=(100, 30)) as (app, pilot):
        pane = app.reader
        for key in [*"jjjjkkk", "tab", *"jjjjj", "shift+tab", "n"]:
            await pilot.press(key)
            await pilot.pause()
            assert shown_lines(pane) == fresh_lines(pane), key
            assert pane.virtual_size.height == len(pane._lines)


async def test_a_change_of_looks_drops_what_was_prepared() -> None:
    async with reader_app(size=(100, 30)) as (app, pilot):
        pane = app.reader
        await pilot.press("j")
        await pilot.pause()
        assert pane._prepared is not None
        await pilot.press("h")  # highlighting off: what was prepared has it on
        assert pane._prepared is None
        await pilot.press("j")
        assert shown_lines(pane) == fresh_lines(pane)
        app.theme = "textual-light"
        await pilot.pause()
        assert pane._prepared is None or pane._prepared.item is not pane.shown
        await pilot.press("j")
        assert shown_lines(pane) == fresh_lines(pane)


async def test_an_old_preparation_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    # It may show an age ("5 minutes ago") that has moved on since.
    async with reader_app(size=(100, 30)) as (app, pilot):
        pane = app.reader
        await pilot.press("j")
        await pilot.pause()
        prepared = pane._prepared
        assert prepared is not None
        monkeypatch.setattr(reading_pane, "PREPARED_FOR_SECONDS", 0.0)
        await pilot.press("j")
        assert pane.shown is prepared.item and pane._lines is not prepared.lines
