"""One-line rows for the article and ticker lists."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from rich.text import Text

from reader.feeds.feed_row import FeedRow
from reader.model import Article, CorpusTickerItem, Diagnostic, ParagraphKind
from reader.present import age_since, agency_names, display_path, short_age
from reader.text import make_visible
from reader.ui.documents import shown_part

_PLACE_WIDTH = 12
_TICKER_AGE_WIDTH = 5  # "21m", "5h", and a clock time as written ("12:45")
_SOURCE_WIDTH = 14
_WIDE_ROW = 64
_FILE_WIDTH = 26  # from this width on, an article row also names the agencies
# The most of a text a row takes before cutting it to its width: a row is never this wide, and
# a headline of megabytes took ~30 ms a row (a ticker item of 14 MB, half a second).
_ROW_CHARACTERS = 1000


def paragraph_count(article: Article) -> int:
    """Its paragraphs that are no subheadings; a light row's (a stored feed article's,
    without its text) as the store counted them."""
    if isinstance(article, FeedRow):
        return article.paragraph_count
    return sum(p.kind is not ParagraphKind.SUBHEADING for p in article.paragraphs)


def article_row(article: Article, width: int) -> Text:
    """Title, then place (and agencies, when there is room) and the paragraph count; a feed
    article shows its age before the title and its source instead of the place."""
    dateline = article.dateline
    meta = f"{paragraph_count(article)}¶"
    if article.source is not None:
        # "NOS Nieuws - Algemeen" leaves the title its room: cut, and alone on a narrow row.
        room_for_source = _SOURCE_WIDTH if width >= _WIDE_ROW else _SOURCE_WIDTH // 2
        source = article.source
        if len(source) > room_for_source:
            source = source[: room_for_source - 1] + "…"
        meta = f"{source} · {meta}" if width >= _WIDE_ROW else source
    elif dateline is not None:
        where = dateline.place.title()
        if width >= _WIDE_ROW:
            where = f"{where} · {agency_names(dateline)}"
        meta = f"{where} · {meta}"
    meta = make_visible(meta[:_ROW_CHARACTERS])
    # A file name is untrusted too: shown when the page has no title.
    title = make_visible(article.title[:_ROW_CHARACTERS] or display_path(article.file))
    room = max(width - cell_len(meta) - 2, width // 2)
    row = Text(no_wrap=True)
    if article.source is not None:  # a feed article: its age first, as in the ticker
        row.append(f"{short_age(age_since(article.published)):>4} ", style="dim")
    row.append(title)
    row.truncate(room, overflow="ellipsis")
    row.pad_right(max(width - row.cell_len - cell_len(meta), 1))
    row.append(meta, style="dim")
    return row


def article_search_text(article: Article) -> str:
    """What an article's row shows, uncut (as far as the reading pane shows it), for the
    list's filter: title, source (a feed article's), place and agencies. Not a feed article's
    age: it moves on while the list keeps its search texts, and working it out for 100,000
    rows slowed the first key."""
    dateline = article.dateline
    return " ".join(
        (
            shown_part(article.title) or display_path(article.file),
            article.source or "",
            dateline.place if dateline else "",
            agency_names(dateline),
        )
    )


def ticker_search_text(item: CorpusTickerItem) -> str:
    """What a ticker row shows, uncut, for the list's filter: age, place (and its agencies)
    and text."""
    parts = [_ticker_age(item)]
    if item.dateline is not None:
        parts += [item.dateline.place, agency_names(item.dateline)]
    return " ".join([*parts, shown_part(item.text)])


def _ticker_age(item: CorpusTickerItem) -> str:
    """A ticker row's age column; "cut" for a cut-off fragment, whose page ended before its age."""
    return "cut" if item.cut else short_age(item.age)


def ticker_row(item: CorpusTickerItem, width: int) -> Text:
    """Age, place and the item's first words."""
    place = make_visible(item.dateline.place[:_PLACE_WIDTH]) if item.dateline else "—"
    row = Text(no_wrap=True, overflow="ellipsis")
    row.append(f"{_ticker_age(item):>{_TICKER_AGE_WIDTH}} ", style="dim")
    row.append(f"{place[:_PLACE_WIDTH]:<{_PLACE_WIDTH}} ", style="bold")
    row.append(make_visible(item.text[:_ROW_CHARACTERS]))
    return row


def diagnostic_row(diagnostic: Diagnostic, width: int) -> Text:
    """Severity, file and line, message."""
    where = Path(diagnostic.file).name + (f":{diagnostic.line}" if diagnostic.line else "")
    row = Text(no_wrap=True, overflow="ellipsis")
    row.append(f"{diagnostic.severity.value:<8}", style="bold")
    where = make_visible(where)
    if len(where) > _FILE_WIDTH:
        where = "…" + where[-_FILE_WIDTH + 1 :]
    row.append(where, style="underline")
    message = make_visible(diagnostic.message[:_ROW_CHARACTERS])
    row.append(" " * (_FILE_WIDTH + 2 - len(where)) + message)
    return row
