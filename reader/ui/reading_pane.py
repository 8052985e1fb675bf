"""The reading pane: the selected article or ticker item in full, numbers and sources marked."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.agencies import agency_name
from reader.model import (
    Article,
    CorpusTickerItem,
    Dateline,
    Link,
    ParagraphKind,
    Span,
    SpanKind,
)
from reader.present import age_since, display_path, long_age, published_text
from reader.text import make_visible
from reader.translate.result import NotDutch, Translated, TranslationResult

if TYPE_CHECKING:
    from reader.highlight import Annotation

# A page of many megabytes would take seconds to lay out; the rest is in `export`.
MAX_PARAGRAPHS_SHOWN = 1000

SIDE_BY_SIDE_COLUMNS = 120

# Laying out ahead holds the UI for as long as the layout takes: a page of 1,000 paragraphs
# took ~380 ms, and a key pressed meanwhile would wait for an article it may never open.
PREPARE_AT_MOST_CHARACTERS = 20_000

Block = tuple[RenderableType, int | None]
"""A stretch of the document and the index of the paragraph it shows, if it is one."""


@dataclass(frozen=True)
class Layout:
    """An item's blocks wrapped to one width: all that showing it takes, made ahead."""

    item: Article | CorpusTickerItem
    blocks: list[Block]
    title: str | None
    lines: list[Strip]
    paragraph_lines: dict[int, int]
    width: int
    age: str  # the age it shows ("5 minutes ago"): a layout showing another is out of date


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
        "reading--number",
        "reading--source",
        "reading--english",
        "reading--pending",
        "reading--failed",
    }

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.shown: Article | CorpusTickerItem | None = None
        self.highlighting = True
        # The highlighter is loaded in a worker: its rules take a while to compile, and the
        # first frame should not wait for them.
        self._annotate: Callable[[str], Annotation] | None = None
        # English beside the Dutch: the lookup of each text's translation, None when off
        self.translation_of: Callable[[str], TranslationResult | None] | None = None
        self._placeholder = "Loading…"
        self._blocks: list[Block] = [(Text(self._placeholder), None)]
        self._lines: list[Strip] = []
        self._paragraph_lines: dict[int, int] = {}  # paragraph index -> its first line
        self._lines_width = -1  # the width _lines were wrapped for
        self._styles: dict[str, Style] = {}  # component class -> its style, until restyled
        self._prepared: Layout | None = None  # the item the next key most likely shows

    def on_mount(self) -> None:
        # After the first frame: the worker's Python would share the interpreter with it.
        self.call_after_refresh(
            self.run_worker, self._load_highlighter, thread=True, group="highlighter"
        )

    def _load_highlighter(self) -> None:
        # In a thread: compiling the rules takes ~50 ms that the first keys should not wait for.
        from reader.highlight import annotate

        self.app.call_from_thread(self._use_highlighter, annotate)

    def _use_highlighter(self, annotate: Callable[[str], Annotation]) -> None:
        self._annotate = annotate
        self._refresh_text()

    def notify_style_update(self) -> None:
        # The text is styled from component classes: style it anew when they change (a new
        # theme, focus), or the old colours stay.
        super().notify_style_update()
        self._styles.clear()
        if self.is_mounted:
            self._refresh_text()

    @property
    def text(self) -> str:
        """What the pane shows, as plain text (for tests and for copying)."""
        return "\n".join(_plain(block) for block, _ in self._blocks)

    def marked(self, kind: SpanKind) -> list[str]:
        """The stretches of text marked as numbers or as sources (for tests)."""
        style = self._style(kind.value)
        return [
            text.plain[span.start : span.end]
            for block, _ in self._blocks
            for text in _texts(block)
            for span in text.spans
            if span.style == style
        ]

    def show(self, shown: Article | CorpusTickerItem | None, placeholder: str = "") -> None:
        """Show an article or ticker item from its top; None shows `placeholder`."""
        same = shown is self.shown
        self.shown = shown
        self._placeholder = placeholder
        self._refresh_text()
        if not same:
            self.scroll_home(animate=False, immediate=True)

    def set_highlighting(self, on: bool) -> None:
        self.highlighting = on
        self._refresh_text()

    def set_translation(self, lookup: Callable[[str], TranslationResult | None] | None) -> None:
        """Show each paragraph's English beside it (None: Dutch only)."""
        self.translation_of = lookup
        self._refresh_text()

    def refresh_translation(self) -> None:
        """Show the translations that arrived since, where the reader is."""
        self._refresh_text()

    @property
    def side_by_side(self) -> bool:
        """English in a column of its own from 120 terminal columns; under the Dutch below."""
        return self.app.size.width >= SIDE_BY_SIDE_COLUMNS

    # The keys move the text at once, as in less or newsboat: Textual's default glides,
    # which made `g` take ~0.4 s to reach the top and a held `j` lag behind the key.
    def action_scroll_down(self) -> None:
        self.scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.scroll_up(animate=False)

    def action_scroll_home(self) -> None:
        self.scroll_home(animate=False)

    def action_scroll_end(self) -> None:
        self.scroll_end(animate=False)

    def scroll_to_paragraph(self, index: int) -> None:
        """Scroll so that paragraph `index` of the shown article is at the top."""
        self._wrap()
        self.scroll_to(y=self._paragraph_lines.get(index, 0), animate=False, immediate=True)

    def _style(self, name: str) -> Style:
        # Asked for a few dozen times per article shown; the answer changes only with the
        # stylesheet (notify_style_update).
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(
                f"reading--{name}", partial=True
            )
        return style

    def prepare(self, item: Article | CorpusTickerItem | None) -> None:
        """Lay out `item` ahead, while idle: if it is the next one shown, that only swaps it in.

        The reader calls this for the item the next key most likely shows. Nothing is laid
        out ahead while the English is on: it changes as translations arrive.
        """
        width = self.scrollable_content_region.width
        if item is None or item is self.shown or self.translation_of is not None or width <= 0:
            return
        if _characters(item) > PREPARE_AT_MOST_CHARACTERS:
            return
        if self._prepared_for(item, width) is None:
            blocks, title = self._blocks_of(item)
            lines, paragraph_lines = self._wrapped(blocks, width)
            age = _age_shown(item)
            self._prepared = Layout(item, blocks, title, lines, paragraph_lines, width, age)

    def _prepared_for(self, item: object, width: int) -> Layout | None:
        prepared = self._prepared
        if (
            prepared is not None
            and prepared.item is item
            and prepared.width == width
            and prepared.age == _age_shown(prepared.item)
        ):
            return prepared
        return None

    def _refresh_text(self) -> None:
        # Every change of what the text looks like comes through here, and drops what was
        # prepared: it was laid out before the change.
        width = self.scrollable_content_region.width
        prepared = self._prepared_for(self.shown, width) if self.translation_of is None else None
        self._prepared = None
        if prepared is not None:
            self._blocks, title = prepared.blocks, prepared.title
            self._use_lines(prepared.lines, prepared.paragraph_lines, width)
        else:
            self._blocks, title = self._blocks_of(self.shown)
            self._lines_width = -1
            self._wrap()
        if title != self.border_title:
            self.border_title = title
        self.border_subtitle = self._legend() if title else None
        self.refresh()

    def _blocks_of(
        self, shown: Article | CorpusTickerItem | None
    ) -> tuple[list[Block], str | None]:
        """What the pane shows of `shown`, and the pane's title for it."""
        if isinstance(shown, Article):
            return self._article_blocks(shown), "Article"
        if isinstance(shown, CorpusTickerItem):
            return self._ticker_blocks(shown), "Ticker item"
        return [(Text(self._placeholder), None)], None

    def _legend(self) -> Content:
        english = " · English: t" if self.translation_of is None else " · English on: t"
        if not self.highlighting:
            return Content(f"highlighting off · h{english}")
        legend = Text()
        legend.append("number", self._style("number"))
        legend.append(" · ")
        legend.append("source", self._style("source"))
        legend.append(" · h" + english)
        return Content.from_rich_text(legend)

    def _wrap(self) -> None:
        """Wrap the blocks to the pane's width, once per text and width."""
        width = self.scrollable_content_region.width
        if width == self._lines_width or width <= 0:
            return
        self._use_lines(*self._wrapped(self._blocks, width), width)

    def _use_lines(self, lines: list[Strip], paragraph_lines: dict[int, int], width: int) -> None:
        self._lines, self._paragraph_lines, self._lines_width = lines, paragraph_lines, width
        self._fit_virtual_size()

    def _wrapped(self, blocks: list[Block], width: int) -> tuple[list[Strip], dict[int, int]]:
        """The blocks' lines at `width`, and the line each paragraph starts on."""
        console = self.app.console
        options = console.options.update(width=width, height=None, no_wrap=False)
        lines: list[Strip] = []
        paragraph_lines: dict[int, int] = {}
        base = self.rich_style  # worked out from the CSS at each ask: once per article
        for block, paragraph in blocks:
            if paragraph is not None:
                paragraph_lines[paragraph] = len(lines)
            rendered = console.render_lines(block, options, style=base, pad=True)
            lines.extend(Strip(line, width) for line in rendered)  # made once: costly
        return lines, paragraph_lines

    def _fit_virtual_size(self) -> None:
        size = Size(self._lines_width, len(self._lines))
        if size == self.virtual_size:
            return
        if self.container_size and self.styles.overflow_y == "scroll":
            # virtual_size is a layout reactive: setting it lays out the whole screen, ~7 ms
            # of a key on the 10,000-file corpus. A scrollbar that never comes or goes leaves
            # the layout as it is: set the size quietly and update the scrollbar as a layout
            # would. (_scroll_update is Textual's own; textual is pinned, and
            # tests/ui/test_app.py checks the scrollbar follows.)
            self.set_reactive(ReadingPane.virtual_size, size)
            self._scroll_update(size)
            self.refresh()
        else:
            self.virtual_size = size

    def on_resize(self) -> None:
        self._wrap()

    def render_line(self, y: int) -> Strip:
        self._wrap()
        width = self.scrollable_content_region.width
        row = self.scroll_offset.y + y
        return self._lines[row] if row < len(self._lines) else Strip.blank(width, self.rich_style)

    # -- the document --------------------------------------------------------------------

    def _marked_text(self, raw: str, base: Style | None = None) -> Text:
        """Untrusted text made visible, with its numbers and sources styled by span."""
        shown = make_visible(raw)
        text = Text(shown, style=base or "")
        if self.highlighting and self._annotate is not None and shown == raw:
            annotation = self._annotate(raw)  # spans index the raw text
            self._stylize(text, annotation.sources, "source")
            self._stylize(text, annotation.numbers, "number")
        return text

    def _stylize(self, text: Text, spans: Iterable[Span], kind: str) -> None:
        style = self._style(kind)
        for span in spans:
            text.stylize(style, span.start, span.end)

    def _dateline(self, dateline: Dateline) -> Text:
        """ "KYIV · ANP, Reuters, AFP": the agencies are sources, marked as such."""
        text = Text(make_visible(dateline.place) + " · ", style=self._style("dateline"))
        for position, code in enumerate(dateline.agencies):
            if position:
                text.append(", ", self._style("dateline"))
            start = len(text)
            text.append(make_visible(agency_name(code)), self._style("dateline"))
            if self.highlighting:
                text.stylize(self._style("source"), start, len(text))
        return text

    def _english(self, raw: str) -> Text | None:
        """The English of a text as the reader should see it, or None when translation is off."""
        if self.translation_of is None:
            return None
        result = self.translation_of(raw)
        if result is None:
            return Text("… translating", self._style("pending"))
        if isinstance(result, Translated):
            return Text(make_visible(result.text), self._style("english"))
        if isinstance(result, NotDutch):
            return Text(f"(already {result.language}, not translated)", self._style("pending"))
        return Text(f"⚠ not translated: {result.reason} (T retries)", self._style("failed"))

    def _with_english(self, dutch: Text, raw: str) -> RenderableType:
        """A Dutch block with its English: side by side (rows aligned) or the English below."""
        english = self._english(raw)
        if english is None:
            return dutch
        if self.side_by_side:
            row = Table.grid(expand=True, padding=(0, 3))
            row.add_column(ratio=1)
            row.add_column(ratio=1)
            row.add_row(dutch, english)
            return row
        return Group(dutch, Padding(english, (0, 0, 0, 2)))

    def _article_blocks(self, article: Article) -> list[Block]:
        title = article.title or "(no title)"
        header = self._marked_text(title, self._style("title"))
        if article.dateline is not None:
            header.append("\n")
            header.append_text(self._dateline(article.dateline))
        if article.source is not None:
            header.append("\n")
            header.append(make_visible(article.source), self._style("source"))
            when = published_text(article.published)
            if article.published is not None:
                when += f" ({_age_shown(article)})"
            header.append(f" · {when}", self._style("dateline"))
        header.append("\n")
        where = article.link or f"{display_path(article.file)}, line {article.line}"
        header.append(make_visible(where), self._style("meta"))
        blocks: list[Block] = [(self._with_english(header, title), None)]
        paragraphs = article.paragraphs[:MAX_PARAGRAPHS_SHOWN]
        for index, paragraph in enumerate(paragraphs):
            blocks.append((Text(""), None))
            if paragraph.kind is ParagraphKind.SUBHEADING:
                blocks.append(
                    (Text(make_visible(paragraph.text), self._style("subheading")), index)
                )
            else:
                base = self._style("lead") if paragraph.kind is ParagraphKind.LEAD else None
                dutch = self._marked_text(paragraph.text, base)
                blocks.append((self._with_english(dutch, paragraph.text), index))
        if article.link and not article.paragraphs:
            note = "The feed gives no text for this article; o opens it."
            blocks += [(Text(""), None), (Text(note, self._style("meta")), None)]
        if article.cut:
            note = "… the feed gives only this summary; o opens the full article."
            blocks += [(Text(""), None), (Text(note, self._style("meta")), None)]
        links = [link for paragraph in paragraphs for link in paragraph.links]
        if links:
            blocks += [(Text(""), None), (self._links(links), None)]
        hidden = len(article.paragraphs) - len(paragraphs)
        if hidden:
            note = (
                f"… {hidden:,} more paragraphs not shown here: the page is unusually large "
                "(`nieuwslezer export` writes all of it)."
            )
            blocks += [(Text(""), None), (Text(note, self._style("meta")), None)]
        return blocks

    def _links(self, links: list[Link]) -> Text:
        """The article's links, listed as text: the reader copies an address, nothing opens."""
        text = Text("Links", self._style("label"))
        for link in dict.fromkeys(links):
            text.append(f"\n• {make_visible(link.text)}: ", self._style("meta"))
            text.append(make_visible(link.href), self._style("meta"))
        return text

    def _ticker_blocks(self, item: CorpusTickerItem) -> list[Block]:
        section = f"Meer uit {item.section}" if item.section else "Ticker"
        header = Text(make_visible(section), self._style("label"))
        header.append(f"  {long_age(item.age)}", self._style("meta"))
        if item.dateline is not None:
            header.append("\n")
            header.append_text(self._dateline(item.dateline))
        seen = "; ".join(
            f"{display_path(s.file)}, line {s.line} ({long_age(s.age)})" for s in item.sightings
        )
        label = "Seen in" if len(item.sightings) > 1 else "From"
        return [
            (header, None),
            (Text(""), None),
            (self._with_english(self._marked_text(item.text, self._style("lead")), item.text), 0),
            (Text(""), None),
            (Text(make_visible(f"{label}: {seen}"), self._style("meta")), None),
        ]


def _age_shown(item: Article | CorpusTickerItem) -> str:
    """The age shown that depends on the clock: a feed article's ("5 minutes ago")."""
    if isinstance(item, Article) and item.published is not None:
        return long_age(age_since(item.published))
    return ""  # a ticker item's ages are as its page gave them


def _characters(item: Article | CorpusTickerItem) -> int:
    if isinstance(item, Article):
        return len(item.title) + sum(len(paragraph.text) for paragraph in item.paragraphs)
    return len(item.text)


def _texts(block: RenderableType) -> list[Text]:
    """The Texts a block is made of (a Text, a Group of them, or a side-by-side row)."""
    if isinstance(block, Text):
        return [block]
    if isinstance(block, Group):
        return [text for part in block.renderables for text in _texts(part)]
    if isinstance(block, Padding):
        return _texts(block.renderable)
    if isinstance(block, Table):
        return [cell for column in block.columns for cell in column.cells if isinstance(cell, Text)]
    return []


def _plain(block: RenderableType) -> str:
    return "\n".join(text.plain for text in _texts(block))
