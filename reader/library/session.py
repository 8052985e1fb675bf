"""Where the user left off: saved in the library when the reader quits, restored on start.

The session is what the UI needs to reopen where it was (by identity, not by index): the
article's key (keys.py), how far its text was scrolled, the focused pane's id, the source
shown, the filter text of each list, and whether the English was on. It is stored as one JSON
object (with a version) under the name "session" in the library's settings table.

load_session() never raises and never fails the start: no session saved, or one that cannot
be read (malformed, from a newer nieuwslezer, the library unreadable) is a fresh start, and
the second says why (`problem`) so that the UI can tell the user.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reader.library.state import Library, LibraryError

SESSION = "session"  # its name in the library's settings table
VERSION = 1  # of the JSON layout below; a newer one is not guessed at


@dataclass(frozen=True)
class Session:
    """What the reader restores on start (all optional: None or empty is "as on a fresh
    start"). `filters` maps a list's id to its filter text."""

    article: str | None = None  # the key of the article shown (keys.article_key/ticker_key)
    scroll_y: float = 0.0  # the reading pane's scroll offset
    pane: str | None = None  # the id of the focused pane
    source: str | None = None  # the source shown (as the UI names it), None: all
    filters: Mapping[str, str] = field(default_factory=dict)
    english: bool = False  # the English translation shown


@dataclass(frozen=True)
class LoadedSession:
    """What load_session found: the session (None: start fresh) and, when one was saved but
    could not be used, why (for a notification)."""

    session: Session | None
    problem: str | None = None


def save_session(library: Library, session: Session) -> None:
    """Save `session`, replacing the one saved before; LibraryError if it cannot be."""
    data = {
        "version": VERSION,
        "article": session.article,
        "scroll_y": session.scroll_y if math.isfinite(session.scroll_y) else 0.0,
        "pane": session.pane,
        "source": session.source,
        "filters": dict(session.filters),
        "english": session.english,
    }
    # ASCII JSON: a lone surrogate (a file name that is not UTF-8, in the source or a
    # filter) is written as \udcXX, which SQLite can hold and json.loads reads back as it was.
    library.set_value(SESSION, json.dumps(data, ensure_ascii=True, allow_nan=False))


def clear_session(library: Library) -> None:
    """Forget the saved session (the next start is fresh); LibraryError if it cannot be."""
    library.set_value(SESSION, None)


def load_session(library: Library) -> LoadedSession:
    """The session saved last; never raises (see the module's docstring)."""
    try:
        text = library.value(SESSION)
    except LibraryError as error:
        return LoadedSession(None, f"the last session could not be read: {error}")
    if text is None:
        return LoadedSession(None)
    try:
        return LoadedSession(_session(json.loads(text)))
    except (ValueError, TypeError, KeyError, OverflowError) as error:
        return LoadedSession(None, f"the last session could not be read ({error}); starting afresh")


def _session(data: Any) -> Session:
    """A session from its JSON, checked field by field: ValueError/TypeError if wrong."""
    if not isinstance(data, dict):
        raise TypeError("not a JSON object")
    version = data.get("version")
    if version != VERSION:
        raise ValueError(f"layout version {version!r}, this nieuwslezer knows {VERSION}")
    scroll = data.get("scroll_y", 0.0)
    if isinstance(scroll, bool) or not isinstance(scroll, int | float) or not math.isfinite(scroll):
        raise TypeError(f"scroll_y is {scroll!r}, not a number")
    filters = data.get("filters", {})
    if not isinstance(filters, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in filters.items()
    ):
        raise TypeError("filters is not a map of texts")
    english = data.get("english", False)
    if not isinstance(english, bool):
        raise TypeError(f"english is {english!r}, not true or false")
    return Session(
        _text_or_none(data, "article"),
        max(0.0, float(scroll)),
        _text_or_none(data, "pane"),
        _text_or_none(data, "source"),
        filters,
        english,
    )


def _text_or_none(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} is {value!r}, not a text")
    return value
