"""What the reader shows where a new user read it closely: the key bar at each width, the
order of the headline's English, the names of languages, the note under a very large page."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.css.stylesheet import Stylesheet

from reader.model import Article
from reader.resources import dialog_styles
from reader.translate.result import NotDutch, Translated, TranslationResult
from reader.ui.app import ReaderApp
from reader.ui.key_bar import KeyBar
from reader.ui.reading_pane import MAX_PARAGRAPHS_SHOWN, ReadingPane
from reader.ui.screens import HelpScreen
from tests.ui.helpers import reader_app


def key_bar_line(app) -> str:  # type: ignore[no-untyped-def]
    """The key bar as drawn on screen (its last line)."""
    bar = app.screen.query_one(KeyBar)
    strip = app.screen._compositor.render_strips()[bar.region.y]  # textual is pinned
    return "".join(segment.text for segment in strip)


@pytest.mark.parametrize("width", [60, 70, 80, 90, 100])
async def test_the_key_bar_shows_whole_entries_only(width: int) -> None:
    async with reader_app(size=(width, 24)) as (app, _):
        line = key_bar_line(app)
        assert len(line) == width
        entries = [
            f" {app.get_key_display(active.binding)} {active.binding.description} "
            for active in app.screen.active_bindings.values()
            if active.binding.show and active.enabled
        ]
        entries = list(dict.fromkeys(entries))  # a key bound twice shows once
        whole = ["".join(entries[:count]) for count in range(1, len(entries) + 1)]
        assert line.rstrip() in [shown.rstrip() for shown in whole], line
        assert " ⏎ Open " in line  # the first entries always fit


def english(text: str) -> TranslationResult | None:
    return Translated(f"EN:{text}")


async def test_stacked_the_english_headline_comes_under_the_dutch_one() -> None:
    async with reader_app(size=(80, 24)) as (app, pilot):
        pane = app.reader
        article = pane.shown
        assert isinstance(article, Article) and not pane.side_by_side
        pane.set_translation(english)
        await pilot.pause()
        lines = pane.text.splitlines()
        file_line = next(n for n, line in enumerate(lines) if Path(article.file).name in line)
        headline = lines.index(article.title)
        assert lines[headline + 1] == f"EN:{article.title}"
        assert headline + 1 < file_line


async def test_side_by_side_the_english_headline_is_beside_the_dutch_one() -> None:
    async with reader_app(size=(160, 40)) as (app, pilot):
        pane = app.reader
        article = pane.shown
        assert isinstance(article, Article) and pane.side_by_side
        pane.set_translation(english)
        await pilot.pause()
        first = "".join(segment.text for segment in pane._lines[0]).split()
        assert first[0] == article.title.split()[0]
        assert f"EN:{article.title.split()[0]}" in first


@pytest.mark.parametrize(("code", "shown"), [("fr", "French"), ("en", "English"), ("xx", "xx")])
async def test_a_paragraph_in_another_language_names_it(code: str, shown: str) -> None:
    async with reader_app(size=(100, 30)) as (app, pilot):
        app.reader.set_translation(lambda text: NotDutch(code))
        await pilot.pause()
        assert f"({shown}, not translated)" in app.reader.text
        assert f"already {code}" not in app.reader.text


async def test_a_very_large_page_says_how_to_see_the_rest_in_plain_words(tmp_path: Path) -> None:
    paragraphs = [f"Alinea {number} van een heel lange pagina." for number in range(1, 1101)]
    page = tmp_path / "groot.txt"
    page.write_text("Een heel lange pagina\n" + "\n".join(paragraphs) + "\n", encoding="utf-8")
    async with reader_app([page], size=(100, 30)) as (app, _):
        hidden = len(paragraphs) - MAX_PARAGRAPHS_SHOWN
        note = app.reader.text.splitlines()[-1]
        assert note == (
            f"… {hidden:,} more paragraphs not shown here: the page is unusually large "
            "(nieuwslezer export writes all of it)."
        )
        assert "`" not in note


async def test_a_new_theme_restyles_the_article_shown_and_the_next() -> None:
    # Textual restyles the pane's component classes just after the pane itself: the text
    # was laid out again with the old theme's colours (the headline in the background's own
    # colour in textual-light), and kept them for every article after.
    async with reader_app(size=(100, 30)) as (app, pilot):
        for theme in ("textual-light", "textual-dark", "solarized-light"):
            app.theme = theme
            await pilot.pause()
            foreground = app.theme_variables["foreground"]
            for _ in range(2):
                longest = max(app.reader._lines[0], key=lambda segment: len(segment.text))
                assert longest.style and longest.style.color and longest.style.color.triplet
                assert longest.style.color.triplet.hex.upper() == foreground.upper(), theme
                await pilot.press("j")
                await pilot.pause()


@pytest.mark.parametrize(("width", "width_class"), [(80, "-narrow"), (140, "-wide")])
async def test_the_widgets_are_styled_for_the_terminal_width_from_the_first(
    width: int, width_class: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screen has its width class before its widgets are first styled: given by the
    first Resize, after them, it had every widget styled again (~2 ms of the first frame)."""
    screen_classes: list[set[str]] = []  # each time the reading pane is styled
    apply = Stylesheet.apply

    def noted_apply(stylesheet: Stylesheet, node, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(node, ReadingPane):
            screen_classes.append(set(node.screen.classes))
        return apply(stylesheet, node, *args, **kwargs)

    monkeypatch.setattr(Stylesheet, "apply", noted_apply)
    async with reader_app(size=(width, 30)):
        pass
    assert width_class in screen_classes[0]


def help_box_border(app: ReaderApp) -> str:
    assert isinstance(app.screen, HelpScreen)
    return app.screen.query_one("#help-box").styles.border_top[0]


async def test_the_dialogs_styles_are_read_after_the_first_frame(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Off the way to the first frame, then read once it is out: a dialog opening after that
    has them without Textual parsing every stylesheet again (~10 ms)."""
    async with reader_app() as (app, pilot):
        assert app.stylesheet.has_source(str(dialog_styles()))
        reparsed: list[Stylesheet] = []
        reparse = Stylesheet.reparse
        monkeypatch.setattr(Stylesheet, "reparse", lambda s: (reparsed.append(s), reparse(s)))
        await pilot.press("question_mark")
        assert help_box_border(app) == "round"
        assert reparsed == []


async def test_a_dialog_opened_before_its_styles_were_read_has_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ReaderApp, "_read_dialog_styles", lambda app: None)
    async with reader_app() as (app, pilot):
        assert not app.stylesheet.has_source(str(dialog_styles()))  # not read at start-up
        await pilot.press("question_mark")
        assert help_box_border(app) == "round"
