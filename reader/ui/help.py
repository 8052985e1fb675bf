"""What the reader can do, told two ways: the help screen (`?`) and the command palette
(Ctrl+P), both built from the bindings so they never disagree with the keys."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widget import Widget

from reader.ui.feeds import FEED_ACTIONS
from reader.ui.library import LIBRARY_ACTIONS
from reader.ui.reading_pane import ReadingPane
from reader.ui.row_list import RowList
from reader.ui.searching import MATCH_ACTIONS

if TYPE_CHECKING:  # loaded on first use: not on the way to the first frame
    from reader.ui.screens import KeyGroup

HELP_NOTES = [
    "Privacy: t (English) sends the text shown to the translation service you chose "
    "(Google by default, or your LibreTranslate server); nothing is sent before you press t, "
    "except that English on when you quit is on again at the next start (nieuwslezer --fresh "
    "starts without it). Translations are kept in a cache on this computer (nieuwslezer cache "
    "--clear empties it). Feeds: only the feeds you subscribed to are fetched (on start, r, R); "
    "without subscriptions nieuwslezer makes no network request.",
    "Mouse: a click selects a row and opens it; the wheel scrolls the pane under it.",
    "Moving through a list shows the item in the reading pane; Enter moves into it.",
    "Filters ignore case, accents and hyphens: “geneve” finds GENÈVE, “zuid korea” Zuid-Korea.",
    "Read: an item is read once opened with Enter or a click, or after 2 seconds in the reading "
    "pane; moving past it with j/k does not mark it. ● unread (bold), ✦ new (first listed in "
    "this run), ★ starred.",
]

_FOCUS_COMMANDS = [
    ("Focus articles", "Move the focus to the article list", "articles"),
    ("Focus ticker", "Move the focus to the ticker list", "ticker"),
    ("Focus reading pane", "Move the focus to the reading pane", "reader"),
]

_GLOBAL_KEYS = [
    ("Tab / Shift+Tab", "Move between the panes"),
    ("Ctrl+P", "Command palette: every action, and the theme"),
]


class HelpMixin:
    """The reader's `?` and its command palette.

    A part of ReaderApp, as FeedsMixin is; it comes before App, whose system commands it
    extends."""

    def action_help(self) -> None:
        from reader.ui.screens import HelpScreen

        self.push_screen(HelpScreen(self._key_groups(), HELP_NOTES))

    def _key_groups(self) -> list[KeyGroup]:
        def rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
            return [
                (_keys(binding), binding.tooltip or binding.description)
                for binding in bindings
                if isinstance(binding, Binding)
            ]

        grouped = FEED_ACTIONS | MATCH_ACTIONS | LIBRARY_ACTIONS
        anywhere = [b for b in self.BINDINGS if getattr(b, "action", "") not in grouped]
        library_keys = [b for b in self.BINDINGS if getattr(b, "action", "") in LIBRARY_ACTIONS]
        match_keys = [b for b in self.BINDINGS if getattr(b, "action", "") in MATCH_ACTIONS]
        feed_keys = [b for b in self.BINDINGS if getattr(b, "action", "") in FEED_ACTIONS]
        return [
            ("Anywhere", [*rows(anywhere), *_GLOBAL_KEYS]),
            ("Read, new and starred", rows(library_keys)),
            ("Feeds (once subscribed: nieuwslezer feeds add nos)", rows(feed_keys)),
            ("In a list (articles, ticker)", rows(RowList.BINDINGS)),
            ("In the reading pane", rows(ReadingPane.BINDINGS)),
            ("In an article opened from the search (F)", rows(match_keys)),
        ]

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action: the app's, the focused pane's (built from their bindings), and focus."""
        yield from super().get_system_commands(screen)
        for binding in self.BINDINGS:
            if not isinstance(binding, Binding) or binding.action == "quit":  # Textual has Quit
                continue
            if self.check_action(binding.action, ()):
                yield SystemCommand(
                    binding.description,
                    f"{binding.tooltip} ({_keys(binding)})",
                    partial(self.run_action, binding.action),
                )
        focused = screen.focused
        if isinstance(focused, RowList | ReadingPane):
            where = "reading pane" if isinstance(focused, ReadingPane) else f"{focused.id} list"
            for binding in focused.BINDINGS:
                if isinstance(binding, Binding):
                    yield SystemCommand(
                        f"{binding.description} ({where})",
                        f"In the focused pane ({_keys(binding)})",
                        partial(focused.run_action, binding.action),
                    )
        for title, help_text, widget_id in _FOCUS_COMMANDS:
            yield SystemCommand(title, help_text, partial(self._focus_pane, widget_id))

    def _focus_pane(self, widget_id: str) -> None:
        self.query_one(f"#{widget_id}", Widget).focus()


def _keys(binding: Binding) -> str:
    names = {"question_mark": "?", "slash": "/", "space": "Space", "pagedown": "PgDn",
             "pageup": "PgUp", "escape": "Esc", "enter": "Enter", "down": "↓", "up": "↑",
             "home": "Home", "end": "End", "right_square_bracket": "]",
             "left_square_bracket": "["}  # fmt: skip
    return " / ".join(names.get(key, key) for key in binding.key.split(","))
