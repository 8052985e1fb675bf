"""The Library: read marks, stars, first-seen times, runs, undo; each kept across a reopen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reader.library import state
from reader.library.state import Library, LibraryError, Starred
from reader.model import Article

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "library.sqlite"


@pytest.fixture
def library(path: Path) -> Iterator[Library]:
    with Library.open(path) as opened:
        assert opened.problem is None and opened.kept
        yield opened


def feed_article(guid: str, title: str = "Kabinet valt") -> Article:
    return Article(
        title,
        f"https://nos.nl/{guid}",
        0,
        (),
        source="NOS Nieuws",
        link=f"https://nos.nl/{guid}",
        published=T0,
        guid=guid,
        feed="https://feeds.nos.nl/nosnieuwsalgemeen",
    )


def test_a_new_library_is_made_in_its_folder(path: Path, library: Library) -> None:
    assert path.is_file()
    assert library.read_keys() == frozenset() and library.starred() == []


def test_read_marks_are_set_toggled_and_kept_across_a_reopen(path: Path) -> None:
    with Library.open(path) as library:
        library.set_read("feed:a")
        assert library.is_read("feed:a") and not library.is_read("feed:b")
        assert library.toggle_read("feed:b") is True
        assert library.toggle_read("feed:a") is False
        assert library.read_keys() == {"feed:b"}
        library.set_read("feed:c", read=False)  # never seen: nothing to unmark
        assert library.read_keys() == {"feed:b"}
    with Library.open(path) as again:
        assert again.read_keys() == {"feed:b"}
        assert again.first_seen("feed:b") is not None, "marking read counts as seeing"


def test_read_keys_is_the_same_object_until_a_mark_changes(library: Library) -> None:
    library.mark_read([f"k{n}" for n in range(10)])
    first = library.read_keys()
    assert library.read_keys() is first
    library.set_read("k10")
    assert library.read_keys() == first | {"k10"}
    assert "k10" not in first, "a snapshot the UI holds does not change under it"


def test_first_seen_is_recorded_once(library: Library) -> None:
    assert library.see(["a", "b", "a"], now=T0) == 2
    assert library.see(["a", "b"], now=T0 + timedelta(hours=1)) == 0, "known: not looked up"
    library.see(["b", "c"], now=T0 + timedelta(hours=2))
    assert library.first_seen("a") == T0
    assert library.first_seen("b") == T0
    assert library.first_seen("c") == T0 + timedelta(hours=2)
    assert library.first_seen("d") is None


def test_first_seen_is_kept_by_another_library_object(path: Path) -> None:
    with Library.open(path) as first:
        first.see(["a"], now=T0)
    with Library.open(path) as second:
        second.see(["a"], now=T0 + timedelta(days=1))
        assert second.first_seen("a") == T0


def test_new_is_first_seen_in_this_run_apart_from_unread(path: Path) -> None:
    with Library.open(path) as library:
        assert library.begin_run(now=T0) is None, "the first run"
        library.see(["old"], now=T0 + timedelta(minutes=1))
        assert library.new_keys() == set(), "the first run: no last time to be new since"
    with Library.open(path) as library:
        assert library.begin_run(now=T0 + timedelta(days=1)) == T0
        assert library.previous_run == T0
        library.see(["old", "fresh"], now=T0 + timedelta(days=1, minutes=1))
        library.set_read("fresh")
        assert library.new_keys() == {"fresh"}, "what the previous run listed is not new"
    with Library.open(path) as library:
        assert library.begin_run(now=T0 + timedelta(days=2)) == T0 + timedelta(days=1)
        library.see(["later"], now=T0 + timedelta(days=2, minutes=1))
        assert library.new_keys() == {"later"}, "new only in the run that first saw it"
        library.set_read("later")
        assert library.new_keys() == {"later"}, "a new item read stays new this run"


def test_mark_read_marks_what_is_listed_and_undo_brings_back_exactly_that(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state, "CHUNK", 3)  # several transactions
    library.set_read("k1")
    listed = [f"k{n}" for n in range(8)]
    assert library.can_undo() == 0 and library.undo() == 0
    assert library.mark_read([*listed, "k2"]) == 7, "k1 was read already"
    assert library.read_keys() == set(listed)
    assert library.can_undo() == 7
    assert library.undo() == 7
    assert library.read_keys() == {"k1"}, "the mark made before stays"
    assert library.undo() == 0, "undone once"
    assert library.mark_read(["k1"]) == 0


def test_only_the_last_mark_is_undone(path: Path) -> None:
    with Library.open(path) as library:
        library.mark_read(["a", "b"])
        library.mark_read(["c"])
    with Library.open(path) as library:  # undo survives a restart
        assert library.undo() == 1
        assert library.read_keys() == {"a", "b"}


def test_a_star_keeps_what_the_starred_view_lists(path: Path) -> None:
    article = feed_article("g1")
    with Library.open(path) as library:
        assert library.toggle_star(article, now=T0) is True
        page = Starred("page:/tmp/a.txt:0123456789abcdef", "Pagina", "/tmp/a.txt")
        stored = library.star(page, now=T0 + timedelta(minutes=1))
        assert stored.starred_at == T0 + timedelta(minutes=1)
    with Library.open(path) as library:
        assert library.starred_keys() == {"feed:g1", page.key}
        first, second = library.starred()
        assert first == Starred(
            page.key, "Pagina", "/tmp/a.txt", starred_at=T0 + timedelta(minutes=1)
        ), "the latest starred first"
        assert (second.key, second.title, second.source, second.link, second.published) == (
            "feed:g1",
            "Kabinet valt",
            "NOS Nieuws",
            "https://nos.nl/g1",
            T0,
        )
        assert (second.file, second.feed, second.guid) == (
            "https://nos.nl/g1",
            "https://feeds.nos.nl/nosnieuwsalgemeen",
            "g1",
        )
        assert library.starred_guids() == {"g1"}
        # Starred again: the details are brought up to date, the time kept.
        again = library.star(
            Starred.of(feed_article("g1", "Kabinet gevallen")), now=T0 + timedelta(1)
        )
        assert again.starred_at == T0 and library.starred()[1].title == "Kabinet gevallen"
        assert library.toggle_star(article) is False
        assert library.starred_keys() == {page.key} and library.starred_guids() == set()
        library.unstar(page.key)
        assert library.starred() == []


def test_a_starred_page_keeps_its_absolute_path(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    page = Article("Pagina", "nieuws.txt", 1, ())
    assert library.toggle_star(page)
    [starred] = library.starred()
    assert starred.file == str(tmp_path / "nieuws.txt") and starred.key.startswith("page:")
    assert starred.source is None and starred.guid is None


def test_values_are_stored_replaced_and_removed(library: Library) -> None:
    assert library.value("session") is None
    library.set_value("session", "één")
    library.set_value("session", "twee")
    assert library.value("session") == "twee"
    library.set_value("session", None)
    assert library.value("session") is None


def test_a_library_in_memory_works_and_keeps_nothing(tmp_path: Path) -> None:
    with Library.in_memory() as library:
        assert not library.kept and library.problem is None
        library.set_read("a")
        library.star(Starred("b", "B", "/b"))
        assert library.read_keys() == {"a"} and library.starred_keys() == {"b"}
    assert list(tmp_path.iterdir()) == []


def test_a_closed_library_says_so_as_a_library_error(library: Library) -> None:
    library.close()
    with pytest.raises(LibraryError, match=r"library .*saving a read mark failed"):
        library.set_read("a")


def test_threads_can_share_one_library(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    monkeypatch.setattr(state, "CHUNK", 50)
    failures: list[BaseException] = []

    def marking() -> None:
        try:
            library.mark_read([f"bulk:{n}" for n in range(2000)])
            library.see([f"seen:{n}" for n in range(2000)])
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)

    worker = threading.Thread(target=marking)
    worker.start()
    sizes = []
    while worker.is_alive():
        sizes.append(len(library.read_keys()))  # between chunks, never blocked for all
        library.set_read("ui:key")
    worker.join()
    assert failures == []
    assert sizes == sorted(sizes)
    assert library.read_keys() == {f"bulk:{n}" for n in range(2000)} | {"ui:key"}
    assert library.first_seen("seen:1999") is not None


def _page_with_non_utf8_name(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9.txt")
    (folder / name).write_text("Titel over stikstof\nDEN HAAG (ANP) - Het kabinet en stikstof.\n")
    return folder


def test_a_page_whose_file_name_is_not_utf8_is_seen_read_and_starred(
    tmp_path: Path, path: Path
) -> None:
    """Review finding 1: its key held a lone surrogate; SQLite refused it and the raw
    UnicodeEncodeError escaped Library.see / set_read / mark_read / star."""
    from reader.corpus import load_corpus
    from reader.library.keys import article_key

    corpus = load_corpus([_page_with_non_utf8_name(tmp_path)])
    [article] = corpus.articles
    key = article_key(article)
    with Library.open(path) as library:
        library.begin_run()
        assert library.see([key]) == 1 and library.first_seen(key) is not None
        library.set_read(key)
        assert library.mark_read([key, "feed:x"]) == 1
        assert library.toggle_star(article)
    with Library.open(path) as library:
        assert library.is_read(key) and library.starred_keys() == {key}
        [starred] = library.starred()
        assert os.fsencode(starred.file) == os.fsencode(os.path.realpath(article.file))


def test_a_value_sqlite_cannot_hold_is_a_library_error(library: Library) -> None:
    """Text with a lone surrogate, however it got there: a LibraryError, not a raw one."""
    for call in (
        lambda: library.set_read("page:/caf\udce9.txt:0"),
        lambda: library.see(["page:/caf\udce9.txt:0"]),
        lambda: library.mark_read(["page:/caf\udce9.txt:0"]),
        lambda: library.set_value("session", "caf\udce9"),
    ):
        with pytest.raises(LibraryError, match=r"library .* failed"):
            call()
    library.set_read("a")
    assert library.read_keys() == {"a"}, "the library goes on working"


def test_undo_is_of_this_run_only(path: Path) -> None:
    """Review finding 13: undo carried over between runs and processes: one reader's `u`
    undid the mark another reader (or the previous run) had made."""
    with Library.open(path) as earlier:
        earlier.begin_run(now=T0)
        earlier.mark_read(["old"])
    with Library.open(path) as one, Library.open(path) as other:
        one.begin_run(now=T0 + timedelta(1))
        other.begin_run(now=T0 + timedelta(1, 1))
        assert one.can_undo() == 0 and one.undo() == 0, "the previous run's mark stays"
        one.mark_read(["a"])
        other.mark_read(["b", "c"])
        assert one.can_undo() == 0 and one.undo() == 0, "the other reader's mark is not mine"
        assert one.read_keys() == {"old", "a", "b", "c"}
        assert other.can_undo() == 2 and other.undo() == 2
        assert one.read_keys() == {"old", "a"}
