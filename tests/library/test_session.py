"""The session: saved and restored by identity; a missing or malformed one is a fresh start."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.library.session import (
    SESSION,
    LoadedSession,
    Session,
    clear_session,
    load_session,
    save_session,
)
from reader.library.state import Library

SAVED = Session(
    article="page:/home/u/nieuws/kabinet.txt:0123456789abcdef",
    scroll_y=12.0,
    pane="reader",
    source="https://feeds.nos.nl/nosnieuwsalgemeen",
    filters={"articles": "stikstof", "ticker": "Oekraïne"},
    english=True,
)


def test_a_session_saved_is_the_one_loaded_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite"
    with Library.open(path) as library:
        assert load_session(library) == LoadedSession(None), "nothing saved: a fresh start"
        save_session(library, Session(article="feed:old"))
        save_session(library, SAVED)
    with Library.open(path) as library:
        assert load_session(library) == LoadedSession(SAVED)
        clear_session(library)
        assert load_session(library) == LoadedSession(None)


@pytest.mark.parametrize(
    "stored",
    [
        "{not json",
        "[1, 2]",
        '{"version": 2, "article": "feed:a"}',
        '{"version": 1, "article": 42}',
        '{"version": 1, "scroll_y": "ver"}',
        '{"version": 1, "scroll_y": true}',
        '{"version": 1, "scroll_y": 1' + "0" * 400 + "}",  # no float holds it
        '{"version": 1, "filters": {"articles": 3}}',
        '{"version": 1, "filters": ["stikstof"]}',
        '{"version": 1, "english": "ja"}',
        "",
    ],
)
def test_a_malformed_session_is_a_fresh_start_with_a_reason(stored: str) -> None:
    with Library.in_memory() as library:
        library.set_value(SESSION, stored)
        loaded = load_session(library)
    assert loaded.session is None
    assert loaded.problem is not None and "the last session could not be read" in loaded.problem


def test_an_unreadable_library_is_a_fresh_start_with_a_reason() -> None:
    library = Library.in_memory()
    library.close()
    loaded = load_session(library)
    assert loaded.session is None and loaded.problem is not None


def test_missing_fields_take_their_fresh_values() -> None:
    with Library.in_memory() as library:
        library.set_value(SESSION, '{"version": 1, "article": "feed:a", "scroll_y": -3}')
        assert load_session(library) == LoadedSession(Session(article="feed:a"))


def test_a_session_of_a_page_whose_name_is_not_utf8_is_saved(tmp_path: Path) -> None:
    """Review finding 1: save_session raised a raw UnicodeEncodeError for a session whose
    page, source or filter held a file name that is not UTF-8 (a lone surrogate)."""
    from reader.library.keys import article_key
    from reader.model import Article

    name = str(tmp_path / os.fsdecode(b"caf\xe9.txt"))
    session = Session(
        article=article_key(Article("Titel", name, 1, ())),
        source=name,
        filters={"articles": os.fsdecode(b"caf\xe9")},
    )
    path = tmp_path / "library.sqlite"
    with Library.open(path) as library:
        save_session(library, session)
    with Library.open(path) as library:
        assert load_session(library) == LoadedSession(session)
