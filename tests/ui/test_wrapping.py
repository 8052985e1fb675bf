"""The reading pane's blocks wrapped once each and kept, a long page a step at a time."""

from __future__ import annotations

from rich.console import Console, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.strip import Strip

from reader.ui.wrapping import STEP_CHARACTERS, Block, BlockWrapper, block_key, render_block

CONSOLE = Console(width=80, color_system=None)
BASE = Style()
WIDTH = 60


class CountingRender:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, block: RenderableType) -> list[Strip]:
        self.calls += 1
        return render_block(CONSOLE, block, WIDTH, BASE)


def page(paragraphs: int, english: str | None = None) -> list[Block]:
    """A heading and paragraphs of ~300 characters, with an English column if given."""
    blocks: list[Block] = [(Text("Kop"), None)]
    for index in range(paragraphs):
        dutch = Text(f"Alinea {index}: " + "de minister zegt dat het kabinet besluit " * 8)
        if english is None:
            blocks.append((dutch, index))
        else:
            row = Table.grid(expand=True, padding=(0, 3))
            row.add_column(ratio=1)
            row.add_column(ratio=1)
            row.add_row(dutch, Text(english))
            blocks.append((row, index))
    return blocks


def plain(lines: list[Strip]) -> list[str]:
    return [line.text for line in lines]


def test_a_long_page_is_wrapped_in_steps_and_a_step_is_bounded() -> None:
    wrapper, render, document = BlockWrapper(), CountingRender(), object()
    blocks = page(200)
    first = wrapper.wrap(blocks, WIDTH, BASE, render, document)
    assert not first.complete
    assert render.calls <= STEP_CHARACTERS // 300 + 2, "a step wraps a bounded part"
    steps = 1
    wrapped = first
    while not wrapped.complete:
        wrapped = wrapper.wrap(blocks, WIDTH, BASE, render, document)
        steps += 1
    assert steps > 5 and render.calls == len(blocks), "each block wrapped once"
    whole = [line for block, _ in blocks for line in render_block(CONSOLE, block, WIDTH, BASE)]
    assert plain(wrapped.lines) == plain(whole)
    assert wrapped.paragraph_lines[0] == len(render_block(CONSOLE, blocks[0][0], WIDTH, BASE))


def test_a_refresh_wraps_again_only_the_blocks_that_changed() -> None:
    wrapper, render, document = BlockWrapper(), CountingRender(), object()
    wrapper.wrap(page(20), WIDTH, BASE, render, document, everything=True)
    changed = page(20)
    changed[5] = (Text("Een andere alinea."), 4)
    render.calls = 0
    wrapped = wrapper.wrap(changed, WIDTH, BASE, render, document)
    assert wrapped.complete and render.calls == 1
    assert "Een andere alinea." in plain(wrapped.lines)[wrapped.paragraph_lines[4]]


def test_the_english_turned_on_shows_the_old_lines_until_a_step_reaches_them() -> None:
    wrapper, render, document = BlockWrapper(), CountingRender(), object()
    dutch = wrapper.wrap(page(200), WIDTH, BASE, render, document, everything=True)
    english = wrapper.wrap(page(200, "… translating"), WIDTH, BASE, render, document)
    assert not english.complete
    last = english.paragraph_lines[199]
    assert plain(english.lines)[last:] == plain(dutch.lines)[dutch.paragraph_lines[199] :]
    assert "… translating" in "".join(plain(english.lines)[: english.paragraph_lines[3]])


def test_blocks_that_look_alike_have_one_key_and_any_difference_another() -> None:
    one, same = page(1, "EN")[1][0], page(1, "EN")[1][0]
    assert block_key(one) == block_key(same)
    assert block_key(one) != block_key(page(1, "EN.")[1][0])
    bold = Text("Kop")
    bold.stylize("bold", 0, 1)
    assert block_key(Text("Kop")) != block_key(bold)
    assert block_key(object()) is None  # not known: wrapped every time


def test_wrapping_through_a_paragraph_wraps_as_far_as_it_and_leaves_the_rest_to_steps() -> None:
    """To scroll to a paragraph (a claim opened) the page is wrapped at once only as far as
    that paragraph: a page of 500,000 characters took seconds wrapped whole."""
    wrapper, render, document = BlockWrapper(), CountingRender(), object()
    blocks = page(200)
    wrapped = wrapper.wrap(blocks, WIDTH, BASE, render, document, through=50)
    assert not wrapped.complete and 50 in wrapped.paragraph_lines
    assert render.calls <= 52 + STEP_CHARACTERS // 300 + 1, "and a step's worth after it"
    whole = wrapper.wrap(blocks, WIDTH, BASE, CountingRender(), document, everything=True)
    assert wrapped.paragraph_lines[50] == whole.paragraph_lines[50]
