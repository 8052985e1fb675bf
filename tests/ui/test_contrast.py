"""Every text the reader draws stays readable in every built-in Textual theme.

The real app is drawn (Pilot) in each theme, chosen after start as the command palette does,
and each character on screen is measured: its colour against the background it is drawn on,
by WCAG's contrast ratio. Text needs 4.5:1 (AA); the border that says which pane has the
focus needs 3:1 (WCAG's ratio for what shows a state). The other pane borders are quiet
lines that carry nothing to read, and are not measured.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass

import pytest
from rich.color import Color
from rich.color_triplet import ColorTriplet
from rich.style import Style
from rich.terminal_theme import DEFAULT_TERMINAL_THEME, MONOKAI
from textual.constants import DIM_FACTOR
from textual.geometry import Region
from textual.pilot import Pilot
from textual.theme import BUILTIN_THEMES

from reader.translate.result import Failed, NotDutch, Translated, TranslationResult
from reader.ui.app import ReaderApp
from reader.ui.contrast import TEXT_CONTRAST, blend, contrast, readable, shown_as
from reader.ui.panes import FilterInput
from reader.ui.screens import sources_screen
from reader.ui.sources import ALL_SOURCES, SourceChoice
from tests.conftest import REPO, SEEDS
from tests.ui.helpers import loaded, reader_app

FOCUS_BORDER_CONTRAST = 3.0


def _is_line(character: str) -> bool:
    """Box drawing (borders) and block elements (scrollbars): lines, not text."""
    return "\u2500" <= character <= "\u259f"


def _is_scrollbar(text: str) -> bool:
    return all("\u2580" <= character <= "\u259f" for character in text)


@dataclass(frozen=True)
class Drawn:
    """A run of characters on screen and the contrast it is drawn with."""

    ratio: float
    text: str
    x: int
    y: int
    style: str

    def __str__(self) -> str:
        return f"{self.ratio:.2f}:1 at {self.x},{self.y} {self.text.strip()!r} ({self.style})"


def drawn(app: ReaderApp, region: Region, *, lines: bool = False) -> Iterator[Drawn]:
    """What the screen shows inside `region`: its text, or (`lines`) its border lines.

    Read from the screen's compositor, the frame Textual sends to the terminal (`_compositor`
    is Textual's own; textual is pinned). The ANSI themes leave colours to the terminal:
    they are measured in the palette Textual assumes for it, as its screenshots show them."""
    terminal = app.ansi_theme
    strips = app.screen._compositor.render_strips()
    for y in range(region.y, region.bottom):
        x = 0
        for segment in strips[y]:
            text, style = segment.text, segment.style
            start, x = x, x + segment.cell_length
            shown = "".join(
                character
                for offset, character in enumerate(text)
                if region.x <= start + offset < region.right
                and not character.isspace()
                and _is_line(character) == lines
            )
            if not shown or style is None:
                continue
            foreground, background = style.color, style.bgcolor
            if style.reverse:
                foreground, background = background, foreground
            front = shown_as(foreground, terminal, foreground=True)
            back = shown_as(background, terminal, foreground=False)
            if style.dim:  # as Textual dims: towards the background
                front = blend(back, front, DIM_FACTOR)
            yield Drawn(contrast(front, back), shown, start, y, str(style))


def hard_to_read(app: ReaderApp, regions: list[Region]) -> list[Drawn]:
    """The text in `regions` drawn below 4.5:1, the worst first."""
    found = [run for region in regions for run in drawn(app, region) if run.ratio < TEXT_CONTRAST]
    return sorted(found, key=lambda run: run.ratio)


def focus_border(app: ReaderApp) -> list[Drawn]:
    """The border lines of the main screen's pane that holds the focus, if one does."""
    panes = app.screen.query(".pane:focus-within, ReadingPane:focus")
    return [
        run
        for pane in panes
        for run in drawn(app, pane.region, lines=True)
        if not _is_scrollbar(run.text)
    ]


# -- what is shown: every style the reader defines, on the backgrounds it is drawn on ------


class EnglishOfEveryKind:
    """A stand-in for the translation service: the four states, by turns, text by text."""

    STATES: tuple[TranslationResult | None, ...] = (
        None,  # still on its way
        NotDutch("fr"),
        Failed("server error 500"),
    )

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def __call__(self, text: str) -> TranslationResult | None:
        turn = self._seen.setdefault(text, len(self._seen)) % (len(self.STATES) + 1)
        return Translated(f"EN: {text}") if turn == len(self.STATES) else self.STATES[turn]


Scene = Callable[[ReaderApp, Pilot[int]], Awaitable[list[Region]]]
"""Puts the reader in a state and gives the regions of the screen to measure."""


async def _settle(app: ReaderApp, pilot: Pilot[int]) -> None:
    await loaded(pilot)
    app.clear_notifications()  # Textual's toasts: not the reader's styles
    await pilot.pause()


async def _press(app: ReaderApp, pilot: Pilot[int], *keys: str) -> None:
    await pilot.press(*keys)
    await _settle(app, pilot)


async def _show_article(app: ReaderApp, pilot: Pilot[int], title: str) -> None:
    """Move the article list's cursor to the article titled `title`."""
    article = next(a for a in app.articles.items if a.title.startswith(title))
    app.articles.select_item(article)
    await _settle(app, pilot)


def _whole_screen(app: ReaderApp) -> list[Region]:
    return [app.screen.region]


def _dialog(app: ReaderApp) -> list[Region]:
    # A dialog's own box and key bar: the screen behind it is dimmed on purpose.
    return [widget.region for widget in app.screen.query(".list-box, #help-box, KeyBar")]


async def article_with_english_in_every_state(app: ReaderApp, pilot: Pilot[int]) -> list[Region]:
    """Headline, dateline, file line, numbers, sources and the legend; the English
    translated, pending, not Dutch and failed; the focused list's cursor row."""
    await _show_article(app, pilot, "VS schatten")
    app.reader.set_translation(EnglishOfEveryKind())
    await _settle(app, pilot)
    for shown in ["… translating", "(French, not translated)", "⚠ not translated", "EN: "]:
        assert shown in app.reader.text
    return _whole_screen(app)


async def ticker_item(app: ReaderApp, pilot: Pilot[int]) -> list[Region]:
    """A ticker item (section label, age) in the focused ticker; the article list's
    cursor row without the focus."""
    app.ticker.focus()
    await _press(app, pilot, "j")
    return _whole_screen(app)


async def reading_pane_focused_without_highlighting(
    app: ReaderApp, pilot: Pilot[int]
) -> list[Region]:
    await _show_article(app, pilot, "VS schatten")
    await _press(app, pilot, "enter", "h")
    assert app.focused is app.reader
    return _whole_screen(app)


async def a_list_filtered_to_nothing(app: ReaderApp, pilot: Pilot[int]) -> list[Region]:
    """The filter field, and the list's "No articles."."""
    await _press(app, pilot, "slash", *"zzzz")
    return _whole_screen(app)


async def the_filter_field_s_placeholder(app: ReaderApp, pilot: Pilot[int]) -> list[Region]:
    """`/` with nothing typed yet: "filter articles" on the focused field's tint."""
    await _press(app, pilot, "slash")
    field = app.query_one("#articles-filter", FilterInput)
    assert field.has_focus and not field.value and field.placeholder == "filter articles"
    return [field.region]


async def claims_of_an_article(app: ReaderApp, pilot: Pilot[int]) -> list[Region]:
    await _show_article(app, pilot, "Zelensky")
    await _press(app, pilot, "c", "j")
    return _dialog(app)


async def claims_of_every_article(app: ReaderApp, pilot: Pilot[int]) -> list[Region]:
    """Claims in groups: the headings, and numbers no source is given for."""
    await _press(app, pilot, "C")
    await _press(app, pilot, "j", "j")
    return _dialog(app)


async def a_claims_group_heading(app: ReaderApp, pilot: Pilot[int]) -> list[Region]:
    """A group's heading under the cursor, and the hint below it that Enter folds it."""
    await _press(app, pilot, "C")
    await _press(app, pilot, "home")
    detail = app.screen.query_one("#detail")
    assert "Enter folds or unfolds this group." in str(detail.render())
    return _dialog(app)


async def sources(app: ReaderApp, pilot: Pilot[int]) -> list[Region]:
    """The sources: a feed whose refresh failed, its address in the detail below."""
    choices = [
        SourceChoice(ALL_SOURCES, "All sources", 27),
        SourceChoice("https://feeds.nos.nl/nosnieuws", "NOS Nieuws", 20, "timed out"),
        SourceChoice(None, "Saved pages", 7),
    ]
    await app.push_screen(sources_screen(choices, "https://feeds.nos.nl/nosnieuws"))
    await _settle(app, pilot)
    detail = app.screen.query_one("#detail")
    assert "Feed: https://feeds.nos.nl/nosnieuws" in str(detail.render())
    return _dialog(app)


async def notifications(app: ReaderApp, pilot: Pilot[int]) -> list[Region]:
    """The toasts that say why (`n` at the end, a failed refresh), with and without a title."""
    await _settle(app, pilot)  # the toasts of loading the hostile pages go
    app.notify("Last article.", markup=False)
    app.notify("Open an article first.", title="Claims", markup=False)
    app.notify("3 feeds failed. Press d for the list.", severity="warning", markup=False)
    app.notify("Removed", title="Settings", severity="warning", markup=False)
    app.notify("Could not read feeds.toml", title="Feeds", severity="error", markup=False)
    await pilot.pause()
    toasts = list(app.screen.query("Toast"))  # Textual's widget, by its CSS name
    assert len(toasts) == 5
    return [toast.region for toast in toasts]


async def read_new_and_starred_rows(app: ReaderApp, pilot: Pilot[int]) -> list[Region]:
    """The rows' marks: unread (bold), new, starred, read; and the question M asks."""
    for _ in range(100):  # the library opens in a worker after the first frame
        if app.library is not None:
            break
        await pilot.pause(0.02)
    # New, as a later run marks what arrived since the one before (the first marks nothing).
    app._new = frozenset(app.key_of(article) for article in app.articles.items)
    app.articles.redraw()
    await _press(app, pilot, "m", "j", "f", "j")  # the first read; the second starred
    text = "".join(str(app.articles.render_line(y).text) for y in range(3))
    assert "●" in text and "★" in text and "✦" in text
    regions = _whole_screen(app)
    app.ticker.focus()
    await _press(app, pilot, "M")  # the ticker's 32 items: it asks first
    return [*regions, *[w.region for w in app.screen.query("#confirm-box")]]


async def help_screen(app: ReaderApp, pilot: Pilot[int]) -> list[Region]:
    await _press(app, pilot, "question_mark")
    return _dialog(app)


async def diagnostics(app: ReaderApp, pilot: Pilot[int]) -> list[Region]:
    await _press(app, pilot, "d", "j")
    return _dialog(app)


SCENES: list[Scene] = [
    article_with_english_in_every_state,
    ticker_item,
    reading_pane_focused_without_highlighting,
    a_list_filtered_to_nothing,
    the_filter_field_s_placeholder,
    claims_of_an_article,
    claims_of_every_article,
    a_claims_group_heading,
    sources,
    notifications,
    read_new_and_starred_rows,
    help_screen,
    diagnostics,
]

PAGES = (SEEDS, REPO / "tests" / "fixtures" / "hostile")  # the samples, and pages with problems


@pytest.mark.parametrize("scene", SCENES, ids=[scene.__name__ for scene in SCENES])
async def test_every_text_is_readable_in_every_theme(scene: Scene) -> None:
    async with reader_app(PAGES, size=(120, 36)) as (app, pilot):
        regions = await scene(app, pilot)
        problems: list[str] = []
        for theme in sorted(BUILTIN_THEMES):
            app.theme = theme  # while it is shown, as the command palette does
            await pilot.pause()
            problems += [f"{theme}: {run}" for run in hard_to_read(app, regions)[:3]]
            border = [run for run in focus_border(app) if run.ratio < FOCUS_BORDER_CONTRAST]
            problems += [f"{theme}: the focused pane's border {run}" for run in border[:1]]
        assert not problems, "\n".join(problems)


# -- the colour arithmetic ---------------------------------------------------------------

WHITE, BLACK = ColorTriplet(255, 255, 255), ColorTriplet(0, 0, 0)


def test_contrast_is_wcag_s_ratio() -> None:
    assert contrast(BLACK, WHITE) == pytest.approx(21)
    assert contrast(WHITE, WHITE) == pytest.approx(1)
    assert contrast(ColorTriplet(0x77, 0x77, 0x77), WHITE) == pytest.approx(4.48, abs=0.01)


def _ratio(style: Style, background: str) -> float:
    front = shown_as(style.color, MONOKAI, foreground=True)
    if style.dim:
        front = blend(ColorTriplet(*Color.parse(background).get_truecolor()), front, DIM_FACTOR)
    return contrast(front, Color.parse(background).get_truecolor())


@pytest.mark.parametrize(
    ("style", "background"),
    [
        ("#ffc473", "#e0e0e0"),  # textual-dark's warning on textual-light's background
        ("#fbf1c7", "#85a598"),  # gruvbox's cursor text on its cursor
        ("dim #e0e0e0", "#0178d4"),  # dimmed text on a blue cursor
        ("#121212", "#121212"),  # the background's own colour
    ],
)
def test_readable_moves_a_faint_colour_just_far_enough(style: str, background: str) -> None:
    made = readable(Style.parse(f"{style} on {background}"), MONOKAI)
    assert not made.dim
    assert TEXT_CONTRAST <= _ratio(made, background) < TEXT_CONTRAST + 1


def test_readable_keeps_a_readable_style_as_it_is() -> None:
    for style in ["bold #e0e0e0 on #121212", "dim #e0e0e0 on #121212", "italic #1f1f1f on #fafafa"]:
        assert readable(Style.parse(style), MONOKAI) == Style.parse(style)


def test_an_unreadable_terminal_colour_gives_way_to_the_terminal_s_text_colour() -> None:
    # Bright yellow on the terminal's own white: the palette is the user's, so the
    # terminal's text colour, made to be read on its background, takes its place.
    made = readable(Style.parse("bold color(11)"), DEFAULT_TERMINAL_THEME)
    assert made.color is not None and made.color.is_default and made.bold
    on_blue = readable(Style.parse("dim color(4) on color(4)"), MONOKAI)
    assert on_blue.color is not None and on_blue.color.number in (0, 15) and not on_blue.dim
