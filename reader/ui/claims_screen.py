"""The claims view: each number with the party it is attributed to; Enter on a group's
heading folds or unfolds the group."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on

from reader.highlight.claims import Claim
from reader.present import plural
from reader.text import make_visible
from reader.ui.row_list import RowList
from reader.ui.screens import ListScreen

ClaimRow = Claim | str
"""A claim, or the heading of a group of claims (what they count)."""

_NUMBER_WIDTH = 14
_COUNTED_WIDTH = 14
_PARTY_MIN_WIDTH = 16
_GAP = "  "  # between columns: a cell cut short ends in "…", never runs into the next
_TITLE_CHARACTERS = 1000  # of a headline, more than a row ever shows
_CONTEXT_CHARACTERS = 500  # of the text either side of a claim's number, at most


def _cell(text: str, width: int, right: bool = False) -> str:
    """`text` in exactly `width` cells: padded, or cut with an ellipsis."""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    padding = " " * (width - cell_len(text))
    return padding + text if right else text + padding


def claim_row(row: ClaimRow, width: int) -> Text:
    """Number, what it counts, who says so, and in which article, each in its column."""
    if isinstance(row, str):
        return Text("▾ " + make_visible(row), style="bold")
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(_cell(make_visible(row.number_text), _NUMBER_WIDTH, right=True), style="bold")
    line.append(_GAP + _cell(make_visible(row.counted or ""), _COUNTED_WIDTH) + _GAP)
    # The party and the title share the rest, the party its larger part.
    rest = width - _NUMBER_WIDTH - _COUNTED_WIDTH - 2 * len(_GAP)
    party_width = max(rest * 3 // 5, _PARTY_MIN_WIDTH)
    party = _cell(make_visible(row.party or "— not attributed"), party_width)
    written = party.rstrip(" ")  # underlined as far as the words go, not the padding
    line.append(written, style="underline" if row.party else "dim")
    line.append(party[len(written) :] + _GAP)
    line.append(f"· {make_visible(row.article.title[:_TITLE_CHARACTERS])}", style="dim")
    return line


def claim_context(row: ClaimRow) -> Text:
    """The sentence around a claim's number, the number in bold."""
    if isinstance(row, str):
        return Text("Enter folds or unfolds this group.", style="dim")
    text = row.paragraph.text
    # No further than _CONTEXT_CHARACTERS either side: a paragraph of megabytes without a full
    # stop was shown whole, and held the interface for seconds.
    earliest = max(row.number.start - _CONTEXT_CHARACTERS, 0)
    previous = text.rfind(". ", earliest, row.number.start)
    start = previous + 2 if previous >= 0 else earliest
    latest = row.number.end + _CONTEXT_CHARACTERS
    stop = text.find(". ", row.number.end, latest)
    end = stop + 1 if stop >= 0 else min(len(text), latest)
    context = Text("…" if previous < 0 < earliest else "")
    context.append(make_visible(text[start : row.number.start]))
    context.append(make_visible(row.number_text), style="bold reverse")
    context.append(make_visible(text[row.number.end : end]))
    if stop < 0 and end < len(text):
        context.append("…")
    return context


class ClaimsScreen(ListScreen[ClaimRow]):
    """Claims, or headed groups of them: Enter on a claim returns it (to open its
    paragraph), on a heading folds or unfolds its group."""

    def __init__(self, title: str, rows: Sequence[ClaimRow]) -> None:
        first_claim = next((i for i, row in enumerate(rows) if isinstance(row, Claim)), 0)
        super().__init__(
            title,
            rows,
            self._row,
            claim_context,
            empty_text="No numbers here.",
            start=first_claim,
        )
        self._every_row = list(rows)
        self._folded: set[int] = set()  # positions in _every_row of folded headings

    def _row(self, row: ClaimRow, width: int) -> Text:
        if isinstance(row, str):
            position = self._position(row)
            if position in self._folded:
                line = Text(f"▸ {make_visible(row)}", style="bold")
                hidden = plural(self._claims_under(position), "claim")
                line.append(f"  {hidden} hidden", style="dim")
                return line
        return claim_row(row, width)

    def _position(self, heading: str) -> int:
        return next(i for i, row in enumerate(self._every_row) if row is heading)

    def _claims_under(self, position: int) -> int:
        count = 0
        for row in self._every_row[position + 1 :]:
            if isinstance(row, str):
                break
            count += 1
        return count

    @on(RowList.Selected, "#rows")
    def fold_or_unfold(self, event: RowList.Selected[ClaimRow]) -> None:
        if not isinstance(event.item, str):
            return  # a claim: ListScreen returns it
        event.prevent_default()  # a heading closes nothing
        self._folded ^= {self._position(event.item)}
        shown: list[ClaimRow] = []
        hiding = False
        for position, row in enumerate(self._every_row):
            if isinstance(row, str):
                hiding = position in self._folded
                shown.append(row)
            elif not hiding:
                shown.append(row)
        self.query_one("#rows", RowList).set_items(shown)


def claims_screen(title: str, rows: Sequence[ClaimRow]) -> ListScreen[ClaimRow]:
    """Claims, or headed groups of them; Enter returns the chosen claim to open its paragraph."""
    return ClaimsScreen(title, rows)
