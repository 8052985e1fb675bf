"""One page's text -> Page: a pure function, no I/O.

The page format is described in the project docs (seed-format.md). The parser is exact on the
regular shape and forgiving on everything else: a line it cannot place is kept (as a paragraph
or a ticker item without dateline) with a diagnostic, never dropped. A page that ends inside a
paragraph or a ticker item (a scraper cut it short) keeps the fragment, marked as cut off.
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import itemgetter

from reader.model import (
    Age,
    Article,
    Dateline,
    Diagnostic,
    Page,
    Paragraph,
    ParagraphKind,
    Severity,
    TickerItem,
)
from reader.text import CONTROL_CHARACTERS, ends_as_sentence, may_hold_control_characters

_SEPARATOR_START = "Meer uit "  # looked for first: a string test is cheaper than the pattern
SEPARATOR = re.compile(re.escape(_SEPARATOR_START) + r"(?P<section>\S.*)")

# `PLACE (AGENCY/AGENCY) - text`, with a hyphen, an en dash or an em dash as publishers set
# it; the place's case is checked separately, so that accented capitals (GENÈVE) need no
# character class of their own.
_DATELINE = re.compile(
    r"(?P<place>[^()\s][^()]{0,39}?)"
    r" \((?P<agencies>[A-Za-z][\w.&-]{0,15}(?:/[A-Za-z][\w.&-]{0,15})*)\) [-\u2013\u2014] "
)

_AGE_UNIT_MINUTES = {
    "minuut": 1,
    "minuten": 1,
    "uur": 60,
    "dag": 1440,
    "dagen": 1440,
    "week": 10080,
    "weken": 10080,
}
_AGE_DAY_WORDS = {"gisteren": 1440, "eergisteren": 2880}
_AGE = re.compile(
    r"(?P<count>\d{1,4}) (?P<unit>minuut|minuten|uur|dagen|dag|weken|week) geleden"
    r"|(?P<day>eergisteren|gisteren)"
    r"|(?P<clock>[0-2]?\d[:.][0-5]\d)",
    re.IGNORECASE,
)
_AGE_MATCH = _AGE.match
_second = itemgetter(1)

# A subheading is a short line that does not read as a sentence.
_SUBHEADING_MAX_CHARS = 60
_SUBHEADING_MAX_WORDS = 8
_SUBHEADING, _BODY = ParagraphKind.SUBHEADING, ParagraphKind.BODY
_SENTENCE_END = tuple(".!?:;,\"'\u201d\u2019\u2026)")  # closing quotes and ellipsis too

CUT_TICKER_ITEM = "cut off: the page ends inside this ticker item"
CUT_PARAGRAPH = "cut off: the page ends inside this paragraph"
NO_SEPARATOR = "no 'Meer uit ...' separator: an article without ticker"


def parse_dateline(line: str) -> tuple[Dateline, str] | None:
    """Split `PLACE (AGENCIES) - text` into its dateline and text, or None if it is not one."""
    # The place is at most 40 characters, without brackets: a line whose first bracket comes
    # later (most titles and body lines) is told without the pattern, in a tenth of the time.
    if line.find("(", 0, _LATEST_BRACKET) == -1:
        return None
    # Neither place nor agencies hold a ")": a dateline ends with the line's first ")" and
    # the " - " after it. A corpus repeats a few hundred datelines: each such prefix is read
    # once, and its Dateline (frozen) shared; a long one (a hostile run of agencies) is read
    # by the pattern each time, and not kept.
    end = line.find(")") + len(") - ")
    if end < len(") - "):  # no ")" at all
        return None
    if end <= _CACHED_DATELINE_CHARS:
        dateline = _known_dateline(line[:end])
    else:
        match = _DATELINE.match(line)
        if match is None:
            return None
        end = match.end()
        dateline = _dateline_of(line[:end])
    return None if dateline is None else (dateline, line[end:])


_CACHED_DATELINE_CHARS = 100
_LATEST_BRACKET = 42  # one past where the "(" after the longest place can be


@lru_cache(maxsize=1024)
def _known_dateline(prefix: str) -> Dateline | None:
    return _dateline_of(prefix)


def _dateline_of(prefix: str) -> Dateline | None:
    """The Dateline that `prefix` is, `PLACE (AGENCIES) - ` with its place in capitals, if
    it is one."""
    match = _DATELINE.fullmatch(prefix)
    if match is None:
        return None
    place = match["place"]
    if not place.isupper() or place != place.strip():
        return None
    return Dateline(place, tuple(match["agencies"].split("/")))


def parse_age(text: str) -> Age | None:
    """Read a whole string as an age ("21 minuten geleden", "gisteren", "14:05")."""
    match = _AGE.fullmatch(text)
    return _age_from_match(match) if match else None


def _age_from_match(match: re.Match[str]) -> Age:
    return _age_of(match[0])


@lru_cache(maxsize=1024)
def _age_of(text: str) -> Age:
    """The Age of a text that _AGE matched whole (at most 25 characters or so); cached: a
    corpus repeats a few dozen ages."""
    match = _AGE.fullmatch(text)
    assert match is not None
    if match["count"]:
        return Age(text, int(match["count"]) * _AGE_UNIT_MINUTES[match["unit"].lower()])
    if match["day"]:
        return Age(text, _AGE_DAY_WORDS[match["day"].lower()])
    return Age(text, None)  # a clock time: minutes ago unknown, since no file carries a date


def _is_subheading(line: str) -> bool:
    return (
        len(line) <= _SUBHEADING_MAX_CHARS
        and len(line.split()) <= _SUBHEADING_MAX_WORDS
        and not line.endswith(_SENTENCE_END)
        and line[0].isupper()
        and parse_dateline(line) is None
    )


def _separator(content: list[tuple[int, str]]) -> tuple[int, str] | None:
    """Where the first line `Meer uit SECTION` is among the page's lines, and its section, if
    anywhere. (Asking the page's text first whether it holds "Meer uit " at all took most of
    the time of looking at each line.)"""
    for index, (_, line) in enumerate(content):
        if line.startswith(_SEPARATOR_START):
            match = SEPARATOR.fullmatch(line)
            if match is not None:
                return index, match["section"]
    return None


class _PageParser:
    def __init__(self, file: str) -> None:
        self.file = file
        self.diagnostics: list[Diagnostic] = []

    def warn(self, line: int, message: str, severity: Severity = Severity.WARNING) -> None:
        self.diagnostics.append(Diagnostic(self.file, line, message, severity))

    def parse(self, text: str) -> Page:
        # (number, line) of each line that is not blank: iterated in C, with no loop in Python
        lines = enumerate(map(str.strip, text.split("\n")), 1)
        content: list[tuple[int, str]] = list(filter(_second, lines))
        if may_hold_control_characters(text):  # most pages hold none: asked once of all
            for number, line in content:
                if not line.isprintable() and CONTROL_CHARACTERS.search(line):
                    self.warn(number, "contains control characters (shown escaped)", Severity.INFO)
        if not content:
            self.warn(0, "empty file: no title, no paragraphs, no ticker", Severity.WARNING)
            return Page(self.file, None, None, None, (), tuple(self.diagnostics))

        separator = _separator(content)
        if separator is None:
            separator_index: int | None = None
            article_lines, ticker_lines = content, []
            section, section_line = None, None
        else:
            separator_index, section = separator
            article_lines = content[:separator_index]
            ticker_lines = content[separator_index + 1 :]
            section_line = content[separator_index][0]

        ends_page, said_so_far = separator_index is None, len(self.diagnostics)
        article = self.parse_article(article_lines, ends_page) if article_lines else None
        if ends_page and not (article and article.cut):
            # Not said of a page cut off in its article: it may well have had a ticker.
            no_separator = Diagnostic(self.file, 0, NO_SEPARATOR, Severity.INFO)
            self.diagnostics.insert(said_so_far, no_separator)
        if article is None and separator_index is not None:
            self.warn(
                section_line or 0, "no article before the separator: ticker only", Severity.INFO
            )
        ticker = self.parse_ticker(ticker_lines)
        return Page(self.file, article, section, section_line, ticker, tuple(self.diagnostics))

    def parse_article(self, lines: list[tuple[int, str]], ends_page: bool) -> Article:
        """The article of `lines`; when they end the page and their last line does not end as
        a sentence, the page was cut off inside that paragraph (the article is marked `cut`)."""
        (title_line, title), body = lines[0], lines[1:]
        if parse_dateline(title):
            # The headline is missing: the first line is already the lead.
            self.warn(title_line, "no title: the first line opens with a dateline")
            title, body = "", lines
        cut = ends_page and bool(body) and not ends_as_sentence(body[-1][1])
        if not body:
            self.warn(title_line, "the article has a title but no paragraphs")
            return Article(title, self.file, title_line, (), cut=cut)
        file = self.file
        (lead_line, lead), *rest = body
        paragraphs = [self.parse_lead(lead_line, lead, is_cut=cut and not rest)]
        # The last line of a cut page is a fragment: a body paragraph, heading nothing.
        whole, fragment = (rest[:-1], rest[-1:]) if cut else (rest, [])
        paragraphs += [
            Paragraph(
                # the length asked first: most lines are too long to be a subheading
                _SUBHEADING
                if len(line) <= _SUBHEADING_MAX_CHARS and _is_subheading(line)
                else _BODY,
                line,
                file,
                number,
            )
            for number, line in whole
        ]
        paragraphs += [Paragraph(_BODY, line, file, number) for number, line in fragment]
        if cut:
            self.warn(body[-1][0], CUT_PARAGRAPH)
        return Article(title, file, title_line, tuple(paragraphs), cut=cut)

    def parse_lead(self, number: int, line: str, is_cut: bool) -> Paragraph:
        parsed = parse_dateline(line)
        if parsed is None:
            if not is_cut:  # else the page ends inside the dateline: said once, as cut off
                self.warn(number, "the lead has no dateline 'PLACE (AGENCY) - '")
            return Paragraph(ParagraphKind.LEAD, line, self.file, number)
        dateline, text = parsed
        return Paragraph(ParagraphKind.LEAD, text, self.file, number, dateline)

    def parse_ticker(self, lines: list[tuple[int, str]]) -> tuple[TickerItem, ...]:
        file = self.file
        items: list[TickerItem] = []
        # The last item read, while its age (on the next line) is not: dateline, text, line.
        waiting: tuple[Dateline | None, str, int] | None = None
        last_line = lines[-1][0] if lines else 0
        for number, line in lines:
            # The age glued to the line's start, if any: it counts when what follows it is
            # nothing or a dateline. After an item still waiting for its age it counts
            # whatever follows (the page may be cut inside the next dateline: "33 minuten
            # geledenDEN H"), except that a clock time or a day word must be glued to a
            # capital, as a place is: "12.000 mensen", "gisterenavond" are text, not ages.
            match = _AGE_MATCH(line)
            age, rest = None, line
            if match is not None:
                rest = line[match.end() :]
                glued = waiting is not None and bool(match["count"] or rest[:1].isupper())
                if not rest or glued or parse_dateline(rest) is not None:
                    age = _age_of(match[0])
                else:
                    rest = line
            if age is not None:
                if waiting is not None:
                    dateline, text, item_line = waiting
                    items.append(TickerItem(dateline, text, file, item_line, age, number))
                    waiting = None
                else:
                    self.warn(number, f"age '{age.text}' follows no ticker item; kept as text")
                    items.append(TickerItem(None, age.text, file, number))
            if not rest:
                continue
            if waiting is not None:
                items.append(self.without_age(*waiting))
                waiting = None
            parsed = parse_dateline(rest)
            if number == last_line and (parsed is None or not ends_as_sentence(parsed[1])):
                # The page stops in this item (its dateline or its text), before its age.
                self.warn(number, CUT_TICKER_ITEM)
                dateline, text = parsed if parsed else (None, rest)
                items.append(TickerItem(dateline, text, file, number, cut=True))
                return tuple(items)
            if parsed is None:
                self.warn(number, "ticker line without dateline 'PLACE (AGENCY) - '; kept as text")
                waiting = (None, rest, number)
            else:
                waiting = (parsed[0], parsed[1], number)
        if waiting is not None:
            items.append(self.without_age(*waiting))
        return tuple(items)

    def without_age(self, dateline: Dateline | None, text: str, line: int) -> TickerItem:
        """An item whose next line brought no age: kept, and said so."""
        self.warn(line, "ticker item has no age")
        return TickerItem(dateline, text, self.file, line)


def parse_page(text: str, file: str = "<text>") -> Page:
    """Parse the text of one page file. Never raises on any text."""
    return _PageParser(file).parse(text)
