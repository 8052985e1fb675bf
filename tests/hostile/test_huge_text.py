"""Huge text never freezes the interface: a headline of 2 MB, a paragraph of 6 MB, an item of
14 MB, an English answer of megabytes. The reading pane lays out a bounded part of each, says
how much it leaves out, and answers keys meanwhile; nothing is lost from the data."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rich.console import Console, RenderableType
from rich.style import Style
from rich.text import Text
from textual.pilot import Pilot
from textual.strip import Strip

from reader.model import Article, Link, Paragraph, ParagraphKind
from reader.translate.result import Translated
from reader.ui.app import ReaderApp
from reader.ui.documents import (
    MAX_PARAGRAPH_CHARACTERS_SHOWN,
    MAX_TEXT_SHOWN,
    MAX_TITLE_SHOWN,
    DocumentBuilder,
    shown_paragraphs,
)
from reader.ui.rows import article_row, ticker_row
from reader.ui.wrapping import STEP_CHARACTERS, BlockWrapper, block_key, render_block
from tests.ui.helpers import reader_app

SENTENCE = "De minister zegt dat 12 procent van het kabinet besluit, aldus het ANP. "
# The reading pane's budget per key: a key answered within 100 ms, with room for a slow machine.
KEY_SECONDS = 0.25


def words(characters: int, seed: int = 0) -> str:
    """Dutch-looking text of about `characters` characters, different per seed."""
    return f"{seed} " + SENTENCE * (characters // len(SENTENCE))


def write_page(folder: Path, title: str, paragraphs: list[str]) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "000.txt").write_text("Kort bericht\nDEN HAAG (ANP) - Een gewone alinea.\n")
    body = "\n".join(paragraphs)
    (folder / "001.txt").write_text(f"{title}\nDEN HAAG (ANP) - {body}\n", encoding="utf-8")
    return folder


class Heartbeat:
    """The longest the interface went without running a timer: how long a key would wait."""

    def __init__(self, app: ReaderApp) -> None:
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        app.set_interval(0.01, self._beat)

    def _beat(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now

    def longest(self) -> float:
        return max(self.gaps, default=0.0)


async def read_it_through(app: ReaderApp, pilot: Pilot[int]) -> None:
    """Open the huge article, leave it, open it again, scroll to its end: the interface is
    never held longer than a key may wait (a long page goes on being laid out in steps,
    keys answered between them: the pilot's press waits for all the steps)."""
    heartbeat = Heartbeat(app)
    for key in ("j", "k", "j"):
        await pilot.press(key)
    app.reader.focus()
    await pilot.press("G")
    await pilot.pause(0.3)
    assert heartbeat.longest() < KEY_SECONDS, f"the interface stalled {heartbeat.longest():.2f} s"


async def test_a_headline_of_2_mb_is_cut_with_a_note_and_keys_answer_at_once(
    tmp_path: Path,
) -> None:
    title = words(2_000_000)
    folder = write_page(tmp_path / "pages", title, ["Een alinea."])
    async with reader_app([folder], size=(100, 30)) as (app, pilot):
        await read_it_through(app, pilot)
        shown = app.reader.shown
        assert isinstance(shown, Article) and shown.title == title.strip(), "nothing lost"
        assert "more characters not shown here (nieuwslezer export writes all of it)" in (
            app.reader.text
        )
        # A headline a screen or more long buries the article: cut as a feed's title is.
        assert len(app.reader.text) < 2 * MAX_TITLE_SHOWN


async def test_a_paragraph_of_6_mb_is_cut_with_a_note_and_keys_answer_at_once(
    tmp_path: Path,
) -> None:
    paragraph = words(6_000_000)
    folder = write_page(tmp_path / "pages", "Titel", [paragraph, "Daarna nog een alinea."])
    async with reader_app([folder], size=(100, 30)) as (app, pilot):
        await read_it_through(app, pilot)
        shown = app.reader.shown
        assert isinstance(shown, Article)
        assert shown.paragraphs[0].text.endswith(paragraph.rstrip()[-50:]), "nothing lost"
        assert "more characters not shown here (nieuwslezer export" in app.reader.text
        assert "Daarna nog een alinea." in app.reader.text, "the paragraphs after it show"


async def test_an_item_of_14_mb_shows_what_fits_and_says_what_it_leaves_out(
    tmp_path: Path,
) -> None:
    paragraphs = [words(14_000, seed) for seed in range(1000)]
    folder = write_page(tmp_path / "pages", "Titel", paragraphs)
    async with reader_app([folder], size=(100, 30)) as (app, pilot):
        await read_it_through(app, pilot)
        shown = app.reader.shown
        assert isinstance(shown, Article) and len(shown.paragraphs) == 1000
        assert "more paragraphs not shown here: the page is unusually large" in app.reader.text


def test_no_block_of_a_huge_article_is_larger_than_a_text_shown() -> None:
    """Each block is wrapped in one go: none may be larger than the bound of one text (with
    its English and its note), and all of them together stay within the page's bound. Its
    source, address and links of a megabyte are cut too, and 10,000 links are not listed."""
    links = tuple(Link(f"link {n}", f"https://example.org/{n}/" + "a" * 100_000) for n in range(9))
    links += tuple(Link(f"link {n}", f"https://example.org/{n}") for n in range(10_000))
    article = Article(
        title=words(2_000_000),
        file="huge.txt",
        line=1,
        paragraphs=tuple(
            Paragraph(ParagraphKind.BODY, words(size, seed), "huge.txt", seed + 2, links=links)
            for seed, size in enumerate([6_000_000] + [14_000] * 999)
        ),
        source="S" * 1_000_000,
        link="https://example.org/" + "a" * 1_000_000,
    )
    english = Translated("EN " * 200_000)
    builder = DocumentBuilder(
        lambda name: Style(),
        highlighting=True,
        annotate=lambda text: pytest.fail("marked while the blocks are made, not as wrapped"),
        translation_of=lambda text: english,
        side_by_side=True,
    )
    started = time.perf_counter()
    blocks = builder.article_blocks(article)
    assert time.perf_counter() - started < 0.1
    sizes = [key[1] for key in (block_key(block) for block, _ in blocks) if key is not None]
    assert len(sizes) == len(blocks), "every block has a key: kept once wrapped"
    assert max(sizes) <= 2 * MAX_TEXT_SHOWN + 200
    assert sum(sizes) <= 2 * (MAX_PARAGRAPH_CHARACTERS_SHOWN + 2 * MAX_TEXT_SHOWN) + 300_000
    assert len(blocks) < 2 * 1000 + 300, "the links listed are bounded"
    assert len(shown_paragraphs(article)) < 1000


def test_a_step_of_wrapping_a_huge_article_stays_short() -> None:
    """The numbers and sources are found as each block is wrapped, a step at a time."""
    from reader.highlight import annotate

    article = Article(
        title="Titel",
        file="huge.txt",
        line=1,
        paragraphs=tuple(
            Paragraph(ParagraphKind.BODY, words(14_000, seed), "huge.txt", seed + 2)
            for seed in range(1000)
        ),
    )
    builder = DocumentBuilder(
        lambda name: Style(bold=name == "number"),
        highlighting=True,
        annotate=annotate,
        translation_of=None,
        side_by_side=False,
    )
    blocks = builder.article_blocks(article)
    console, base, wrapper = Console(width=100), Style(), BlockWrapper()
    annotate("Een eerste zin van 12 woorden, aldus het ANP.")  # its rules compiled
    step: list[int] = []

    def render(block: RenderableType) -> list[Strip]:
        keyed = block_key(block)
        step.append(keyed[1] if keyed is not None else 0)
        return render_block(console, block, 96, base)

    longest = 0.0
    for _ in range(5):
        step.clear()
        started = time.perf_counter()
        wrapper.wrap(blocks, 96, base, render, article)
        longest = max(longest, time.perf_counter() - started)
        assert sum(step) <= STEP_CHARACTERS + MAX_TEXT_SHOWN + 100, "a step wraps a bounded part"
    assert longest < KEY_SECONDS, f"a step took {longest:.2f} s"
    text = render_text(blocks[3][0])
    marked = {text.plain[span.start : span.end] for span in text.spans if span.style.bold}
    assert "12 procent" in marked, "the numbers are marked as the block is wrapped"


def render_text(block: object) -> Text:
    from reader.ui.documents import texts_of

    (text,) = texts_of(block)  # type: ignore[arg-type]
    return text


def test_a_row_of_a_huge_headline_or_ticker_item_is_made_at_once() -> None:
    from reader.model import Age, CorpusTickerItem, Sighting

    article = Article(title=words(14_000_000), file="huge.txt", line=1, paragraphs=())
    seen = Sighting("huge.txt", 3, Age("5 minuten geleden", 5))
    item = CorpusTickerItem(dateline=None, text=words(14_000_000), section=None, sightings=(seen,))
    started = time.perf_counter()
    for width in range(60, 80):
        assert article_row(article, width).cell_len <= width + 1
        ticker_row(item, width)
    assert time.perf_counter() - started < 0.1


async def test_the_claims_of_a_huge_article_list_at_once(tmp_path: Path) -> None:
    """`c` on a headline of 2 MB whose paragraph of 100 KB runs on without a full stop: the
    claims list their rows and the sentence around each number, cut, and keys answer."""
    title = words(2_000_000)
    paragraph = words(100_000).replace(". ", ", ")
    folder = write_page(tmp_path / "pages", title, [paragraph])
    async with reader_app([folder], size=(100, 30)) as (app, pilot):
        await pilot.press("j")
        await pilot.pause()
        heartbeat = Heartbeat(app)
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        for key in ("down", "down", "up"):
            await pilot.press(key)
        await pilot.pause(0.2)
        assert heartbeat.longest() < KEY_SECONDS, (
            f"the interface stalled {heartbeat.longest():.2f} s"
        )
        title = str(app.screen.query_one(".list-box").border_title)
        assert title.startswith("Claims in “0 De minister") and len(title) < 200, title[:300]


def test_an_item_cut_for_size_is_not_said_to_be_the_feed_s_summary() -> None:
    """An item of 300,000 characters is cut to MAX_ITEM_CHARACTERS when parsed: the pane says
    the article goes on, without blaming the feed for giving only a summary."""
    from reader.feeds.items import MAX_ITEM_CHARACTERS, feed_article
    from reader.feeds.parse import ParsedFeed, parse_feed
    from reader.ui.documents import plain_text

    body = "".join(f"<p>{words(3_000, seed)}</p>" for seed in range(100))
    entry = f"<item><title>Lang</title><guid>1</guid><description><![CDATA[{body}]]></description>"
    document = f'<rss version="2.0"><channel><title>F</title>{entry}</item></channel></rss>'
    parsed = parse_feed(document.encode(), "https://example.nl/feed.xml")
    assert isinstance(parsed, ParsedFeed)
    (item,) = parsed.items
    assert item.cut and sum(len(block.text) for block in item.blocks) <= MAX_ITEM_CHARACTERS
    article = feed_article(item, "F", "https://example.nl/feed.xml")
    builder = DocumentBuilder(
        lambda name: Style(),
        highlighting=False,
        annotate=None,
        translation_of=None,
        side_by_side=False,
    )
    shown = "\n".join(plain_text(block) for block, _ in builder.article_blocks(article))
    assert "… only part of the article is here; o opens the full article." in shown
    assert "summary" not in shown
