"""Wrapping the reading pane's blocks to its width, for the document shown.

Each block is wrapped once per width and kept while it is shown: a refresh (a translation
arrived, a pause counting down) wraps again only the blocks that changed. A page of many
paragraphs (1,000 with the English beside them took ~0.6 s) is wrapped a step at a time, so
that keys are answered between the steps: blocks not yet wrapped show as they were, or not
yet, until a later step reaches them. A block's costly making (finding its numbers and sources)
can wait for its step too: a `Deferred` text is made when it is first wrapped.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.strip import Strip

from reader.model import Value

# A document with fewer characters to wrap than this is wrapped at once (~100 ms at most, an
# article of a usual length); a longer one in steps of at most STEP_CHARACTERS (~10-20 ms each,
# with the English side by side).
AT_ONCE_CHARACTERS = 20_000
STEP_CHARACTERS = 3_000

Block = tuple[RenderableType, int | None]
"""A stretch of the document and the index of the paragraph it shows, if it is one."""


class Deferred:
    """A Text made when it is first wrapped or measured, not when the blocks are made.

    `key` stands for everything the text depends on (the blocks' lines are kept by it), `size`
    is its length in characters. Marking the numbers and sources of 1,000 paragraphs took
    ~0.4 s at once; made in the wrapping's steps, keys are answered between them."""

    def __init__(self, key: Hashable, size: int, make: Callable[[], Text]) -> None:
        self.key = key
        self.size = size
        self._make = make
        self._text: Text | None = None

    @property
    def text(self) -> Text:
        if self._text is None:
            self._text = self._make()
        return self._text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.text

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)


def render_block(console: Console, block: RenderableType, width: int, base: Style) -> list[Strip]:
    """One block's lines at `width`, in the pane's base style."""
    options = console.options.update(width=width, height=None, no_wrap=False)
    rendered = console.render_lines(block, options, style=base, pad=True)
    return [Strip(line, width) for line in rendered]  # made once: costly


def block_key(block: RenderableType) -> tuple[Hashable, int] | None:
    """What a block's lines depend on, besides width and base style, and its size in
    characters; None for a kind of block this does not know (it is wrapped every time)."""
    if isinstance(block, Text):
        key = (block.plain, block.style, tuple(block.spans), block.justify, block.overflow)
        return ("text", key, block.no_wrap, block.end), len(block.plain)
    if isinstance(block, Deferred):
        return ("deferred", block.key), block.size
    if isinstance(block, Group):
        return _composite("group", block.renderables, block.fit)
    if isinstance(block, Padding):
        inner = block_key(block.renderable)
        edges = (block.top, block.right, block.bottom, block.left, block.style, block.expand)
        return None if inner is None else (("padding", edges, inner[0]), inner[1])
    if isinstance(block, Table):
        cells = [cell for column in block.columns for cell in column.cells]
        columns = tuple((c.ratio, c.width, c.justify, c.overflow, c.no_wrap) for c in block.columns)
        layout = (columns, block.padding, block.expand, block.box, block.show_edge)
        return _composite(("table", layout), cells, block.collapse_padding)
    return None


def _composite(
    kind: Hashable, parts: Sequence[RenderableType], option: object
) -> tuple[Hashable, int] | None:
    keys = [block_key(part) for part in parts]
    if any(key is None for key in keys):
        return None
    known = [key for key in keys if key is not None]
    return (kind, option, tuple(key for key, _ in known)), sum(size for _, size in known)


_set = object.__setattr__  # frozen: fields set as a dataclass sets them


class Wrapped(Value):
    __slots__ = ("complete", "lines", "paragraph_lines")

    lines: list[Strip]
    paragraph_lines: dict[int, int]  # paragraph index -> its first line
    complete: bool  # False: a next step has blocks left to wrap

    def __init__(self, lines: list[Strip], paragraph_lines: dict[int, int], complete: bool) -> None:
        _set(self, "lines", lines)
        _set(self, "paragraph_lines", paragraph_lines)
        _set(self, "complete", complete)


class BlockWrapper:
    """The shown document's blocks wrapped, kept per block between refreshes."""

    def __init__(self) -> None:
        self._context: tuple[int, Style] | None = None  # the width and style kept lines have
        self._lines: dict[Hashable, list[Strip]] = {}  # block key -> its lines
        self._document: object = None  # what the blocks last wrapped show
        self._shown: list[tuple[int | None, list[Strip]]] = []  # each block: paragraph, lines
        self._keys: tuple[list[Block], list[tuple[Hashable, int] | None]] | None = None

    def wrap(
        self,
        blocks: list[Block],
        width: int,
        base: Style,
        render: Callable[[RenderableType], list[Strip]],
        document: object,
        everything: bool = False,
        through: int | None = None,
    ) -> Wrapped:
        """The blocks' lines: those kept, and new ones up to a step's worth (all of them
        with `everything`, all as far as paragraph `through` and a step's worth after it);
        for the rest the lines the block had when last shown."""
        if self._context != (width, base):
            self._context, self._lines, self._shown = (width, base), {}, []
        keys = self._keys_of(blocks)
        # The same document with the same blocks (English turned on, a translation in):
        # a block not wrapped yet shows its old lines meanwhile.
        same = document is self._document and [p for p, _ in self._shown] == [p for _, p in blocks]
        to_wrap = sum(
            STEP_CHARACTERS if keyed is None else keyed[1]
            for keyed in keys
            if keyed is None or keyed[0] not in self._lines
        )
        at_once = everything or to_wrap <= AT_ONCE_CHARACTERS
        budget = float("inf") if at_once else STEP_CHARACTERS
        kept: dict[Hashable, list[Strip]] = {}
        shown: list[tuple[int | None, list[Strip]]] = []
        lines: list[Strip] = []
        paragraph_lines: dict[int, int] = {}
        complete = True
        for index, ((block, paragraph), keyed) in enumerate(zip(blocks, keys, strict=True)):
            block_lines = self._lines.get(keyed[0]) if keyed is not None else None
            if block_lines is None:
                if budget > 0 or through is not None:
                    block_lines = render(block)
                    if through is None:
                        budget -= keyed[1] if keyed is not None else STEP_CHARACTERS
                else:
                    complete = False
                    if not same:
                        break  # the rest comes with the next steps
                    block_lines = self._shown[index][1]
                    keyed = None  # old lines: not this block's
            if keyed is not None:
                kept[keyed[0]] = block_lines
            if paragraph is not None:
                paragraph_lines[paragraph] = len(lines)
                if paragraph == through:
                    through = None  # reached: steps as usual from here
            shown.append((paragraph, block_lines))
            lines.extend(block_lines)
        self._lines = kept
        self._document = document
        self._shown = shown if complete or same else []
        return Wrapped(lines, paragraph_lines, complete)

    def _keys_of(self, blocks: list[Block]) -> list[tuple[Hashable, int] | None]:
        # Worked out once per list of blocks: its steps ask again.
        if self._keys is None or self._keys[0] is not blocks:
            self._keys = (blocks, [block_key(block) for block, _ in blocks])
        return self._keys[1]
