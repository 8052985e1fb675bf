"""What the library shows in the lists: the marks before a row and the starred view's items
(the question before marking many items read is reader/ui/screens.py's ConfirmScreen). Plain
helpers for LibraryMixin
(reader/ui/library.py), which holds the state."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from rich.text import Text

from reader.model import Article, Paragraph, ParagraphKind
from reader.present import display_path

if TYPE_CHECKING:
    from reader.library.state import Starred

MARK_ALL_CONFIRM = 20  # M asks first when it would mark more than this many
UNREAD_MARK = "●"
NEW_MARK = "✦"
STAR_MARK = "★"
MARK_WIDTH = 3  # "●✦ ": unread, then starred or new, then a space


class RowState(NamedTuple):
    """What the marks before a row say."""

    unread: bool
    new: bool
    starred: bool


def marked_row(
    render: Callable[[Any, int], Text],
    state_of: Callable[[Any], RowState | None],
    item: Any,
    width: int,
) -> Text:
    """The row `render` makes, after its marks: "●" unread (and the row bold), then "★"
    starred or else "✦" new; blank while the library is not open."""
    state = state_of(item)
    row = Text(no_wrap=True)
    if state is None:
        row.append(" " * MARK_WIDTH)
    else:
        row.append(UNREAD_MARK if state.unread else " ", style="bold")
        second = STAR_MARK if state.starred else NEW_MARK if state.new else " "
        row.append(second + " ", style="bold")
    rest = render(item, max(width - MARK_WIDTH, 1))
    if state is not None and state.unread:
        rest.stylize("bold")
    row.append_text(rest)
    return row


def not_loaded(entry: Starred) -> Article:
    """An article that stands for a starred one not loaded in this run: it says so."""
    where = display_path(entry.file) if entry.guid is None else entry.file
    if entry.guid is None:
        why = f"This page is not loaded: {where}. Open nieuwslezer on its folder to read it."
    else:
        why = f"This feed article is no longer stored. Its page: {entry.link or where}"
    paragraph = Paragraph(ParagraphKind.BODY, why, entry.file, 0)
    return Article(
        entry.title, entry.file, 0, (paragraph,), source=entry.source, link=entry.link,
        published=entry.published, feed=entry.feed,
    )  # fmt: skip


def starred_items(
    entries: Sequence[Starred],
    feed_articles: Sequence[Article],
    pages: Sequence[Article],
    key_of: Callable[[Any], str],
    stored: Callable[[str], Article | None],
) -> tuple[list[Article], list[str]]:
    """The starred view's items, latest starred first, and their keys: a feed article as
    listed (else from the store, by `stored`), a page as loaded; else one that says it is
    not loaded."""
    guids = {entry.guid for entry in entries if entry.guid is not None}
    by_guid = {a.guid: a for a in feed_articles if a.guid in guids}
    files = {entry.file for entry in entries if entry.guid is None}
    from reader.library.keys import page_path  # as Starred.of names a page's file

    by_key = {key_of(a): a for a in pages if page_path(a.file) in files}
    items: list[Article] = []
    for entry in entries:
        if entry.guid is not None:
            found = by_guid.get(entry.guid) or stored(entry.guid)
        else:
            found = by_key.get(entry.key)
        items.append(found if found is not None else not_loaded(entry))
    return items, [entry.key for entry in entries]
