"""Readable colours in every theme: text keeps WCAG's AA contrast (4.5:1) on its background.

Textual's themes give each colour as its designer chose it, and several fall short where the
reader draws with them: a theme's warning colour on its light background, a cursor's text on
the cursor, dimmed text on either. The reader keeps each colour's hue and moves it just far
enough towards black or white to be read.
"""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color, ColorType
from rich.color_triplet import ColorTriplet
from rich.console import Console
from rich.style import Style
from rich.terminal_theme import TerminalTheme
from rich.text import Text
from textual.constants import DIM_FACTOR

TEXT_CONTRAST = 4.5
"""WCAG 2's AA contrast ratio for text."""

_BLACK = ColorTriplet(0, 0, 0)
_WHITE = ColorTriplet(255, 255, 255)
_NOT_DIM = Style(dim=False)


def _luminance(color: ColorTriplet) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(color.red) + 0.7152 * linear(color.green) + 0.0722 * linear(color.blue)


def contrast(one: ColorTriplet, other: ColorTriplet) -> float:
    """WCAG's contrast ratio of two colours: 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def blend(start: ColorTriplet, end: ColorTriplet, part: float) -> ColorTriplet:
    """The colour `part` of the way from `start` to `end`."""
    return ColorTriplet(
        round(start.red + (end.red - start.red) * part),
        round(start.green + (end.green - start.green) * part),
        round(start.blue + (end.blue - start.blue) * part),
    )


def shown_as(color: Color | None, terminal: TerminalTheme, *, foreground: bool) -> ColorTriplet:
    """The colour a terminal with `terminal`'s palette shows (ANSI and default colours too)."""
    return (color or Color.default()).get_truecolor(terminal, foreground=foreground)


def readable_color(color: ColorTriplet, background: ColorTriplet, minimum: float) -> ColorTriplet:
    """`color`, moved towards black or white until it has `minimum` contrast on `background`."""
    if contrast(color, background) >= minimum:
        return color
    # Light text stays light and dark text dark where that can be read (a theme's light text
    # on its cursor); else the other way. One of the two always reaches 4.5:1.
    lighter = _luminance(color) > _luminance(background)
    end, other = (_WHITE, _BLACK) if lighter else (_BLACK, _WHITE)
    if contrast(end, background) < minimum:
        end = other
    for step in range(1, 21):
        moved = blend(color, end, step / 20)
        if contrast(moved, background) >= minimum:
            return moved
    return end


@lru_cache(maxsize=4096)
def readable(
    style: Style,
    terminal: TerminalTheme,
    background: Color | None = None,
    minimum: float = TEXT_CONTRAST,
) -> Style:
    """`style`, its text coloured to keep `minimum` contrast on its background.

    The background is the style's own, else `background`. Dim text stays as dim as can be
    read. A colour the terminal picks (an ANSI theme's) is kept when it is readable in the
    palette Textual assumes for the terminal; otherwise the terminal's own text colour takes
    its place: the user's palette is unknown, and that one is made to be read.
    """
    if style.reverse:
        return style
    back = style.bgcolor or background
    back_shown = shown_as(back, terminal, foreground=False)
    front_shown = shown_as(style.color, terminal, foreground=True)
    if style.dim:
        dimmed = blend(back_shown, front_shown, DIM_FACTOR)  # as Textual and terminals dim
        if contrast(dimmed, back_shown) >= minimum:
            return style
        style += _NOT_DIM
        if _is_rgb(style.color) and _is_rgb(back):
            colour = readable_color(dimmed, back_shown, minimum)
            return style + Style(color=Color.from_triplet(colour))
    if contrast(front_shown, back_shown) >= minimum:
        return style
    if _is_rgb(style.color) and _is_rgb(back):
        colour = readable_color(front_shown, back_shown, minimum)
        return style + Style(color=Color.from_triplet(colour))
    return style + Style(color=_terminal_text(back, terminal))


def readable_text(text: Text, base: Style, terminal: TerminalTheme, console: Console) -> Text:
    """`text` with each stretch's style made readable on `base`, the style of the widget it
    is drawn in (its colour and background): a dimmed line, a colour of its own."""
    made = Text(justify=text.justify, overflow=text.overflow, no_wrap=text.no_wrap, end="")
    # The Text's own style: render() leaves it out of the segments of a Text without spans.
    own = base + console.get_style(text.style, default=Style.null())
    for segment in text.render(console, end=""):
        made.append(segment.text, readable(own + segment.style, terminal))
    return made


def _is_rgb(color: Color | None) -> bool:
    return color is not None and color.type in (ColorType.TRUECOLOR, ColorType.EIGHT_BIT)


def _terminal_text(background: Color | None, terminal: TerminalTheme) -> Color:
    """The terminal's colour that reads best on `background`: its text colour on its own
    background, else black or bright white."""
    if background is None or background.is_default:
        return Color.default()
    shown = shown_as(background, terminal, foreground=False)
    black, white = Color.from_ansi(0), Color.from_ansi(15)
    on_black = contrast(shown_as(black, terminal, foreground=True), shown)
    on_white = contrast(shown_as(white, terminal, foreground=True), shown)
    return black if on_black >= on_white else white
