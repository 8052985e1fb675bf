"""The reading pane lays out ahead the item the next key most likely shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from textual.strip import Strip

from reader.model import Article, Paragraph, ParagraphKind
from reader.present import age_since
from reader.ui import documents
from reader.ui.reading_pane import PREPARE_AT_MOST_CHARACTERS, ReadingPane
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


def feed_article(title: str, published: datetime, words: int = 50) -> Article:
    text = " ".join(["woord"] * words)
    url = f"https://example.org/{title}"
    paragraph = Paragraph(ParagraphKind.BODY, text, url, 0)
    return Article(title, url, 0, (paragraph,), source="NOS", link=url, published=published)


async def test_a_preparation_whose_age_has_moved_on_is_not_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    published = datetime.now(UTC) - timedelta(minutes=5)
    async with reader_app(size=(100, 30)) as (app, pilot):
        app._replace_feed_articles([feed_article(f"bericht {n}", published) for n in range(3)])
        await pilot.pause()
        pane = app.reader
        await pilot.press("j")
        await pilot.pause()
        prepared = pane._prepared
        assert prepared is not None and "(5 minutes ago)" in _plain_lines(prepared.lines)
        later = datetime.now(UTC) + timedelta(minutes=10)
        monkeypatch.setattr(documents, "age_since", lambda p: age_since(p, later))
        await pilot.press("j")
        assert pane.shown is prepared.item
        assert "(15 minutes ago)" in pane.text and "(5 minutes ago)" not in pane.text


async def test_nothing_too_long_is_prepared() -> None:
    # Laid out ahead on the UI thread, a huge page would hold the next key for its length.
    published = datetime.now(UTC)
    huge = feed_article("huge", published, words=PREPARE_AT_MOST_CHARACTERS // 5)
    async with reader_app(size=(100, 30)) as (app, pilot):
        app._replace_feed_articles([feed_article("short", published), huge])
        await pilot.pause()
        assert app.articles.ahead is huge
        app.reader.prepare(huge)
        assert app.reader._prepared is None
        app.reader.prepare(app.articles.items[2])  # a sample page
        assert app.reader._prepared is not None


async def test_nothing_is_prepared_while_the_english_is_on() -> None:
    # The English changes as translations arrive: a layout made ahead would show it stale.
    async with reader_app(size=(100, 30)) as (app, pilot):
        pane = app.reader
        pane.set_translation(lambda _: None)  # every text pending
        await pilot.press("j")
        await pilot.pause()
        assert pane._prepared is None
        pane.set_translation(None)
        await pilot.press("j")
        await pilot.pause()
        assert pane._prepared is not None
        pane.set_translation(lambda _: None)
        assert pane._prepared is None
        await pilot.press("j")
        assert "… translating" in pane.text


def _plain_lines(lines: list[Strip]) -> str:
    return "\n".join(line.text for line in lines)
