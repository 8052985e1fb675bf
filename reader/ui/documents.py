"""What the reading pane shows of an article or a ticker item, as blocks of styled text:
numbers and sources marked, the English beside or under the Dutch."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text

from reader.agencies import agency_name
from reader.model import Article, CorpusTickerItem, Dateline, Link, ParagraphKind, Span
from reader.present import (
    age_since,
    dating_note,
    display_path,
    long_age,
    published_text,
    where_from,
)
from reader.text import make_visible
from reader.translate.languages import language_name
from reader.translate.result import NotDutch, Translated, TranslationResult
from reader.ui.wrapping import Block

if TYPE_CHECKING:
    from reader.highlight import Annotation

# A page of many megabytes would take seconds to lay out; the rest is in `export`.
MAX_PARAGRAPHS_SHOWN = 1000


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

    def _marked_text(self, raw: str, base: Style | None = None) -> Text:
        """Untrusted text made visible, with its numbers and sources styled by span."""
        shown = make_visible(raw)
        text = Text(shown, style=base or "")
        if self.highlighting and self._annotate is not None and shown == raw:
            annotation = self._annotate(raw)  # spans index the raw text
            self._stylize(text, annotation.sources, "source")
            self._stylize(text, annotation.numbers, "number")
        return text

    def _stylize(self, text: Text, spans: Iterable[Span], kind: str) -> None:
        style = self._style(kind)
        for span in spans:
            text.stylize(style, span.start, span.end)

    def _dateline(self, dateline: Dateline) -> Text:
        """ "KYIV · ANP, Reuters, AFP": the agencies are sources, marked as such."""
        text = Text(make_visible(dateline.place) + " · ", style=self._style("dateline"))
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
            return Text(make_visible(result.text), self._style("english"))
        if isinstance(result, NotDutch):
            language = language_name(result.language)
            return Text(f"({language}, not translated)", self._style("pending"))
        return Text(f"⚠ not translated: {result.reason} (T retries)", self._style("failed"))

    def _with_english(self, dutch: Text, raw: str) -> RenderableType:
        """A Dutch block with its English: side by side (rows aligned) or the English below."""
        english = self._english(raw)
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
        title = article.title or "(no title)"
        headline = self._marked_text(title, self._style("title"))
        header = Text()  # the lines about the article, in styles of their own
        if article.dateline is not None:
            header.append_text(self._dateline(article.dateline))
            header.append("\n")
        if article.source is not None:
            header.append(make_visible(article.source), self._style("source"))
            when = published_text(article.published)
            if article.published is not None:
                when += f" ({age_shown(article)})"
            when += dating_note(article)
            header.append(f" · {when}", self._style("dateline"))
            header.append("\n")
        header.append(make_visible(where_from(article)), self._style("meta"))
        # The English headline under the Dutch one (or beside it), before the lines about it.
        blocks: list[Block] = [(self._with_english(headline, title), None), (header, None)]
        paragraphs = article.paragraphs[:MAX_PARAGRAPHS_SHOWN]
        for index, paragraph in enumerate(paragraphs):
            blocks.append((Text(""), None))
            if paragraph.kind is ParagraphKind.SUBHEADING:
                blocks.append(
                    (Text(make_visible(paragraph.text), self._style("subheading")), index)
                )
            else:
                base = self._style("lead") if paragraph.kind is ParagraphKind.LEAD else None
                dutch = self._marked_text(paragraph.text, base)
                blocks.append((self._with_english(dutch, paragraph.text), index))
        if article.link and not article.paragraphs:
            note = "The feed gives no text for this article; o opens it."
            blocks += [(Text(""), None), (Text(note, self._style("meta")), None)]
        if article.cut:
            note = "… the feed gives only this summary; o opens the full article."
            blocks += [(Text(""), None), (Text(note, self._style("meta")), None)]
        links = [link for paragraph in paragraphs for link in paragraph.links]
        if links:
            blocks += [(Text(""), None), (self._links(links), None)]
        hidden = len(article.paragraphs) - len(paragraphs)
        if hidden:
            note = (
                f"… {hidden:,} more paragraphs not shown here: the page is unusually large "
                "(nieuwslezer export writes all of it)."
            )
            blocks += [(Text(""), None), (Text(note, self._style("meta")), None)]
        return blocks

    def _links(self, links: list[Link]) -> Text:
        """The article's links, listed as text: the reader copies an address, nothing opens."""
        text = Text("Links", self._style("label"))
        for link in dict.fromkeys(links):
            text.append(f"\n• {make_visible(link.text)}: ", self._style("meta"))
            text.append(make_visible(link.href), self._style("meta"))
        return text

    def ticker_blocks(self, item: CorpusTickerItem) -> list[Block]:
        """The blocks of a ticker item: its section and age, dateline, text, where it was seen."""
        section = f"Meer uit {item.section}" if item.section else "Ticker"
        header = Text()  # each part in its own style: the age is not bold as the label is
        header.append(make_visible(section), self._style("label"))
        header.append(f"  {long_age(item.age)}", self._style("meta"))
        if item.dateline is not None:
            header.append("\n")
            header.append_text(self._dateline(item.dateline))
        seen = "; ".join(
            f"{display_path(s.file)}, line {s.line} ({long_age(s.age)})" for s in item.sightings
        )
        label = "Seen in" if len(item.sightings) > 1 else "From"
        return [
            (header, None),
            (Text(""), None),
            (self._with_english(self._marked_text(item.text, self._style("lead")), item.text), 0),
            (Text(""), None),
            (Text(make_visible(f"{label}: {seen}"), self._style("meta")), None),
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
    if isinstance(block, Group):
        return [text for part in block.renderables for text in texts_of(part)]
    if isinstance(block, Padding):
        return texts_of(block.renderable)
    if isinstance(block, Table):
        return [cell for column in block.columns for cell in column.cells if isinstance(cell, Text)]
    return []


def plain_text(block: RenderableType) -> str:
    return "\n".join(text.plain for text in texts_of(block))
