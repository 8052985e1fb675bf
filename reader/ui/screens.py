"""Modal screens: the keys (help), the diagnostics and the sources; loaded on first use."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import ClassVar, Generic, TypeVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.model import Diagnostic
from reader.resources import dialog_styles
from reader.text import make_visible
from reader.ui.contrast import readable_text
from reader.ui.key_bar import KeyBar
from reader.ui.row_list import RowList, RowRenderer
from reader.ui.rows import diagnostic_row
from reader.ui.sources import ALL_SOURCES, STARRED, SourceChoice

KeyGroup = tuple[str, Sequence[tuple[str, str]]]
"""A heading and its (keys, what they do) rows."""

_CLOSE: list[BindingType] = [
    Binding("escape,q", "dismiss", "Close", id="modal.close"),
]


class HelpScreen(ModalScreen[None]):
    """Every key, grouped by where it works."""

    CSS_PATH = dialog_styles()

    BINDINGS: ClassVar[list[BindingType]] = [
        *_CLOSE,
        Binding("question_mark", "dismiss", "Close", show=False),
    ]

    def __init__(self, groups: Iterable[KeyGroup], notes: Iterable[str]) -> None:
        super().__init__()
        self._groups = list(groups)
        self._notes = list(notes)

    def compose(self) -> ComposeResult:
        sections: list[RenderableType] = []
        for heading, rows in self._groups:
            table = Table.grid(padding=(0, 2))
            table.add_column(style="bold", no_wrap=True, min_width=16)
            table.add_column()
            for keys, description in rows:
                table.add_row(Text(keys), Text(description))
            sections += [Text(heading, style="bold underline"), table, Text("")]
        with Vertical(id="help-box") as box:
            box.border_title = "Keys"
            with VerticalScroll():
                yield Static(Group(*sections), id="help-keys")
                yield Static(Text("\n".join(self._notes)), id="help-notes", markup=False)
        yield KeyBar()


Row = TypeVar("Row")


class RowDetail(Static):
    """The highlighted row in full below a dialog's list, each stretch of it (a dimmed line)
    readable on the dialog's background in the theme of the moment."""

    def render(self) -> RenderResult:
        if isinstance(self.content, Text):  # made readable as it is drawn: themes change
            terminal, console = self.app.ansi_theme, self.app.console
            return readable_text(self.content, self.rich_style, terminal, console)
        return super().render()


class ListScreen(ModalScreen[Row | None], Generic[Row]):
    """A list over the reader with the highlighted row in full below it; Enter returns the
    chosen row to the app (which opens what it points at), Escape closes."""

    CSS_PATH = dialog_styles()
    BINDINGS: ClassVar[list[BindingType]] = [*_CLOSE]

    def __init__(
        self,
        title: str,
        rows: Sequence[Row],
        render_row: RowRenderer[Row],
        detail: Callable[[Row], Text],
        empty_text: str,
        start: int = 0,
    ) -> None:
        super().__init__()
        self._start = start
        self._title = title
        self._rows = rows
        self._render_row = render_row
        self._detail = detail
        self._empty_text = empty_text

    def compose(self) -> ComposeResult:
        with Vertical(classes="list-box") as box:
            box.border_title = Content(self._title)  # titles quote untrusted text
            rows: RowList[Row] = RowList(self._render_row, empty_text=self._empty_text, id="rows")
            rows.set_items(self._rows)
            yield rows
            yield RowDetail(id="detail", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        rows: RowList[Row] = self.query_one("#rows", RowList)
        self.watch(rows, "cursor", lambda _: self._show_detail(rows.highlighted))
        rows.cursor = self._start

    def _show_detail(self, row: Row | None) -> None:
        self.query_one("#detail", RowDetail).update(Text() if row is None else self._detail(row))

    @on(RowList.Selected, "#rows")
    def choose(self, event: RowList.Selected[Row]) -> None:
        self.dismiss(event.item)


def diagnostic_detail(diagnostic: Diagnostic) -> Text:
    """A diagnostic in full: rows are cut to the width."""
    where = diagnostic.file + (f", line {diagnostic.line}" if diagnostic.line else "")
    detail = Text(make_visible(where), style="bold")
    detail.append("\n" + make_visible(f"{diagnostic.severity.value}: {diagnostic.message}"))
    return detail


def diagnostics_screen(diagnostics: Sequence[Diagnostic]) -> ListScreen[Diagnostic]:
    """Every problem found while loading, with file and line."""
    return ListScreen(
        f"Diagnostics ({len(diagnostics)})",
        diagnostics,
        diagnostic_row,
        diagnostic_detail,
        empty_text="No problems: every file was read as it is.",
    )


def source_row(choice: SourceChoice, width: int) -> Text:
    row = Text(no_wrap=True, overflow="ellipsis")
    row.append(f"{choice.articles:>7,}  ", style="dim")
    row.append(make_visible(choice.label), style="bold" if choice.feed == ALL_SOURCES else "")
    if choice.note:
        row.append(f"  ⚠ {make_visible(choice.note)}", style="dim")
    return row


def source_detail(choice: SourceChoice) -> Text:
    if choice.feed == ALL_SOURCES:
        return Text("Every article: the feeds' and the saved pages'.")
    if choice.feed == STARRED:
        return Text(f"The {choice.articles:,} articles you starred (f stars or unstars one).")
    detail = Text(f"{choice.articles:,} articles from {make_visible(choice.label)}")
    if choice.feed is not None:
        detail.append(f"\nFeed: {make_visible(choice.feed)}", style="dim")
    if choice.note:
        detail.append(f"\nLast refresh failed: {make_visible(choice.note)}")
    return detail


def sources_screen(
    choices: Sequence[SourceChoice], current: str | None
) -> ListScreen[SourceChoice]:
    """One row per feed (by address, under its unique name); `current` is the feed shown."""
    start = next((i for i, choice in enumerate(choices) if choice.feed == current), 0)
    return ListScreen(
        "Sources (Enter shows one)",
        choices,
        source_row,
        source_detail,
        empty_text="No sources.",
        start=start,
    )


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question: y or Enter says yes, n or Esc no."""

    CSS_PATH = dialog_styles()

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape,q", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box") as box:
            box.border_title = "Confirm"
            yield Static(Text(f"{self._question}\n\ny / Enter: yes    n / Esc: no"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
