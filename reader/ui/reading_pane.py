"""The reading pane: the selected article or ticker item in full."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.model import Article, CorpusTickerItem, ParagraphKind
from reader.present import dateline_text, display_path, long_age
from reader.text import make_visible

# A page of many megabytes would take seconds to lay out; the rest is in `export`.
MAX_PARAGRAPHS_SHOWN = 1000


class ReadingPane(ScrollView, can_focus=True):
    """Shows one article or ticker item; scrolls with the keys readers expect.

    A ScrollView that renders pre-wrapped lines: changing what it shows repaints it without
    laying out the rest of the screen, which keeps moving through a list fast.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "scroll_down", "Scroll down", show=False, id="reader.down"),
        Binding("up,k", "scroll_up", "Scroll up", show=False, id="reader.up"),
        Binding("home,g", "scroll_home", "Top", show=False, id="reader.top"),
        Binding("end,G", "scroll_end", "Bottom", show=False, id="reader.bottom"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "reading--title",
        "reading--dateline",
        "reading--meta",
        "reading--lead",
        "reading--subheading",
        "reading--label",
    }

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.shown: Article | CorpusTickerItem | None = None
        self._placeholder = "Loading…"
        self._text = Text(self._placeholder)
        self._lines: list[Strip] = []
        self._lines_width = -1  # the width _lines were wrapped for

    def notify_style_update(self) -> None:
        # The text is styled from component classes: style it anew when they change (a new
        # theme, focus), or the old colours stay.
        super().notify_style_update()
        if self.is_mounted:
            self._refresh_text()

    @property
    def text(self) -> str:
        """What the pane shows, as plain text (for tests and for copying)."""
        return self._text.plain

    def show(self, shown: Article | CorpusTickerItem | None, placeholder: str = "") -> None:
        """Show an article or ticker item from its top; None shows `placeholder`."""
        same = shown is self.shown
        self.shown = shown
        self._placeholder = placeholder
        self._refresh_text()
        if not same:
            self.scroll_home(animate=False, immediate=True)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"reading--{name}", partial=True)

    def _refresh_text(self) -> None:
        shown = self.shown
        if isinstance(shown, Article):
            text, title = self._article_text(shown), "Article"
        elif isinstance(shown, CorpusTickerItem):
            text, title = self._ticker_text(shown), "Ticker item"
        else:
            text, title = Text(self._placeholder), None
        if title != self.border_title:
            self.border_title = title
        self._text = text
        self._lines_width = -1
        self._wrap()
        self.refresh()

    def _wrap(self) -> None:
        """Wrap the text to the pane's width, once per text and width."""
        width = self.scrollable_content_region.width
        if width == self._lines_width or width <= 0:
            return
        console = self.app.console
        options = console.options.update(width=width, height=None, no_wrap=False)
        lines = console.render_lines(self._text, options, style=self.rich_style, pad=True)
        self._lines = [Strip(line, width) for line in lines]  # made once: Strips are costly
        self._lines_width = width
        size = Size(width, len(self._lines))
        if size != self.virtual_size:  # a new size means a layout; the same size, a repaint
            self.virtual_size = size

    def on_resize(self) -> None:
        self._wrap()

    def render_line(self, y: int) -> Strip:
        self._wrap()
        width = self.scrollable_content_region.width
        row = self.scroll_offset.y + y
        return self._lines[row] if row < len(self._lines) else Strip.blank(width, self.rich_style)

    def _article_text(self, article: Article) -> Text:
        text = Text()
        text.append(make_visible(article.title) or "(no title)", self._style("title"))
        text.append("\n")
        if article.dateline is not None:
            text.append(make_visible(dateline_text(article.dateline)), self._style("dateline"))
            text.append("\n")
        where = f"{display_path(article.file)}, line {article.line}"
        text.append(make_visible(where), self._style("meta"))
        paragraphs = article.paragraphs[:MAX_PARAGRAPHS_SHOWN]
        for paragraph in paragraphs:
            text.append("\n\n")
            content = make_visible(paragraph.text)
            if paragraph.kind is ParagraphKind.SUBHEADING:
                text.append(content, self._style("subheading"))
            elif paragraph.kind is ParagraphKind.LEAD:
                text.append(content, self._style("lead"))
            else:
                text.append(content)
        hidden = len(article.paragraphs) - len(paragraphs)
        if hidden:
            text.append(
                f"\n\n… {hidden:,} more paragraphs not shown here: the page is unusually large "
                "(`nieuwslezer export` writes all of it).",
                self._style("meta"),
            )
        return text

    def _ticker_text(self, item: CorpusTickerItem) -> Text:
        text = Text()
        section = f"Meer uit {item.section}" if item.section else "Ticker"
        text.append(make_visible(section), self._style("label"))
        text.append(f"  {long_age(item.age)}\n", self._style("meta"))
        if item.dateline is not None:
            text.append(make_visible(dateline_text(item.dateline)), self._style("dateline"))
            text.append("\n")
        text.append("\n")
        text.append(make_visible(item.text), self._style("lead"))
        text.append("\n\n")
        seen = "; ".join(
            f"{display_path(s.file)}, line {s.line} ({long_age(s.age)})" for s in item.sightings
        )
        label = "Seen in" if len(item.sightings) > 1 else "From"
        text.append(make_visible(f"{label}: {seen}"), self._style("meta"))
        return text
