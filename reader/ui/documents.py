"""What the reading pane shows of an article or a ticker item, as blocks of styled text:
numbers and sources marked, the English beside or under the Dutch.

Laid out on the interface's thread, so bounded: of a text (a headline, a paragraph, an English
answer) its first MAX_TEXT_SHOWN characters, of a page the paragraphs that fit
MAX_PARAGRAPH_CHARACTERS_SHOWN, each cut said so in the pane. Nothing is cut from the data:
`export` writes all of it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text

from reader.agencies import agency_name
from reader.feeds.items import UNTITLED
from reader.model import Article, CorpusTickerItem, Dateline, Link, Paragraph, ParagraphKind, Span
from reader.present import (
    age_since,
    dating_note,
    display_path,
    long_age,
    published_text,
    where_from,
)
from reader.text import make_visible, visible_offset
from reader.translate.languages import language_name
from reader.translate.result import Failed, NotDutch, Translated, TranslationResult
from reader.ui.wrapping import Block, Deferred

if TYPE_CHECKING:
    from reader.highlight import Annotation

# A page of many megabytes would take seconds to lay out; the rest is in `export`.
MAX_PARAGRAPHS_SHOWN = 1000
# The most of one text laid out: ~15 ms to mark and wrap, where a headline of 2 MB took 5 s and
# a paragraph of 6 MB 18 s. A news paragraph is a few hundred characters; 10,000 is a long
# article run into one.
MAX_TEXT_SHOWN = 10_000
# The most of a page's paragraphs laid out, all together: 1,000 of a usual length fit; 1,000
# of 14,000 characters (14 MB) were a minute of work.
MAX_PARAGRAPH_CHARACTERS_SHOWN = 500_000
MAX_LINE_SHOWN = 1_000  # of a line about the item: a source, an address, a place
MAX_TITLE_SHOWN = 1_000  # of a headline: as much as a feed's title keeps (feeds/items.py)
MAX_LINKS_SHOWN = 200
MAX_SIGHTINGS_SHOWN = 50  # a ticker item seen in each of 10,000 pages: one line per page
EXPORT_HAS_ALL = " (nieuwslezer export writes all of it)"
NO_TITLE = "(no title)"  # shown for a page without one
# Said of an article that is not all there: a summary its publisher cut short, or an item
# nieuwslezer cut for size (the store does not say which).
CUT_NOTE = "… only part of the article is here; o opens the full article."
# Said of an article or ticker item that its page file ends inside: the scraper cut it.
PAGE_CUT_NOTE = "… cut off: the page file ends here, so the rest is not in it."
STOPPED = "stopped"  # the reason of the paragraphs Esc kept from being sent


def has_title(article: Article) -> bool:
    """Whether an article has a title of its own, rather than a placeholder for none: a
    placeholder is not sent to be translated, and has no English to wait for."""
    return article.title not in ("", UNTITLED)


def t_retries(failure: Failed) -> bool:
    """Whether `T` may bring the English of a text that failed: trying again may help, or
    it was never sent (Esc). Not when it cannot: no translator, a refused key, a lie."""
    return failure.retryable or failure.reason == STOPPED


def shown_part(text: str, limit: int = MAX_TEXT_SHOWN) -> str:
    """The part of a text the reading pane shows (and sends to be translated): all of it, or
    its first `limit` characters, at a space if there is one near the end."""
    if len(text) <= limit:
        return text
    space = text.rfind(" ", limit - limit // 50, limit)
    return text[: space if space > 0 else limit]


def not_shown(text: str, shown: str, where: str = "") -> str:
    """The note after a text cut for showing ("" when it was not), `where` the rest is."""
    rest = len(text) - len(shown)
    return f" … {rest:,} more characters not shown here{where}" if rest else ""


def shown_paragraphs(article: Article) -> tuple[Paragraph, ...]:
    """The paragraphs the reading pane shows: the first MAX_PARAGRAPHS_SHOWN, as many of them
    as fit MAX_PARAGRAPH_CHARACTERS_SHOWN (at least one)."""
    first = article.paragraphs[:MAX_PARAGRAPHS_SHOWN]
    room = MAX_PARAGRAPH_CHARACTERS_SHOWN
    for count, paragraph in enumerate(first):
        room -= min(len(paragraph.text), MAX_TEXT_SHOWN)
        if room < 0 and count:
            return first[:count]
    return first


def _visible(text: str, limit: int = MAX_LINE_SHOWN) -> str:
    """A line about the item (a source, an address) as shown: made visible, cut if huge."""
    shown = shown_part(text, limit)
    return make_visible(shown) + ("…" if shown != text else "")


class DocumentBuilder:
    """Builds the blocks of what the pane shows, in its styles and settings of the moment."""

    def __init__(
        self,
        style: Callable[[str], Style],
        *,
        highlighting: bool,
        annotate: Callable[[str], Annotation] | None,
        translation_of: Callable[[str], TranslationResult | None] | None,
        side_by_side: bool,
    ) -> None:
        self._style = style  # component class name ("number") -> its style
        self.highlighting = highlighting
        self._annotate = annotate
        self.translation_of = translation_of
        self.side_by_side = side_by_side

    def _marked_text(
        self, raw: str, base: Style | None = None, limit: int = MAX_TEXT_SHOWN
    ) -> Text | Deferred:
        """Untrusted text made visible (its shown part, and a note of what is not), with its
        numbers and sources styled by span: found when it is first wrapped, in the text as it
        is, and moved past the escapes of its controls."""
        shown = shown_part(raw, limit)
        visible = make_visible(shown)
        note = not_shown(raw, shown, EXPORT_HAS_ALL)
        annotate = self._annotate
        if not self.highlighting or annotate is None:
            return self._noted(Text(visible, style=base or ""), note)
        numbers, sources, meta = self._style("number"), self._style("source"), self._style("meta")

        def make() -> Text:
            text = Text(visible, style=base or "")
            annotation = annotate(shown)  # spans index the shown text, not the visible one
            offset = visible_offset(shown)
            _stylize(text, annotation.sources, sources, offset)
            _stylize(text, annotation.numbers, numbers, offset)
            if note:
                text.append(note, meta)
            return text

        key = ("marked", visible, base, numbers, sources, note, meta)
        return Deferred(key, len(visible) + len(note), make)

    def _noted(self, text: Text, note: str) -> Text:
        if note:
            text.append(note, self._style("meta"))
        return text

    def _dateline(self, dateline: Dateline) -> Text:
        """ "KYIV · ANP, Reuters, AFP": the agencies are sources, marked as such."""
        text = Text(_visible(dateline.place) + " · ", style=self._style("dateline"))
        for position, code in enumerate(dateline.agencies):
            if position:
                text.append(", ", self._style("dateline"))
            start = len(text)
            text.append(make_visible(agency_name(code)), self._style("dateline"))
            if self.highlighting:
                text.stylize(self._style("source"), start, len(text))
        return text

    def _english(self, raw: str) -> Text | None:
        """The English of a text as the reader should see it, or None when translation is off."""
        if self.translation_of is None:
            return None
        result = self.translation_of(raw)
        if result is None:
            return Text("… translating", self._style("pending"))
        if isinstance(result, Translated):
            shown = shown_part(result.text)
            english = Text(make_visible(shown), self._style("english"))
            return self._noted(english, not_shown(result.text, shown))
        if isinstance(result, NotDutch):
            language = language_name(result.language)
            return Text(f"({language}, not translated)", self._style("pending"))
        hint = " (T retries)" if t_retries(result) else ""
        return Text(f"⚠ not translated: {result.reason}{hint}", self._style("failed"))

    def _with_english(
        self, dutch: RenderableType, raw: str, limit: int = MAX_TEXT_SHOWN
    ) -> RenderableType:
        """A Dutch block with its English: side by side (rows aligned) or the English below.
        The English is that of the text's shown part: what was sent to be translated."""
        english = self._english(shown_part(raw, limit))
        if english is None:
            return dutch
        if self.side_by_side:
            row = Table.grid(expand=True, padding=(0, 3))
            row.add_column(ratio=1)
            row.add_column(ratio=1)
            row.add_row(dutch, english)
            return row
        return Group(dutch, Padding(english, (0, 0, 0, 2)))

    def article_blocks(self, article: Article) -> list[Block]:
        """The blocks of an article: headline, the lines about it, paragraphs, notes, links."""
        title = article.title or NO_TITLE
        headline = self._marked_text(title, self._style("title"), MAX_TITLE_SHOWN)
        if has_title(article):
            headline = self._with_english(headline, title, MAX_TITLE_SHOWN)
        header = Text()  # the lines about the article, in styles of their own
        if article.dateline is not None:
            header.append_text(self._dateline(article.dateline))
            header.append("\n")
        if article.source is not None:
            header.append(_visible(article.source), self._style("source"))
            when = published_text(article.published)
            if article.published is not None:
                when += f" ({age_shown(article)})"
            when += dating_note(article)
            header.append(f" · {when}", self._style("dateline"))
            header.append("\n")
        header.append(_visible(where_from(article)), self._style("meta"))
        # The English headline under the Dutch one (or beside it), before the lines about it.
        blocks: list[Block] = [(headline, None), (header, None)]
        paragraphs = shown_paragraphs(article)
        for index, paragraph in enumerate(paragraphs):
            blocks.append((Text(""), None))
            if paragraph.kind is ParagraphKind.SUBHEADING:
                shown = shown_part(paragraph.text)
                subheading = Text(make_visible(shown), self._style("subheading"))
                note = not_shown(paragraph.text, shown, EXPORT_HAS_ALL)
                blocks.append((self._noted(subheading, note), index))
            else:
                base = self._style("lead") if paragraph.kind is ParagraphKind.LEAD else None
                dutch = self._marked_text(paragraph.text, base)
                blocks.append((self._with_english(dutch, paragraph.text), index))
        if article.link and not article.paragraphs:
            note = "The feed gives no text for this article; o opens it."
            blocks += [(Text(""), None), (Text(note, self._style("meta")), None)]
        if article.cut:
            note = CUT_NOTE if article.source is not None else PAGE_CUT_NOTE
            blocks += [(Text(""), None), (Text(note, self._style("meta")), None)]
        links = (link for paragraph in paragraphs for link in paragraph.links)
        blocks += self._links(links)
        hidden = len(article.paragraphs) - len(paragraphs)
        if hidden:
            note = (
                f"… {hidden:,} more paragraphs not shown here: the page is unusually large "
                "(nieuwslezer export writes all of it)."
            )
            blocks += [(Text(""), None), (Text(note, self._style("meta")), None)]
        return blocks

    def _links(self, links: Iterable[Link]) -> list[Block]:
        """The article's links, listed as text: the reader copies an address, nothing opens.
        A block each: a page of many links is wrapped in steps. The first MAX_LINKS_SHOWN
        (looking no further: a page may hold hundreds of thousands)."""
        distinct: dict[Link, None] = {}
        for link in links:
            distinct[link] = None
            if len(distinct) > MAX_LINKS_SHOWN:
                break
        if not distinct:
            return []
        meta = self._style("meta")
        blocks: list[Block] = [(Text(""), None), (Text("Links", self._style("label")), None)]
        for link in list(distinct)[:MAX_LINKS_SHOWN]:
            blocks.append((Text(f"• {_visible(link.text)}: {_visible(link.href)}", meta), None))
        if len(distinct) > MAX_LINKS_SHOWN:
            note = f"… more links not shown here{EXPORT_HAS_ALL}"
            blocks.append((Text(note, meta), None))
        return blocks

    def ticker_blocks(self, item: CorpusTickerItem) -> list[Block]:
        """The blocks of a ticker item: its section and age, dateline, text, where it was seen."""
        section = f"Meer uit {item.section}" if item.section else "Ticker"
        header = Text()  # each part in its own style: the age is not bold as the label is
        header.append(_visible(section), self._style("label"))
        header.append(f"  {long_age(item.age)}", self._style("meta"))
        if item.dateline is not None:
            header.append("\n")
            header.append_text(self._dateline(item.dateline))
        seen = "; ".join(
            f"{display_path(s.file)}, line {s.line} ({long_age(s.age)})"
            for s in item.sightings[:MAX_SIGHTINGS_SHOWN]
        )
        if len(item.sightings) > MAX_SIGHTINGS_SHOWN:
            seen += f"; and {len(item.sightings) - MAX_SIGHTINGS_SHOWN:,} more"
        label = "Seen in" if len(item.sightings) > 1 else "From"
        cut = [(Text(PAGE_CUT_NOTE, self._style("meta")), None), (Text(""), None)]
        return [
            (header, None),
            (Text(""), None),
            (self._with_english(self._marked_text(item.text, self._style("lead")), item.text), 0),
            (Text(""), None),
            *(cut if item.cut else []),
            (Text(_visible(f"{label}: {seen}", MAX_TEXT_SHOWN), self._style("meta")), None),
        ]


def age_shown(item: Article | CorpusTickerItem) -> str:
    """The age shown that depends on the clock: a feed article's ("5 minutes ago")."""
    if isinstance(item, Article) and item.published is not None:
        return long_age(age_since(item.published))
    return ""  # a ticker item's ages are as its page gave them


def texts_of(block: RenderableType) -> list[Text]:
    """The Texts a block is made of (a Text, a Group of them, or a side-by-side row)."""
    if isinstance(block, Text):
        return [block]
    if isinstance(block, Deferred):
        return [block.text]
    if isinstance(block, Group):
        return [text for part in block.renderables for text in texts_of(part)]
    if isinstance(block, Padding):
        return texts_of(block.renderable)
    if isinstance(block, Table):
        return [
            text for column in block.columns for cell in column.cells for text in texts_of(cell)
        ]
    return []


def plain_text(block: RenderableType) -> str:
    return "\n".join(text.plain for text in texts_of(block))


def _stylize(text: Text, spans: Iterable[Span], style: Style, offset: Callable[[int], int]) -> None:
    for span in spans:
        text.stylize(style, offset(span.start), offset(span.end))
