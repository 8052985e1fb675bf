"""Modal screens: the keys (help) and the diagnostics."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from reader.model import Diagnostic
from reader.text import make_visible
from reader.ui.row_list import RowList
from reader.ui.rows import diagnostic_row

KeyGroup = tuple[str, Sequence[tuple[str, str]]]
"""A heading and its (keys, what they do) rows."""

_CLOSE: list[BindingType] = [
    Binding("escape,q", "dismiss", "Close", id="modal.close"),
]


class HelpScreen(ModalScreen[None]):
    """Every key, grouped by where it works."""

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
        yield Footer()


class DiagnosticsScreen(ModalScreen[Diagnostic | None]):
    """Every problem found while loading, with file and line; Enter returns the chosen one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *_CLOSE,
        Binding("d", "dismiss", "Close", show=False),
    ]

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__()
        self._diagnostics = diagnostics

    def compose(self) -> ComposeResult:
        with Vertical(id="diagnostics-box") as box:
            count = len(self._diagnostics)
            box.border_title = f"Diagnostics ({count})"
            rows: RowList[Diagnostic] = RowList(
                diagnostic_row,
                lambda d: f"{d.file} {d.message}",
                empty_text="No problems: every file was read as it is.",
                id="diagnostics",
            )
            rows.set_items(self._diagnostics)
            yield rows
            yield Static(id="diagnostic-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        rows = self.query_one("#diagnostics", RowList)
        self.watch(rows, "cursor", lambda _: self.show_detail(rows.highlighted))

    def show_detail(self, diagnostic: Diagnostic | None) -> None:
        """The highlighted diagnostic in full: rows are cut to the width."""
        if diagnostic is None:
            return
        where = diagnostic.file + (f", line {diagnostic.line}" if diagnostic.line else "")
        detail = Text(make_visible(where), style="bold")
        detail.append("\n" + make_visible(f"{diagnostic.severity.value}: {diagnostic.message}"))
        self.query_one("#diagnostic-detail", Static).update(detail)

    @on(RowList.Selected, "#diagnostics")
    def choose(self, event: RowList.Selected[Diagnostic]) -> None:
        self.dismiss(event.item)
