"""A fast, filterable list of one-line rows: only the visible rows are ever rendered.

OptionList measures every option up front; a corpus of 10,000 pages needs a list whose cost
does not grow with its length, so this one renders rows on demand in `render_line`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar, Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.matching import match_key
from reader.ui.contrast import readable

Item = TypeVar("Item")

RowRenderer = Callable[[Item, int], Text]
"""Renders an item as one row of the given width (the list pads or crops the result)."""


class RowList(ScrollView, Generic[Item], can_focus=True, inherit_bindings=False):
    """A list with a cursor; Enter or a click selects, `filter()` narrows it as you type."""

    # The moves are priority bindings: Textual then runs them as the key arrives, instead
    # of after the key has bubbled up through every container (~0.5 ms of each move). The
    # list has no children, so nothing below it loses these keys.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False, id="row-list.down", priority=True),
        Binding("up,k", "cursor_up", "Up", show=False, id="row-list.up", priority=True),
        Binding("home,g", "first", "First", show=False, id="row-list.first"),
        Binding("end,G", "last", "Last", show=False, id="row-list.last"),
        Binding("enter", "select", "Open", id="row-list.select"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"row-list--cursor", "row-list--empty"}

    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)
    """The position of the highlighted row among the visible ones.

    Watch it (`watch(row_list, "cursor", ...)`) to follow the highlighted item: watchers run
    in the same frame as the move, so what they show repaints together with the list."""

    class Selected(Message):
        """The item under the cursor was chosen (Enter or a click)."""

        def __init__(self, row_list: RowList[Item], item: Item) -> None:
            super().__init__()
            self.row_list = row_list
            self.item = item

        @property
        def control(self) -> RowList[Item]:
            return self.row_list

    def __init__(
        self,
        render_row: RowRenderer[Item],
        search_text: Callable[[Item], str] | None = None,
        *,
        empty_text: str = "Nothing here.",
        id: str | None = None,  # noqa: A002 - Textual's name for it
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._render_row = render_row
        self._search_text = search_text
        self._empty_text = empty_text
        self._items: Sequence[Item] = ()
        self._visible: list[int] = []  # indices into _items that pass the filter
        self._folded: list[str] | None = None  # search texts, folded on first filter
        self._query = ""
        self._row_cache: dict[tuple[int, int, Style], Strip] = {}
        self._step = 1  # the way the cursor last moved: down (1) or up (-1)

    # -- content -------------------------------------------------------------------------

    @property
    def items(self) -> Sequence[Item]:
        return self._items

    @property
    def visible_count(self) -> int:
        return len(self._visible)

    @property
    def visible_items(self) -> list[Item]:
        return [self._items[index] for index in self._visible]

    @property
    def filter_text(self) -> str:
        return self._query

    @property
    def highlighted(self) -> Item | None:
        if not self._visible:
            return None
        return self._items[self._visible[min(self.cursor, len(self._visible) - 1)]]

    def set_items(self, items: Sequence[Item]) -> None:
        """Replace the items, keeping the cursor where it was."""
        before = self.highlighted
        self._items = items
        self._folded = None
        self._apply_filter(keep=before)

    def filter(self, query: str) -> None:
        """Show only the items whose search text holds `query` (case, accents and hyphens
        ignored: "zuid korea" finds Zuid-Korea); a list made without search texts (a
        dialog's) has no filter."""
        if query == self._query:
            return
        before = self.highlighted
        self._query = query
        self._apply_filter(keep=before)

    def _apply_filter(self, keep: Item | None) -> None:
        needle = match_key(self._query)
        if needle:
            if self._search_text is None:
                raise TypeError("this list has no search text to filter by")
            if self._folded is None:
                self._folded = [match_key(self._search_text(item)) for item in self._items]
            self._visible = [i for i, text in enumerate(self._folded) if needle in text]
        else:
            self._visible = list(range(len(self._items)))
        self._row_cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._visible))
        position = self._position_of(keep)
        self.cursor = position if position is not None else min(self.cursor, self._last)
        self.refresh()

    def _position_of(self, item: Item | None) -> int | None:
        if item is None:
            return None
        for position, index in enumerate(self._visible):
            if self._items[index] is item:
                return position
        return None

    @property
    def _last(self) -> int:
        return max(len(self._visible) - 1, 0)

    def select_item(self, item: Item) -> bool:
        """Move the cursor to `item` if it is visible."""
        position = self._position_of(item)
        if position is not None:
            self.cursor = position
        return position is not None

    def refresh_item(self, item: Item) -> bool:
        """Render `item`'s row again (what it shows changed): only its row, not the list;
        False if it is not listed."""
        position = self.cursor if self.highlighted is item else self._position_of(item)
        if position is None:
            return False
        index = self._visible[position]
        for key in [key for key in self._row_cache if key[0] == index]:
            del self._row_cache[key]
        self.refresh_line(position)
        return True

    def redraw(self) -> None:
        """Render every row again (what many rows show changed)."""
        self._row_cache.clear()
        self.refresh()

    # -- cursor --------------------------------------------------------------------------

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, self._last))

    @property
    def ahead(self) -> Item | None:
        """The item the cursor reaches next if it moves on as it last moved (down after a jump)."""
        position = self.cursor + self._step
        if 0 <= position < len(self._visible):
            return self._items[self._visible[position]]
        return None

    def watch_cursor(self, old: int, new: int) -> None:
        # One row up or down sets the way; a jump (g, G, a filter, a click) reads on down.
        self._step = new - old if abs(new - old) == 1 else 1
        top = self.scroll_offset.y
        self._scroll_to_cursor()
        if self.scroll_offset.y == top:
            # Only the two rows change: a full repaint of a tall list cost ~0.5 ms a key.
            self.refresh_line(old)
            self.refresh_line(new)
        else:
            self.refresh()

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif height and self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_focus(self) -> None:
        # Coming into a list counts as moving to its item, for those who watch the cursor.
        self.cursor = self.cursor

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self._last

    def action_select(self) -> None:
        item = self.highlighted
        if item is not None:
            self.post_message(self.Selected(self, item))

    async def _on_click(self, event: events.Click) -> None:
        row = event.style.meta.get("row")
        if row is not None:
            self.cursor = row
            self.action_select()

    # -- rendering -----------------------------------------------------------------------

    def on_resize(self) -> None:
        self._row_cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._visible))
        self._scroll_to_cursor()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = self.scroll_offset.y + y
        if row >= len(self._visible):
            if row == 0:
                empty = readable(
                    self.get_component_rich_style("row-list--empty"), self.app.ansi_theme
                )
                return Strip([Segment(self._empty_text[:width], empty)]).extend_cell_length(
                    width, self.rich_style
                )
            return Strip.blank(width, self.rich_style)
        index = self._visible[row]
        style = self.rich_style
        if row == self.cursor:
            style += self.get_component_rich_style("row-list--cursor")
        key = (index, width, style)
        strip = self._row_cache.get(key)
        if strip is None:
            # One Strip per row and style, made once: Strips are costly to create.
            text = self._render_row(self._items[index], width)
            text.truncate(width, overflow="ellipsis", pad=True)
            text.no_wrap = True
            terminal = self.app.ansi_theme
            clickable = Style.from_meta({"row": row})  # the row, for clicks
            # Each part readable on the row's background: a theme's cursor, dimmed text.
            segments = [
                Segment(part, readable(style + part_style, terminal) + clickable)
                for part, part_style, _ in text.render(self.app.console)
            ]
            strip = self._row_cache[key] = Strip(segments, width)
        return strip
