"""The reading pane: the selected article or ticker item in full."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from reader.model import Article, CorpusTickerItem, ParagraphKind
from reader.present import dateline_text, display_path, long_age
from reader.text import make_visible

# A page of many megabytes would take seconds to lay out; the rest is in `export`.
MAX_PARAGRAPHS_SHOWN = 1000


class ReadingPane(VerticalScroll):
    """Shows one article or ticker item; scrolls with the keys readers expect."""

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

    def compose(self) -> ComposeResult:
        yield Static(self._placeholder, id="reading-text", markup=False)

    def on_mount(self) -> None:
        # Component styles follow the theme: render again when it changes.
        self.watch(self.app, "theme", lambda _: self._refresh_text(), init=False)

    @property
    def text(self) -> str:
        """What the pane shows, as plain text (for tests and for copying)."""
        return str(self.query_one("#reading-text", Static).visual)

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
            text, self.border_title = self._article_text(shown), "Article"
        elif isinstance(shown, CorpusTickerItem):
            text, self.border_title = self._ticker_text(shown), "Ticker item"
        else:
            text, self.border_title = Text(self._placeholder), None
        self.query_one("#reading-text", Static).update(text)

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
