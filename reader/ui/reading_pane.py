"""The reading pane: the selected article or ticker item in full, numbers and sources marked."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.terminal_theme import TerminalTheme
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.model import Article, CorpusTickerItem, SpanKind, Value
from reader.translate.result import TranslationResult
from reader.ui.contrast import readable
from reader.ui.documents import MAX_PARAGRAPHS_SHOWN as MAX_PARAGRAPHS_SHOWN
from reader.ui.documents import DocumentBuilder, age_shown, plain_text, texts_of
from reader.ui.wrapping import Block, BlockWrapper, render_block

if TYPE_CHECKING:
    from reader.highlight import Annotation
    from reader.library.query import Term
    from reader.ui.match_marks import Marks  # imported with a search's first marks

SIDE_BY_SIDE_COLUMNS = 120

# Laying out ahead holds the UI for as long as the layout takes: a page of 1,000 paragraphs
# took ~380 ms, and a key pressed meanwhile would wait for an article it may never open.
PREPARE_AT_MOST_CHARACTERS = 20_000


_set = object.__setattr__  # frozen: fields set as a dataclass sets them


class Layout(Value):
    """An item's blocks wrapped to one width: all that showing it takes, made ahead."""

    __slots__ = ("age", "blocks", "item", "lines", "paragraph_lines", "title", "width")

    item: Article | CorpusTickerItem
    blocks: list[Block]
    title: str | None
    lines: list[Strip]
    paragraph_lines: dict[int, int]
    width: int
    age: str  # the age it shows ("5 minutes ago"): a layout showing another is out of date

    def __init__(
        self,
        item: Article | CorpusTickerItem,
        blocks: list[Block],
        title: str | None,
        lines: list[Strip],
        paragraph_lines: dict[int, int],
        width: int,
        age: str,
    ) -> None:
        _set(self, "item", item)
        _set(self, "blocks", blocks)
        _set(self, "title", title)
        _set(self, "lines", lines)
        _set(self, "paragraph_lines", paragraph_lines)
        _set(self, "width", width)
        _set(self, "age", age)


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
        "reading--match",
        "reading--match-current",
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
        self.english_status = ""  # how far translating got, while it runs
        self._placeholder = "Loading…"
        self._blocks: list[Block] = [(Text(self._placeholder), None)]
        self._lines: list[Strip] = []
        self._paragraph_lines: dict[int, int] = {}  # paragraph index -> its first line
        self._lines_width = -1  # the width _lines were wrapped for
        self._lines_complete = True  # False while a long page is wrapped in steps
        self._step_pending = False  # a next step is asked for (one at a time)
        self._wrapper = BlockWrapper()  # keeps each block's lines between refreshes
        self._styles: dict[str, Style] = {}  # component class -> its style, until restyled
        self._prepared: Layout | None = None  # the item the next key most likely shows
        self.marks: Marks | None = None  # a search's matches, marked (searching.py)

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
        # theme, focus), or the old colours stay. Textual updates the component classes just
        # after the widget's own styles: restyling now would keep the old theme's colours.
        super().notify_style_update()
        self._styles.clear()
        if self.is_mounted:
            self.call_next(self._restyle)

    def _restyle(self) -> None:
        self._styles.clear()
        self._refresh_text()

    @property
    def text(self) -> str:
        """What the pane shows, as plain text (for tests and for copying)."""
        return "\n".join(plain_text(block) for block, _ in self._blocks)

    def marked(self, kind: SpanKind) -> list[str]:
        """The stretches of text marked as numbers or as sources (for tests)."""
        return self._marked_as(self._style(kind.value))

    def _marked_as(self, style: Style) -> list[str]:
        return [
            text.plain[span.start : span.end]
            for block, _ in self._blocks
            for text in texts_of(block)
            for span in text.spans
            if span.style == style
        ]

    def show(self, shown: Article | CorpusTickerItem | None, placeholder: str = "") -> None:
        """Show an article or ticker item from its top; None shows `placeholder`."""
        same = shown is self.shown
        self.shown = shown
        if not same:
            self.marks = None  # they were the other item's
        self._placeholder = placeholder
        self._refresh_text()
        if not same:
            self.scroll_home(animate=False, immediate=True)

    def show_marks(self, terms: tuple[Term, ...], paragraph: int | None) -> None:
        """Mark the matches of a search's `terms` in the item shown, and scroll to the first
        in `paragraph` (None: the headline)."""
        if self.shown is None:
            return
        from reader.ui.match_marks import marks_for  # here: the first frame needs none

        self.marks = marks_for(self.shown, terms, paragraph)
        self._refresh_text()
        self._scroll_to_current(paragraph)

    def step_match(self, by: int) -> bool:
        """Make the next (`by` 1) or previous (-1) match current and scroll to it; False when
        no matches are marked."""
        if self.marks is None:
            return False
        self.marks = self.marks.step(by)
        self._refresh_text()
        self._scroll_to_current()
        return True

    def clear_marks(self) -> bool:
        """Stop marking the matches; whether any were marked."""
        if self.marks is None:
            return False
        self.marks = None
        self._refresh_text()
        return True

    def matches_marked(self, current: bool = False) -> list[str]:
        """The stretches of text marked as matches (`current`: as the current one), for tests."""
        return self._marked_as(self._style("match-current" if current else "match"))

    def _scroll_to_current(self, paragraph: int | None = None) -> None:
        match = self.marks.current_match if self.marks is not None else None
        number = match.paragraph if match is not None else paragraph
        if number is None or number < 0:
            self.scroll_home(animate=False, immediate=True)
        else:
            self.scroll_to_paragraph(number)

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

    def set_english_status(self, status: str) -> None:
        """How far translating got ("translating 120 / 1,000 paragraphs"), in the legend."""
        if status != self.english_status:
            self.english_status = status
            if self.border_title:
                self.border_subtitle = self._legend()

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
        self._wrap(through=index)
        self.scroll_to(y=self._paragraph_lines.get(index, 0), animate=False, immediate=True)

    def _style(self, name: str) -> Style:
        # Asked for a few dozen times per article shown; the answer changes only with the
        # stylesheet (notify_style_update).
        style = self._styles.get(name)
        if style is None:
            # The full style: a colour with alpha ($foreground-muted) is blended on the pane's
            # background, where the partial style would drop the alpha; then made readable.
            full = self.get_component_rich_style(f"reading--{name}")
            if full.reverse:
                style = self._styles[name] = _reversed_readable(full, self.app.ansi_theme)
                return style
            full = readable(full, self.app.ansi_theme)
            style = self._styles[name] = full.without_color + Style(color=full.color)
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
            age = age_shown(item)
            self._prepared = Layout(item, blocks, title, lines, paragraph_lines, width, age)

    def _prepared_for(self, item: object, width: int) -> Layout | None:
        prepared = self._prepared
        if (
            prepared is not None
            and prepared.item is item
            and prepared.width == width
            and prepared.age == age_shown(prepared.item)
        ):
            return prepared
        return None

    def _refresh_text(self) -> None:
        # Every change of what the text looks like comes through here, and drops what was
        # prepared: it was laid out before the change.
        width = self.scrollable_content_region.width
        as_prepared = self.translation_of is None and self.marks is None
        prepared = self._prepared_for(self.shown, width) if as_prepared else None
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
            return self._with_marks(self._document().article_blocks(shown), shown), "Article"
        if isinstance(shown, CorpusTickerItem):
            return self._with_marks(self._document().ticker_blocks(shown), shown), "Ticker item"
        return [(Text(self._placeholder), None)], None

    def _with_marks(self, blocks: list[Block], shown: Article | CorpusTickerItem) -> list[Block]:
        if self.marks is None or shown is not self.shown:
            return blocks
        from reader.ui.match_marks import marked_blocks  # loaded with the marks

        match, current = self._style("match"), self._style("match-current")
        return marked_blocks(blocks, shown, self.marks, match, current)

    def _document(self) -> DocumentBuilder:
        return DocumentBuilder(
            self._style,
            highlighting=self.highlighting,
            annotate=self._annotate,
            translation_of=self.translation_of,
            side_by_side=self.side_by_side,
        )

    def _legend(self) -> Content:
        english = " · English: t" if self.translation_of is None else " · English on: t"
        if self.english_status:
            english += f" · {self.english_status}"
        marks = f"{self.marks.legend()} · " if self.marks is not None else ""
        if not self.highlighting:
            return Content(f"{marks}highlighting off · h{english}")
        legend = Text(marks)
        legend.append("number", self._style("number"))
        legend.append(" · ")
        legend.append("source", self._style("source"))
        legend.append(" · h" + english)
        return Content.from_rich_text(legend)

    def _wrap(self, through: int | None = None) -> None:
        """Wrap the blocks to the pane's width, each block once per text and width; a long
        page a step at a time, keys answered between the steps (`through`: at once as far as
        paragraph `through`, to scroll to it; the rest in steps)."""
        width = self.scrollable_content_region.width
        if through is not None and all(paragraph != through for _, paragraph in self._blocks):
            through = None  # not shown: nothing to wrap it for
        done = width == self._lines_width and (self._lines_complete or through is None)
        if done or width <= 0:
            return
        console, base = self.app.console, self.rich_style
        wrapped = self._wrapper.wrap(
            self._blocks,
            width,
            base,
            lambda block: render_block(console, block, width, base),
            document=self.shown,
            through=through,
        )
        self._use_lines(wrapped.lines, wrapped.paragraph_lines, width, wrapped.complete)
        if not wrapped.complete and not self._step_pending:
            self._step_pending = True
            self.call_after_refresh(self._wrap_next_step)

    def _wrap_next_step(self) -> None:
        # Whatever is shown by now: another show() or a restyle meanwhile found this step
        # pending and left the going on to it.
        self._step_pending = False
        if not self._lines_complete:
            self._lines_width = -1
            self._wrap()

    def _use_lines(
        self,
        lines: list[Strip],
        paragraph_lines: dict[int, int],
        width: int,
        complete: bool = True,
    ) -> None:
        self._lines, self._paragraph_lines, self._lines_width = lines, paragraph_lines, width
        self._lines_complete = complete
        self._fit_virtual_size()

    def _wrapped(self, blocks: list[Block], width: int) -> tuple[list[Strip], dict[int, int]]:
        """The blocks' lines at `width`, and the line each paragraph starts on."""
        console = self.app.console
        lines: list[Strip] = []
        paragraph_lines: dict[int, int] = {}
        base = self.rich_style  # worked out from the CSS at each ask: once per article
        for block, paragraph in blocks:
            if paragraph is not None:
                paragraph_lines[paragraph] = len(lines)
            lines.extend(render_block(console, block, width, base))
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


def _characters(item: Article | CorpusTickerItem) -> int:
    if isinstance(item, Article):
        return len(item.title) + sum(len(paragraph.text) for paragraph in item.paragraphs)
    return len(item.text)


def _reversed_readable(full: Style, terminal: TerminalTheme) -> Style:
    """A search match's style: its colour behind the pane's background colour, that moved
    until readable on it; reversed, so that it shows without colour too (a terminal's default
    text colour cannot be reversed into place: then drawn as it is)."""
    attributes = Style(bold=full.bold, underline=full.underline)
    made = readable(Style(color=full.bgcolor, bgcolor=full.color), terminal)
    if made.color is None or made.color.is_default:
        return made + attributes
    return Style(color=made.bgcolor, bgcolor=made.color, reverse=True) + attributes
