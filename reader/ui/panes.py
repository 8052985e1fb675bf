"""The frame around the reader's content: the title line, the bordered list panes and their
filter fields."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Region
from textual.widgets import Input, Static

from reader.model import Article, CorpusTickerItem
from reader.text import make_visible
from reader.ui.row_list import RowList


class TitleBar(Static):
    """The top line: the app's name and what is loaded (the app's sub_title).

    One Static rather than Textual's Header, whose four widgets cost the first frame more."""

    def on_mount(self) -> None:
        self.watch(self.app, "sub_title", self._show, init=True)

    def _show(self, sub_title: str) -> None:
        self.update(Content(f"{self.app.title} — {sub_title}" if sub_title else self.app.title))


class FilterInput(Input):
    """The filter field above a list, hidden until `/`."""


class ListPane(Vertical):
    """A bordered pane around a list (its filter field joins it on the first `/`)."""

    def show_position(self, position: str) -> None:
        """Show where the cursor is ("3 / 32") in the bottom border, repainting only that."""
        subtitle = Content(make_visible(position))
        if not self.size:
            self.border_subtitle = subtitle
            return
        # The border_subtitle setter repaints the whole pane, list included: ~1 ms of every
        # key in a tall list. This is where Textual keeps it (textual is pinned, and
        # tests/ui/test_app.py checks the position on screen).
        self._border_subtitle = subtitle
        left, top = self.content_offset
        width, height = self.outer_size
        self.refresh(Region(-left, height - 1 - top, width, 1))


def list_pane(
    name: str, title: str, rows: RowList[Article] | RowList[CorpusTickerItem]
) -> ComposeResult:
    """A list in its bordered pane, `#NAME-pane`."""
    with ListPane(id=f"{name}-pane", classes="pane") as pane:
        pane.border_title = title
        yield rows
