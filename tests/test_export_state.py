"""`export` carries what the library holds (issue #15): `read`, `starred` and `first_seen` on
each record, `--starred` and `--unread` select by them, and the library is only ever read.

Each test marks and stars through the Library API in the test's own data folder
(NIEUWSLEZER_DATA_DIR, set by conftest), then runs the export command as the CLI does.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import reader.export_state
import reader.library.keys
from reader.commands import export
from reader.corpus import load_corpus
from reader.feeds.items import Block, FeedItem
from reader.feeds.store import FeedStore
from reader.library import db
from reader.library.keys import article_key, ticker_key
from reader.library.state import Library, Starred
from reader.model import Article, ParagraphKind
from tests.conftest import SEEDS
from tests.library.test_library_file import UNUSABLE

BODY = ParagraphKind.BODY
SEEN = datetime(2026, 12, 1, 7, 30, 15, 250_000, tzinfo=UTC)
SEEN_ISO = "2026-12-01T07:30:15+00:00"  # UTC, to the second


def data_folder() -> Path:
    return Path(os.environ["NIEUWSLEZER_DATA_DIR"])


def library_path() -> Path:
    return data_folder() / "library.sqlite"


def exported(
    capsysbinary: pytest.CaptureFixture[bytes], *argv: str, code: int = 0
) -> tuple[list[dict[str, Any]], str]:
    """The records `nieuwslezer export ARGV` writes, and its stderr; the exit code checked."""
    assert export.run(list(argv)) == code
    out, err = capsysbinary.readouterr()
    return [json.loads(line) for line in out.splitlines()], err.decode("utf-8")


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    """The sample pages, copied where the test may edit them."""
    folder = tmp_path / "pages"
    shutil.copytree(SEEDS, folder)
    return folder


def titles(records: list[dict[str, Any]]) -> list[str]:
    return [r["title"] for r in records if r["type"] == "article"]


def mark_some(folder: Path) -> tuple[list[Article], list[str]]:
    """Every article and ticker item seen at SEEN but the last article; the first article
    and the first ticker item read; the second article starred. The articles, and the
    ticker items' keys."""
    corpus = load_corpus([folder])
    articles = list(corpus.articles)
    tickers = [ticker_key(item) for item in corpus.ticker]
    with Library.open() as library:
        library.begin_run(SEEN)
        library.see([article_key(a) for a in articles[:-1]] + tickers, SEEN)
        library.set_read(article_key(articles[0]))
        library.set_read(tickers[0])
        library.star(Starred.of(articles[1]))
    return articles, tickers


def test_each_record_says_whether_it_is_read_and_starred_and_when_first_seen(
    capsysbinary: pytest.CaptureFixture[bytes], pages: Path
) -> None:
    articles, _ = mark_some(pages)
    records, err = exported(capsysbinary, str(pages))
    assert err == ""
    states = [(r["read"], r["starred"], r["first_seen"]) for r in records]
    first, second, *middle, last = states[: len(articles)]
    assert first == (True, False, SEEN_ISO)
    assert second == (False, True, SEEN_ISO)
    assert middle == [(False, False, SEEN_ISO)] * (len(articles) - 3)
    assert last == (False, False, None), "never listed: no first-seen time"
    ticker = states[len(articles) :]
    assert ticker[0] == (True, False, SEEN_ISO)
    assert set(ticker[1:]) == {(False, False, SEEN_ISO)}
    assert list(records[0])[-4:] == ["read", "starred", "first_seen", "paragraphs"]
    assert list(records[-1])[-4:] == ["read", "starred", "first_seen", "sightings"]


def test_starred_and_unread_select_and_both_select_the_starred_unread(
    capsysbinary: pytest.CaptureFixture[bytes], pages: Path
) -> None:
    articles, _ = mark_some(pages)
    everything, _ = exported(capsysbinary, str(pages))
    starred, _ = exported(capsysbinary, "--starred", str(pages))
    assert starred == [everything[1]], "ticker items are never starred"
    unread, _ = exported(capsysbinary, str(pages), "--unread")
    assert unread == [r for r in everything if r["read"] is False]
    assert len(unread) == len(everything) - 2
    both, _ = exported(capsysbinary, "--unread", "--starred", str(pages))
    assert both == [everything[1]]
    with Library.open() as library:
        library.set_read(article_key(articles[1]))
    both, err = exported(capsysbinary, "--unread", "--starred", str(pages))
    assert both == [] and err == "", "nothing selected is no failure: it was read"


def test_without_a_library_nothing_is_read_or_starred_and_none_is_made(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    records, err = exported(capsysbinary, str(SEEDS))
    assert err == "" and len(records) == 37
    assert {(r["read"], r["starred"], r["first_seen"]) for r in records} == {(False, False, None)}
    assert exported(capsysbinary, "--unread", str(SEEDS))[0] == records
    assert exported(capsysbinary, "--starred", str(SEEDS))[0] == []
    assert not data_folder().exists(), "export creates no library (nor its folder)"


def test_an_edited_page_is_a_new_article_unread_and_unstarred(
    capsysbinary: pytest.CaptureFixture[bytes], pages: Path
) -> None:
    articles, _ = mark_some(pages)
    for article in articles[:2]:  # the read one and the starred one
        page = Path(article.file)
        text = page.read_text(encoding="utf-8")
        first_paragraph = article.paragraphs[0].text
        page.write_text(text.replace(first_paragraph, first_paragraph + " Bijgewerkt."))
    records, _ = exported(capsysbinary, str(pages))
    assert [(r["read"], r["starred"], r["first_seen"]) for r in records[:2]] == [
        (False, False, None),
        (False, False, None),
    ]
    assert exported(capsysbinary, "--starred", str(pages))[0] == []


def test_a_starred_page_is_exported_only_from_the_paths_given(
    capsysbinary: pytest.CaptureFixture[bytes], pages: Path
) -> None:
    articles, _ = mark_some(pages)
    other = Path(articles[2].file)
    starred, _ = exported(capsysbinary, "--starred", str(other))
    assert starred == [], "the starred page is not among the PATHs"
    starred, _ = exported(capsysbinary, "--starred", str(pages))
    assert titles(starred) == [articles[1].title]


def test_the_library_is_read_as_it_is_without_a_byte_or_file_changed(
    capsysbinary: pytest.CaptureFixture[bytes], pages: Path
) -> None:
    mark_some(pages)
    before = {path.name: path.read_bytes() for path in data_folder().iterdir()}
    assert list(before) == ["library.sqlite"]
    records, _ = exported(capsysbinary, str(pages))
    assert records[0]["read"] is True
    after = {path.name: path.read_bytes() for path in data_folder().iterdir()}
    assert after == before, "no -shm or -wal file left beside it either"


def test_marks_of_a_reader_still_running_are_exported(
    capsysbinary: pytest.CaptureFixture[bytes], pages: Path
) -> None:
    """A running reader's marks may be in the library's log, not yet in its main file."""
    articles, _ = mark_some(pages)
    with Library.open() as library:  # the reader, open
        library.set_read(article_key(articles[2]))
        assert Path(f"{library_path()}-wal").stat().st_size > 0
        records, err = exported(capsysbinary, "--unread", str(pages))
    assert err == ""
    assert articles[2].title not in titles(records)
    assert titles(records)[0] == articles[1].title


@pytest.mark.parametrize(("make", "said"), UNUSABLE)
def test_a_library_that_cannot_be_read_is_named_left_alone_and_its_state_null(
    capsysbinary: pytest.CaptureFixture[bytes],
    make: Callable[[Path], None],
    said: str,
) -> None:
    data_folder().mkdir(parents=True)
    make(library_path())
    before = {path.name: path.read_bytes() for path in data_folder().iterdir()}
    records, err = exported(capsysbinary, str(SEEDS))
    lines = err.splitlines()
    assert len(lines) == 1 and str(library_path()) in lines[0] and said in lines[0], err
    assert "Traceback" not in err
    assert len(records) == 37
    assert {(r["read"], r["starred"], r["first_seen"]) for r in records} == {(None, None, None)}
    assert lines[0].endswith("; read, starred and first_seen are written as null")
    # Review finding 6: nothing written and exit 0 said "none starred / none unread".
    for options in (["--starred"], ["--unread"], ["--starred", "--unread"]):
        selected, err = exported(capsysbinary, *options, str(SEEDS), code=1)
        assert selected == [] and len(err.splitlines()) == 1, err
        assert err.startswith(f"nieuwslezer: cannot select {' '.join(options)}: ")
        assert str(library_path()) in err and said in err and "written as null" not in err
    after = {path.name: path.read_bytes() for path in data_folder().iterdir()}
    assert after == before


def test_an_empty_library_file_is_a_library_not_made_yet(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    data_folder().mkdir(parents=True)
    library_path().write_bytes(b"")
    records, err = exported(capsysbinary, str(SEEDS))
    assert err == "" and {(r["read"], r["starred"]) for r in records} == {(False, False)}
    assert [path.name for path in data_folder().iterdir()] == ["library.sqlite"]
    assert library_path().read_bytes() == b""


def test_a_library_that_is_no_file_is_named(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    library_path().mkdir(parents=True)
    records, err = exported(capsysbinary, str(SEEDS))
    assert f"library {library_path()} is not a file" in err and len(err.splitlines()) == 1
    assert records and {r["read"] for r in records} == {None}


def test_a_page_whose_name_is_not_utf8_has_its_state(
    capsysbinary: pytest.CaptureFixture[bytes], pages: Path
) -> None:
    """Review finding 1: its key held a lone surrogate, which SQLite cannot hold, so it could
    have no state; keys.storable_path escapes it."""
    odd = pages / "caf\udce9.txt"
    odd.write_bytes((SEEDS / "002_643072ad90021aff.txt").read_bytes().replace(b"VS", b"EU"))
    articles, _ = mark_some(pages)
    assert articles[-1].file == str(odd), "the last: mark_some does not see it"
    records, err = exported(capsysbinary, str(pages))
    assert err == ""
    by_file = {r["file"]: (r["read"], r["starred"]) for r in records if r["type"] == "article"}
    assert by_file[str(odd)] == (False, False)
    assert by_file[articles[0].file] == (True, False)
    with Library.open() as library:
        library.set_read(article_key(articles[-1]))
        library.star(Starred.of(articles[-1]))
    records, err = exported(capsysbinary, "--starred", str(pages))
    assert err == "" and [r["file"] for r in records] == [articles[1].file, str(odd)]
    assert (records[1]["read"], records[1]["starred"]) == (True, True)


def test_a_page_reached_through_a_link_has_the_state_of_the_file_it_is(
    capsysbinary: pytest.CaptureFixture[bytes], pages: Path, tmp_path: Path
) -> None:
    """Review finding 14: the same page through a symbolic link was another item."""
    articles, _ = mark_some(pages)
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "kopie.txt").symlink_to(articles[0].file)
    (tmp_path / "map").symlink_to(pages)
    for path in (linked / "kopie.txt", tmp_path / "map"):
        records, err = exported(capsysbinary, str(path))
        assert err == ""
        read = [r["file"] for r in records if r["type"] == "article" and r["read"]]
        assert read == [str(path if path.is_file() else path / Path(articles[0].file).name)]


def test_a_locked_library_is_named_and_left_alone(
    capsysbinary: pytest.CaptureFixture[bytes], pages: Path
) -> None:
    mark_some(pages)
    rollback = sqlite3.connect(library_path(), isolation_level=None)
    rollback.execute("PRAGMA journal_mode=DELETE")  # where a lock keeps readers out
    rollback.close()
    holder = sqlite3.connect(library_path(), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        before = library_path().read_bytes()
        records, err = exported(capsysbinary, str(pages))
        assert library_path().read_bytes() == before
    finally:
        holder.rollback()
        holder.close()
    assert "locked" in err and str(library_path()) in err and len(err.splitlines()) == 1
    assert records and all(r["read"] is None for r in records)


def test_keys_are_computed_only_when_the_library_holds_state_of_such_items(
    capsysbinary: pytest.CaptureFixture[bytes],
    monkeypatch: pytest.MonkeyPatch,
    pages: Path,
    tmp_path: Path,
) -> None:
    """Keys are hashes of the text: no library, an empty one, one with only feed articles'
    or other folders' pages' state: none is computed for the pages."""
    computed: list[object] = []
    real_article_key, real_ticker_key = article_key, ticker_key

    def counted_article_key(article: Article) -> str:
        computed.append(article)
        return real_article_key(article)

    def counted_ticker_key(item: Any) -> str:
        computed.append(item)
        return real_ticker_key(item)

    monkeypatch.setattr(reader.library.keys, "article_key", counted_article_key)
    monkeypatch.setattr(reader.library.keys, "ticker_key", counted_ticker_key)
    exported(capsysbinary, str(pages))
    assert computed == [], "no library"
    Library.open().close()
    exported(capsysbinary, str(pages))
    assert computed == [], "an empty library"
    elsewhere = tmp_path / "elsewhere" / "page.txt"
    with Library.open() as library:
        library.set_read("feed:nos-1")
        library.star(Starred(f"page:{elsewhere}:0123456789abcdef", "Elders", str(elsewhere)))
    records, _ = exported(capsysbinary, str(pages))
    assert computed == [], "only other items' state"
    assert {(r["read"], r["starred"]) for r in records} == {(False, False)}
    monkeypatch.undo()
    mark_some(pages)
    monkeypatch.setattr(reader.library.keys, "article_key", counted_article_key)
    monkeypatch.setattr(reader.library.keys, "ticker_key", counted_ticker_key)
    records, _ = exported(capsysbinary, str(pages))
    assert len(computed) == len(records), "once each"


def test_stored_feed_articles_carry_their_state_and_starred_ones_outlive_keep_days(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    """Without PATH, the stored feed articles; one starred long ago is kept past keep_days
    (the retention keeps starred articles) and `--starred` writes it."""
    now = datetime.now(UTC)
    old = datetime(2020, 1, 1, tzinfo=UTC)
    items = [
        FeedItem(f"g{n}", f"Bericht {n}", f"https://nos.nl/{n}", when, (Block(BODY, "Tekst."),))
        for n, when in ((1, now), (2, now), (3, old), (4, old))
    ]
    data_folder().mkdir(parents=True)
    with FeedStore.open(data_folder() / "feeds.sqlite3") as store:
        store.save("https://nos.nl/feed", "NOS", items)
        stored = {a.guid: a for a in store.articles()}
    assert len(stored) == 4
    with Library.open() as library:
        library.see(["feed:g1", "feed:g2", "feed:g3"], SEEN)
        library.set_read("feed:g2")
        library.star(Starred.of(stored["g3"]))
    records, err = exported(capsysbinary)
    assert err == ""
    by_guid = {r["guid"]: (r["read"], r["starred"], r["first_seen"]) for r in records}
    assert by_guid == {
        "g1": (False, False, SEEN_ISO),
        "g2": (True, False, SEEN_ISO),
        "g3": (False, True, SEEN_ISO),
    }
    starred, _ = exported(capsysbinary, "--starred")
    assert [r["guid"] for r in starred] == ["g3"]
    library = library_path().read_bytes()
    unread, _ = exported(capsysbinary, "--unread")
    assert sorted(r["guid"] for r in unread) == ["g1", "g3"]
    assert library_path().read_bytes() == library
    assert sorted(path.name for path in data_folder().iterdir()) == [
        "feeds.sqlite3",
        "library.sqlite",
    ], "the retention read the stars without leaving -shm or -wal beside the library"


@pytest.mark.parametrize(
    "argv",
    [["--starred=yes"], ["--unread", "--no-such-option"], ["--starred", "--translator", "x"]],
)
def test_a_usage_error_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        export.run([*argv, str(SEEDS)])
    assert exited.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and err.startswith("nieuwslezer export: ")


def test_the_library_file_is_named_as_the_library_names_it() -> None:
    assert reader.export_state.library_path() == db.default_library_path()
