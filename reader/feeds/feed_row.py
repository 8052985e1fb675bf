"""FeedRow: a stored feed article as the reader's list holds it, without its paragraphs.

A module of its own, importing only the model: the list's rows need it on the way to the
first frame, which should not wait for the store's modules (json, sqlite3).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from reader.model import Article

# Items are stored (and changed in place) as of when their refresh began: one that began
# this long before the store was last read (here or in another nieuwslezer) may have stored
# them after. Longer than any refresh takes, its time-outs included. Whoever reads what the
# store gained since a moment reads from this long before it.
STORE_LAG = timedelta(hours=1)


class FeedRow(Article):
    """A stored feed article as the reader's list holds it: all that its row and the list's
    filter show, and no paragraphs (`paragraphs` is empty). The article in full is read from
    the store by its guid when it is shown (FeedStore.articles_of). `changed` is when the
    store last stored or changed it: a row read again with the same `changed` is the same text.

    A value as Article is (reader.model.Value): equal and hashed by all of its fields, its own
    too, and `dataclasses.replace` keeps them."""

    __slots__ = ("changed", "paragraph_count")

    paragraph_count: int  # of the full article: its paragraphs that are no subheadings
    changed: float

    def __init__(
        self, *fields: Any, paragraph_count: int = 0, changed: float = 0.0, **named: Any
    ) -> None:
        """Article's fields as Article takes them, then the row's own (by name)."""
        super().__init__(*fields, **named)
        object.__setattr__(self, "paragraph_count", paragraph_count)
        object.__setattr__(self, "changed", changed)
