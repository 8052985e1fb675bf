"""The claims view: each number with the party it is attributed to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from reader.highlight.claims import Claim
from reader.text import make_visible
from reader.ui.row_list import RowList

ClaimRow = Claim | str
"""A claim, or the heading of a group of claims (what they count)."""

_NUMBER_WIDTH = 14
_COUNTED_WIDTH = 14


def claim_row(row: ClaimRow, width: int) -> Text:
    """Number, what it counts, who says so, and in which article."""
    if isinstance(row, str):
        return Text("▸ " + make_visible(row), style="bold")
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f"{make_visible(row.number_text):>{_NUMBER_WIDTH}}  ", style="bold")
    line.append(f"{make_visible(row.counted or ''):<{_COUNTED_WIDTH}} ")
    line.append(
        make_visible(row.party or "— not attributed"), style="underline" if row.party else "dim"
    )
    line.append(f"  · {make_visible(row.article.title)}", style="dim")
    return line


def _search_text(row: ClaimRow) -> str:
    if isinstance(row, str):
        return row
    return f"{row.number_text} {row.counted or ''} {row.party or ''} {row.article.title}"


class ClaimsScreen(ModalScreen[Claim | None]):
    """A list of claims; Enter returns the chosen one so the app can open it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close", id="claims.close"),
        Binding("c,C", "dismiss", "Close", show=False),
    ]

    def __init__(self, title: str, rows: Sequence[ClaimRow]) -> None:
        super().__init__()
        self._title = title
        self._rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="claims-box") as box:
            box.border_title = self._title
            rows: RowList[ClaimRow] = RowList(
                claim_row,
                _search_text,
                empty_text="No numbers here.",
                id="claims",
            )
            rows.set_items(self._rows)
            yield rows
            yield Static(id="claim-context", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        rows = self.query_one("#claims", RowList)
        self.watch(rows, "cursor", lambda _: self.show_context(rows.highlighted))

    def show_context(self, row: ClaimRow | None) -> None:
        """The sentence around the highlighted number, the number in bold."""
        if not isinstance(row, Claim):
            self.query_one("#claim-context", Static).update("")
            return
        text = row.paragraph.text
        previous = text.rfind(". ", 0, row.number.start)
        start = previous + 2 if previous >= 0 else 0
        end = text.find(". ", row.number.end)
        end = len(text) if end < 0 else end + 1
        context = Text(make_visible(text[start : row.number.start]))
        context.append(make_visible(row.number_text), style="bold reverse")
        context.append(make_visible(text[row.number.end : end]))
        self.query_one("#claim-context", Static).update(context)

    @on(RowList.Selected, "#claims")
    def choose(self, event: RowList.Selected[ClaimRow]) -> None:
        if isinstance(event.item, Claim):
            self.dismiss(event.item)
