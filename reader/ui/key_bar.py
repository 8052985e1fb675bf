"""The key bar at the bottom: the keys that work where the focus is, on one line.

Textual's Footer builds a widget per key and builds them all again whenever the focus moves;
this bar draws one line, which costs the first frame and every Tab next to nothing.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

from reader.ui.contrast import readable


class KeyBar(Widget):
    """Shows each shown binding as `key description`, as many as fit whole; a click on one
    presses its key."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description"}

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh()

    def render(self) -> Text:
        terminal = self.app.ansi_theme
        key_style = readable(self.get_component_rich_style("key-bar--key"), terminal)
        description_style = readable(
            self.get_component_rich_style("key-bar--description"), terminal
        )
        line = Text(no_wrap=True, overflow="crop", end="")
        seen: set[str] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or binding.action in seen or not active.enabled:
                continue
            seen.add(binding.action)
            shown_key = f" {self.app.get_key_display(binding)} "
            # A key without its description tells nothing: an entry shows whole or not at
            # all (its trailing space may go).
            if line.cell_len + cell_len(shown_key + binding.description) > self.size.width:
                break
            start = len(line)
            line.append(shown_key, key_style)
            line.append(f"{binding.description} ", description_style)
            line.stylize(Style(meta={"key": key}), start, len(line))
        return line

    def on_click(self, event: events.Click) -> None:
        key = event.style.meta.get("key")
        if key:
            self.app.simulate_key(key)
