"""The search screen (`F`): what is typed is searched as it is typed (a moment after the last
key, in a worker), the hits listed newest first or best match first, the highlighted hit's
snippet below with the matched words marked. Enter gives the hit to the reader, which opens
it at the match (searching.py); Escape goes back.

Titles, snippets, file names and the query are untrusted: built as Text from the raw
strings, never markup. Loaded on the first `F`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input

from reader.present import age_since, display_path, plural, published_text, short_age
from reader.resources import dialog_styles
from reader.text import make_visible, visible_offset
from reader.ui.key_bar import KeyBar
from reader.ui.row_list import RowList
from reader.ui.screens import RowDetail

if TYPE_CHECKING:
    from reader.library.query import Query
    from reader.library.search import Hit, SearchResult

DEBOUNCE = 0.15  # seconds after the last key before the search runs
AGAIN_WHILE_INDEXING = 1.0  # seconds between searches run again as indexing goes on
RESULTS = 200  # hits listed; one more is asked for, to say there are more
HINT = 'Type to search everything: words (prefixes too), "a phrase", -word to leave out.'
_MATCH = Style(bold=True, reverse=True)  # a matched word in a snippet: shows without colour
_TITLE_MATCH = Style(bold=True, underline=True)  # in a row: reverse would look like the cursor
_ROW_CHARACTERS = 1000
_WHERE_WIDTH = 18

Searcher = Callable[[str, bool], "SearchResult"]
"""Runs a search (the text, best match first or not); called in a worker thread."""


@dataclass(frozen=True)
class Chosen:
    """The hit chosen with Enter, and the query that found it (its words are marked)."""

    hit: Hit
    query: Query


def marked(text: str, spans: tuple[tuple[int, int], ...], style: Style) -> Text:
    """Untrusted `text` made visible, the stretches `spans` (offsets into `text`) in `style`."""
    shown = Text(make_visible(text))
    offset = visible_offset(text)
    for start, end in spans:
        shown.stylize(style, offset(start), offset(end))
    return shown


def _where(hit: Hit) -> str:
    if hit.kind == "ticker":
        return "ticker" + (f" · {hit.source}" if hit.source else "")
    if hit.source:
        return hit.source
    return display_path(hit.file) if hit.file else ""


def hit_row(hit: Hit, width: int) -> Text:
    """Age, title (a ticker item: its place and text) with the matched words marked, and the
    source or file."""
    where = make_visible(_where(hit)[:_ROW_CHARACTERS])
    if len(where) > _WHERE_WIDTH:
        where = where[: _WHERE_WIDTH - 1] + "…"
    row = Text(no_wrap=True)
    row.append(f"{short_age(age_since(hit.time)) if hit.time else '—':>4} ", style="dim")
    title = hit.title[:_ROW_CHARACTERS]
    if hit.kind == "ticker":
        place = marked(title, hit.title_matches, _TITLE_MATCH)
        row.append_text(place)
        row.append(": " if title else "")
        row.append_text(marked(hit.snippet[:_ROW_CHARACTERS], hit.matches, _TITLE_MATCH))
    else:
        row.append_text(marked(title or "(no title)", hit.title_matches, _TITLE_MATCH))
    room = max(width - cell_len(where) - 2, width // 2)
    row.truncate(room, overflow="ellipsis")
    row.pad_right(max(width - row.cell_len - cell_len(where), 1))
    row.append(where, style="dim")
    return row


def hit_detail(hit: Hit) -> Text:
    """The hit's title and where it is, then its snippet, the matched words marked."""
    detail = marked(hit.title[:_ROW_CHARACTERS] or "(no title)", hit.title_matches, _MATCH)
    detail.stylize("bold")
    where = [_where(hit)] if _where(hit) else []
    if hit.time is not None:
        where.append(published_text(hit.time))
    if hit.paragraph is None:
        where.append("the headline")
    elif hit.kind != "ticker":
        where.append(f"paragraph {hit.paragraph + 1}")
    if hit.in_english:
        where.append("in the English")
    detail.append("\n" + make_visible(" · ".join(where)), style="dim")
    detail.append("\n")
    detail.append_text(marked(hit.snippet, hit.matches, _MATCH))
    return detail


class SearchScreen(ModalScreen[Chosen | None]):
    """A query field, the hits, and the highlighted hit's snippet."""

    CSS_PATH = dialog_styles()
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="search.close", tooltip="Back to the reader"),
        Binding(
            "ctrl+o",
            "toggle_order",
            "Order",
            id="search.order",
            tooltip="List the hits newest first, or best match first",
        ),
        Binding("down", "move(1)", "Down", show=False, id="search.down"),
        Binding("up", "move(-1)", "Up", show=False, id="search.up"),
    ]

    class Answered(Message):
        """A search's result, for the query typed as `generation` counts."""

        def __init__(self, generation: int, result: SearchResult) -> None:
            super().__init__()
            self.generation = generation
            self.result = result

    def __init__(self, searcher: Searcher, indexing: str = "", problem: str | None = None) -> None:
        super().__init__()
        self._searcher = searcher
        self.relevance = False  # best match first; else newest first
        self.indexing = indexing  # how far indexing is, while it runs
        self.index_problem = problem  # why the index cannot be used, once known
        self.result: SearchResult | None = None  # the last answer shown
        self.answered = True  # the hits shown are for what is typed, in the order chosen
        self._generation = 0
        self._timer: Timer | None = None
        self._searched_at = 0.0  # when the last search was asked for (time.monotonic)
        self.status = ""  # the line above the hits: the count and order, a problem, indexing

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box", classes="list-box") as box:
            box.border_title = "Search everything"
            yield Input(placeholder=HINT, id="search-query")
            yield RowDetail(id="search-status", markup=False)
            rows: RowList[Hit] = RowList(hit_row, empty_text="No results.", id="search-results")
            yield rows
            yield RowDetail(id="search-snippet", markup=False)
        yield KeyBar()

    @property
    def query_field(self) -> Input:
        return self.query_one("#search-query", Input)

    @property
    def results(self) -> RowList[Hit]:
        return self.query_one("#search-results", RowList)

    def on_mount(self) -> None:
        rows = self.results
        self.watch(rows, "cursor", lambda _: self._show_snippet(rows.highlighted))
        self.query_field.focus()
        self._show_status()

    def show_indexing(self, indexing: str, problem: str | None, finished: bool) -> None:
        """How far indexing is; the search runs again as more is indexed (at most every
        AGAIN_WHILE_INDEXING seconds), and once a part is done."""
        self.indexing, self.index_problem = indexing, problem
        self._show_status()
        if not self.query_field.value.strip() or not self.answered:
            return
        if finished or time.monotonic() - self._searched_at >= AGAIN_WHILE_INDEXING:
            self.search_now()

    # -- searching ---------------------------------------------------------------------------

    @on(Input.Changed, "#search-query")
    def _typed(self) -> None:
        self._generation += 1
        self.answered = False
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self.search_now)

    @on(Input.Submitted, "#search-query")
    def _submitted(self) -> None:
        if self.answered:
            self.results.action_select()
        else:
            self.search_now()

    def search_now(self) -> None:
        """Search for what is typed (the field empty: show the hint)."""
        self._timer = None
        self._generation += 1
        text = self.query_field.value
        if not text.strip():
            self.result, self.answered = None, True
            self.results.set_items([])
            self._show_status()
            return
        self.answered = False
        self._searched_at = time.monotonic()
        self._search(text, self.relevance, self._generation)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, description="searching")
    def _search(self, text: str, relevance: bool, generation: int) -> None:
        self.post_message(self.Answered(generation, self._searcher(text, relevance)))

    def on_search_screen_answered(self, message: Answered) -> None:
        if message.generation != self._generation:
            return  # typed on since: a newer search is coming
        again = self.result is not None and self.result.query.text == message.result.query.text
        before = self.results.highlighted if again else None
        self.result, self.answered = message.result, True
        hits = list(message.result.hits[:RESULTS])
        self.results.set_items(hits)
        # Searched again as indexing goes on: the cursor stays on the hit it was on.
        keys = [hit.key for hit in hits]
        self.results.cursor = keys.index(before.key) if before and before.key in keys else 0
        self._show_snippet(self.results.highlighted)
        self._show_status()

    def action_toggle_order(self) -> None:
        self.relevance = not self.relevance
        if self.query_field.value.strip():
            self.search_now()
        else:
            self._show_status()

    def action_move(self, by: int) -> None:
        self.results.cursor += by

    @on(RowList.Selected, "#search-results")
    def _chosen(self, event: RowList.Selected[Hit]) -> None:
        if self.result is not None:
            self.dismiss(Chosen(event.item, self.result.query))

    # -- what is shown -------------------------------------------------------------------------

    def _show_snippet(self, hit: Hit | None) -> None:
        snippet = self.query_one("#search-snippet", RowDetail)
        snippet.update(Text() if hit is None else hit_detail(hit))

    def _show_status(self) -> None:
        order = "best match first" if self.relevance else "newest first"
        other = "newest first" if self.relevance else "best match first"
        result = self.result
        problem = self.index_problem
        if result is None:
            line = HINT if problem is None else ""
        elif result.problem is not None:
            problem = result.problem
            line = ""
        else:
            found = len(result.hits)
            count = f"more than {RESULTS:,} results" if found > RESULTS else plural(found, "result")
            line = f"{count} · {order} (Ctrl+O: {other})"
        parts = [part for part in (line, self.indexing) if part]
        if problem is not None:
            parts.insert(0, f"⚠ {problem}")
        # Nothing to list without an answer: the line above says why, alone.
        self.results.display = result is not None and result.problem is None
        self.status = make_visible(" · ".join(parts))
        status = self.query_one("#search-status", RowDetail)
        status.update(Text(self.status))  # made readable as drawn: the error colour too
        status.set_class(problem is not None, "-problem")
