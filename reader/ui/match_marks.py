"""A search's matches marked in the reading pane: where they are in an article or ticker item,
which one is current (`]` / `[` step through them), and the pane's blocks with them marked.

The words are found with reader.library.query.match_spans, as the index matched them (case
and accents ignored, prefixes, phrases), in the text as the pane shows it. The library is
imported on first use: the first frame does not wait for it.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text

from reader.model import Article, CorpusTickerItem
from reader.text import make_visible
from reader.ui.documents import MAX_TITLE_SHOWN, NO_TITLE, shown_paragraphs, shown_part
from reader.ui.wrapping import Block, Deferred

if TYPE_CHECKING:
    from reader.library.query import Term

TITLE = -1  # the paragraph number of a headline's matches: before every paragraph


@dataclass(frozen=True, slots=True)
class Match:
    """One match: in paragraph `paragraph` (TITLE: the headline), the `ordinal`-th there."""

    paragraph: int
    ordinal: int


@dataclass(frozen=True, slots=True)
class Marks:
    """The matches of `terms` in the item shown, in reading order, and the current one."""

    terms: tuple[Term, ...]
    matches: tuple[Match, ...]
    current: int = 0

    @property
    def current_match(self) -> Match | None:
        return self.matches[self.current] if self.matches else None

    def step(self, by: int) -> Marks:
        """The marks with the next (`by` 1) or previous (-1) match current, round the end."""
        if not self.matches:
            return self
        return dataclasses.replace(self, current=(self.current + by) % len(self.matches))

    def legend(self) -> str:
        if not self.matches:
            return "no match in the Dutch text · Esc"
        return f"match {self.current + 1} / {len(self.matches)} · ] [ · Esc"


def spans_of(text: str, terms: tuple[Term, ...]) -> list[tuple[int, int]]:
    from reader.library.query import match_spans

    return match_spans(text, terms)


def marks_for(
    item: Article | CorpusTickerItem, terms: tuple[Term, ...], paragraph: int | None
) -> Marks:
    """The matches of `terms` in `item` as the pane shows it, the current one the first in
    `paragraph` (None: the headline), or the first after it (a match in a dateline, which the
    pane shows apart, is not marked)."""
    matches = [
        Match(number, ordinal)
        for number, text in _texts(item)
        for ordinal, _ in enumerate(spans_of(text, terms))
    ]
    wanted = TITLE if paragraph is None else paragraph
    current = next((i for i, match in enumerate(matches) if match.paragraph >= wanted), 0)
    return Marks(terms, tuple(matches), current)


def _texts(item: Article | CorpusTickerItem) -> list[tuple[int, str]]:
    """The texts the pane marks, as it shows them: the headline and the paragraphs."""
    if isinstance(item, CorpusTickerItem):
        return [(0, make_visible(shown_part(item.text)))]
    texts = [(TITLE, make_visible(shown_part(item.title or NO_TITLE, MAX_TITLE_SHOWN)))]
    for number, paragraph in enumerate(shown_paragraphs(item)):
        texts.append((number, make_visible(shown_part(paragraph.text))))
    return texts


def marked_blocks(
    blocks: list[Block],
    item: Article | CorpusTickerItem,
    marks: Marks,
    style: Style,
    current_style: Style,
) -> list[Block]:
    """`blocks` with the matches marked in the headline (an article's first block) and the
    paragraphs (the Dutch and, where shown, the English); the current match in its own style."""
    current = marks.current_match
    marked: list[Block] = []
    for position, (block, paragraph) in enumerate(blocks):
        number = TITLE if paragraph is None and position == 0 else paragraph
        if number is None or (isinstance(item, CorpusTickerItem) and paragraph is None):
            marked.append((block, paragraph))
            continue
        ordinal = current.ordinal if current is not None and current.paragraph == number else None
        texts = iter([ordinal])  # the block's first text is the Dutch, which ordinals count in

        def marker(ordinal_of: Iterator[int | None] = texts) -> Callable[[Text], Text]:
            at = next(ordinal_of, None)
            return lambda text: _marked_text(text, marks.terms, style, current_style, at)

        key = (marks.terms, style, current_style, ordinal)
        marked.append((_marked_block(block, marker, key), paragraph))
    return marked


def _marked_text(
    text: Text, terms: tuple[Term, ...], style: Style, current_style: Style, current: int | None
) -> Text:
    spans = spans_of(text.plain, terms)
    if not spans:
        return text
    made = text.copy()
    for ordinal, (start, end) in enumerate(spans):
        made.stylize(current_style if ordinal == current else style, start, end)
    return made


def _marked_block(
    block: RenderableType, marker: Callable[[], Callable[[Text], Text]], key: object
) -> RenderableType:
    """A block with each of its texts marked, each by the marker `marker()` gives it, asked
    in the order texts_of reads them (a Deferred's marked when it is made)."""
    if isinstance(block, Text):
        return marker()(block)
    if isinstance(block, Deferred):
        inner, mark = block, marker()
        return Deferred(("marks", inner.key, key), inner.size, lambda: mark(inner.text))
    if isinstance(block, Group):
        parts = [_marked_block(part, marker, key) for part in block.renderables]
        return Group(*parts, fit=block.fit)
    if isinstance(block, Padding):
        made = copy.copy(block)
        made.renderable = _marked_block(block.renderable, marker, key)
        return made
    if isinstance(block, Table):
        made = copy.copy(block)
        made.columns = [
            dataclasses.replace(
                column, _cells=[_marked_block(cell, marker, key) for cell in column.cells]
            )
            for column in block.columns
        ]
        return made
    return block
