"""The claims view: each number with the party it is attributed to."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from reader.highlight.claims import Claim
from reader.text import make_visible
from reader.ui.screens import ListScreen

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


def claim_context(row: ClaimRow) -> Text:
    """The sentence around a claim's number, the number in bold."""
    if isinstance(row, str):
        return Text()
    text = row.paragraph.text
    previous = text.rfind(". ", 0, row.number.start)
    start = previous + 2 if previous >= 0 else 0
    end = text.find(". ", row.number.end)
    end = len(text) if end < 0 else end + 1
    context = Text(make_visible(text[start : row.number.start]))
    context.append(make_visible(row.number_text), style="bold reverse")
    context.append(make_visible(text[row.number.end : end]))
    return context


def claims_screen(title: str, rows: Sequence[ClaimRow]) -> ListScreen[ClaimRow]:
    """Claims, or headed groups of them; Enter returns the chosen one to open its paragraph."""
    first_claim = next((i for i, row in enumerate(rows) if isinstance(row, Claim)), 0)
    return ListScreen(
        title,
        rows,
        claim_row,
        _search_text,
        claim_context,
        empty_text="No numbers here.",
        start=first_claim,
    )
