"""What made `export` of 10,000 pages slow, held away (#14): each step does its work once.

Timing is for benchmarks/export.py; these tests count what the time went into (bytes
allocated, paths resolved, encoders built) and check that the output did not change.
"""

from __future__ import annotations

import gc
import json
import os
import re
import subprocess
import sys
import tracemalloc
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import reader.corpus
import reader.export
import reader.files
import reader.text
from reader.commands import export
from reader.corpus import MAX_FILE_BYTES, Decoded, decode_page, find_page_files, load_corpus
from reader.export import corpus_records, json_line, json_lines
from reader.export_state import NO_STATE, UNKNOWN, CorpusState, ItemState
from reader.feeds.items import Block, FeedItem, feed_article
from reader.files import FileTooLarge, read_regular_file
from reader.model import Article, Corpus, ParagraphKind
from reader.text import (
    CONTROL_CHARACTERS,
    _json_unsafe,
    json_text,
    may_hold_control_characters,
)
from tests.conftest import SEEDS

PAGE = "Kop\nAMSTERDAM (ANP) - Tekst.\nMeer uit Binnenland\nKYIV (ANP) - Iets.\n5 uur geleden\n"


def test_a_small_page_is_read_without_allocating_the_bound(tmp_path: Path) -> None:
    """read(max_bytes + 1) allocated 64 MB for each 2 kB page: most of export's reading."""
    page = tmp_path / "page.txt"
    page.write_bytes(b"x" * 2_000)
    tracemalloc.start()
    try:
        data = read_regular_file(page, MAX_FILE_BYTES)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert data == b"x" * 2_000
    assert peak < 1 << 20


def test_a_file_grown_since_its_size_was_read_is_read_whole_and_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size told by fstat may be stale: what was appended since is read too, and the
    bound still holds for a file that grew past it."""
    page = tmp_path / "page.txt"
    page.write_bytes(b"y" * 5_000)
    real_fstat = os.fstat

    def stale_fstat(descriptor: int) -> os.stat_result:
        told = list(real_fstat(descriptor))
        told[6] = 100  # st_size, as it was before the file grew
        return os.stat_result(told)

    monkeypatch.setattr(reader.files.os, "fstat", stale_fstat)
    assert read_regular_file(page, 10_000) == b"y" * 5_000
    with pytest.raises(FileTooLarge) as raised:
        read_regular_file(page, 1_000)
    assert raised.value.size == 1_001  # one byte past the bound, no more


def test_files_in_a_folder_are_resolved_by_their_folder_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """os.path.realpath of every file looked at each part of its path: a tenth of the
    export. Now each folder is resolved once, and only a link to a file on its own."""
    for index in range(40):
        (tmp_path / f"{index:02d}.txt").write_text(PAGE)
    calls: list[object] = []
    real_realpath = os.path.realpath

    def counted(path: object) -> str:
        calls.append(path)
        return real_realpath(path)  # type: ignore[arg-type]

    monkeypatch.setattr(reader.corpus.os.path, "realpath", counted)
    assert len(list(find_page_files([tmp_path]))) == 40
    assert len(calls) <= 2


def test_a_file_reached_twice_through_links_is_still_read_once(tmp_path: Path) -> None:
    """Resolving by folder keeps what realpath gave: a file linked beside itself, a folder
    reached through a link and by its own name, a file named and found in its folder."""
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.txt").write_text(PAGE)
    (folder / "b.txt").symlink_to(folder / "a.txt")
    (tmp_path / "linked").symlink_to(folder)
    found = list(find_page_files([folder, tmp_path / "linked", folder / "a.txt"]))
    assert found == [folder / "a.txt"]


def test_json_text_builds_no_encoder_per_record(monkeypatch: pytest.MonkeyPatch) -> None:
    """json.dumps(value, ensure_ascii=False) built a JSONEncoder for every record."""
    built: list[object] = []
    real_init = json.JSONEncoder.__init__

    def counted_init(self: json.JSONEncoder, *args: object, **kwargs: object) -> None:
        built.append(self)
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]

    json_text({"text": "the first record may build the one encoder"})
    monkeypatch.setattr(json.JSONEncoder, "__init__", counted_init)
    for index in range(100):
        json_text({"text": f"regel {index}"})
    assert built == []


@pytest.mark.parametrize(
    "value",
    [
        {"text": "gewoon"},
        {"text": "é, ĳ, 😀 and \x1b[31m"},
        {"text": "C1 \x85 \x9b, DEL \x7f, \u2028 \u2029, bidi \u202e \u2066 \u200f"},
        {"file": "caf\udce9.txt", "line": 3, "list": [None, True, 1.5]},
    ],
)
def test_json_text_writes_what_it_wrote_before(value: dict[str, object]) -> None:
    """The same bytes as json.dumps and the escapes applied to all of it, as before."""
    before = _json_unsafe().sub(
        lambda match: f"\\u{ord(match[0]):04x}", json.dumps(value, ensure_ascii=False)
    )
    assert json_text(value) == before


def test_loading_for_export_looks_for_no_garbage_cycles(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """The collector went over the growing corpus again and again while it loaded: 470
    collections, 3 of them over everything, for 10,000 pages (a tenth of the export)."""
    for index in range(1_500):
        (tmp_path / f"{index:04d}.txt").write_text(PAGE)
    generations: list[int] = []

    def collected(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            generations.append(info["generation"])

    gc.callbacks.append(collected)
    try:
        assert export.run([str(tmp_path)]) == 0
    finally:
        gc.callbacks.remove(collected)
        gc.unfreeze()  # the export's process ends there; this one goes on
    assert gc.isenabled()
    assert capsysbinary.readouterr().out.count(b"\n") == 1_500 + 1  # and one ticker item
    assert [g for g in generations if g > 0] == []
    assert len(generations) <= 5


FIXTURES = Path(__file__).parent / "fixtures"


def _corpus_of_every_kind(tmp_path: Path) -> Corpus:
    """The samples, the hostile fixtures (cut pages, control characters, Windows-1252, a
    ticker-only page), a file name that is not UTF-8, a clock time, and a feed article."""
    odd = tmp_path / "caf\udce9 \u202e.txt"  # a byte that is not UTF-8, a bidi control
    odd.write_text(
        "Titel \x85 en \u2028 ook\n"
        'KYIV (ANP) - Tekst met "citaat" en \\ en \x7f.\n'
        "Meer uit Buitenland\n"
        "KYIV (ANP) - Iets.\n14:05\n"
        "GENÈVE (ANP/AFP) - Nog iets.\n"
    )
    corpus = load_corpus([SEEDS, FIXTURES / "hostile", tmp_path])
    item = FeedItem(
        guid="nos-1",
        title="Kabinet valt",
        link="https://nos.nl/artikel/1",
        published=None,
        blocks=(Block(ParagraphKind.BODY, "Het kabinet is gevallen.", ()),),
        cut=True,
    )
    feed = feed_article(item, "NOS Nieuws", "https://feeds.nos.nl/nieuws")
    return replace(corpus, articles=(*corpus.articles, feed))


def test_page_records_are_written_straight_from_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building each record's dicts and walking them again to encode was a third of the
    export: a page's article and a ticker item are now written without either; the lines are
    the very ones the records gave (and a feed article still goes through its record)."""
    corpus = _corpus_of_every_kind(tmp_path)
    assert any(a.cut for a in corpus.articles) and any(i.cut for i in corpus.ticker)
    assert any(i.age and i.age.minutes is None for i in corpus.ticker)
    expected = [json_line(record) for record in corpus_records(corpus)]
    built: list[str] = []
    real_article_record = reader.export.article_record

    def counted_article_record(article: Article, *args: Any) -> dict[str, Any]:
        built.append(article.file)
        return real_article_record(article, *args)

    def no_ticker_record(*args: Any) -> dict[str, Any]:
        raise AssertionError("a ticker item's record was built")

    monkeypatch.setattr(reader.export, "article_record", counted_article_record)
    monkeypatch.setattr(reader.export, "ticker_record", no_ticker_record)
    written = list(json_lines(corpus))
    assert written == expected
    assert built == ["https://nos.nl/artikel/1"]
    assert all(json.loads(line) for line in written)
    assert any("\\u0085" in line and "\\udce9" in line for line in written)


def test_the_fast_writers_write_each_records_state_as_the_records_do(tmp_path: Path) -> None:
    """`read`, `starred` and `first_seen`, in every combination (unknown: null), on pages'
    articles, feed articles and ticker items alike, written straight or through records."""
    corpus = _corpus_of_every_kind(tmp_path)
    kinds = [
        NO_STATE,
        UNKNOWN,
        ItemState(True, False, "2026-12-01T07:30:15+00:00"),
        ItemState(False, True, None),
        ItemState(True, True, "2026-12-06T23:59:59+00:00"),
    ]
    states = CorpusState(
        [kinds[n % len(kinds)] for n in range(len(corpus.articles))],
        [kinds[n % len(kinds)] for n in range(len(corpus.ticker))],
    )
    expected = [json_line(record) for record in corpus_records(corpus, None, states)]
    assert list(json_lines(corpus, None, states)) == expected
    records = [json.loads(line) for line in expected]
    translated = [json.loads(line) for line in json_lines(corpus, {}, states)]
    assert translated != records, "with --translate: the records' English fields too"
    for written in (records, translated):
        assert [(r["read"], r["starred"], r["first_seen"]) for r in written] == [
            tuple(state) for state in [*states.articles, *states.ticker]
        ]
    default = [json.loads(line) for line in json_lines(corpus)]
    assert {(r["read"], r["starred"], r["first_seen"]) for r in default} == {(False, False, None)}


def test_a_printable_record_is_not_searched_for_what_steers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each written record was searched with a pattern for what must be escaped: a tenth
    of the export. A record that isprintable() holds none of it; the others still are."""
    searched: list[str] = []
    unsafe = _json_unsafe()

    class Counted:
        def search(self, text: str) -> re.Match[str] | None:
            searched.append(text)
            return unsafe.search(text)

        def sub(self, replace_with: Any, text: str) -> str:
            return unsafe.sub(replace_with, text)

    monkeypatch.setattr(reader.text, "_json_unsafe", Counted)
    assert json_text({"text": "Oekraïne — “gewoon”", "line": 3}) == (
        '{"text": "Oekraïne — “gewoon”", "line": 3}'
    )
    assert searched == []
    assert json_text({"text": "a\u202eb\u00a0c"}) == '{"text": "a\\u202eb\u00a0c"}'
    assert len(searched) == 1


def test_every_character_json_text_escapes_fails_isprintable() -> None:
    """What that shortcut rests on: no character it escapes is printable."""
    unsafe = [chr(c) for c in range(0x110000) if _json_unsafe().match(chr(c))]
    assert len(unsafe) > 2000  # the surrogates among them
    assert not any(c.isprintable() for c in unsafe)


def test_a_page_is_read_from_its_descriptor_without_a_file_object(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A buffered file object around each page's descriptor cost as much as reading it;
    reading from the descriptor gets the whole page even when the system hands it over in
    pieces (os.read may return fewer bytes than asked)."""
    page = tmp_path / "page.txt"
    page.write_bytes(bytes(range(256)) * 40)

    def no_file_object(*args: object, **kwargs: object) -> object:
        raise AssertionError("a file object was made")

    real_read = os.read
    monkeypatch.setattr(reader.files.os, "fdopen", no_file_object)
    monkeypatch.setattr(reader.files.os, "read", lambda fd, count: real_read(fd, min(count, 7)))
    assert read_regular_file(page, MAX_FILE_BYTES) == bytes(range(256)) * 40
    with pytest.raises(FileTooLarge):
        read_regular_file(page, 100)


def test_files_found_in_a_folder_are_not_looked_at_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether each file found was a link was asked of the file system once per file: the
    folder's listing tells it. A link is still told apart (and found once)."""
    for index in range(40):
        (tmp_path / f"{index:02d}.txt").write_text(PAGE)
    (tmp_path / "zz.txt").symlink_to(tmp_path / "00.txt")
    looked_at: list[object] = []
    real_lstat = os.lstat

    def counted_lstat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        looked_at.append(path)
        return real_lstat(path, *args, **kwargs)

    monkeypatch.setattr(os, "lstat", counted_lstat)
    found = list(find_page_files([tmp_path]))
    assert found == [tmp_path / f"{index:02d}.txt" for index in range(40)]
    # the link's own resolution (and its target's), not one for each of the 40
    assert len([path for path in looked_at if str(path).endswith(".txt")]) <= 2


def test_a_folder_nested_deeper_than_the_recursion_limit_is_walked(tmp_path: Path) -> None:
    """os.walk went down one generator a level: a tree deeper than Python's recursion limit
    ended the export with a RecursionError. The walk keeps its own list of folders now."""
    levels = [str(tmp_path)]
    for _ in range(sys.getrecursionlimit() + 50):  # one by one: mkdir(parents) recurses too
        levels.append(os.path.join(levels[-1], "d"))
        os.mkdir(levels[-1])
    (tmp_path / "top.txt").write_text(PAGE)
    Path(levels[-1], "deep.txt").write_text(PAGE)
    try:
        found = list(find_page_files([tmp_path]))
    finally:  # bottom up: removing the tree for pytest would recurse as deep
        os.remove(os.path.join(levels[-1], "deep.txt"))
        for level in reversed(levels[1:]):
            os.rmdir(level)
    assert found == [tmp_path / "top.txt", Path(levels[-1], "deep.txt")]


def test_export_leaves_the_collector_as_it_found_it(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """Loading pauses the collector as the feed store's reading does (one `gc_paused`): once
    loaded, it is back as it was, off if it was off (it was turned on regardless)."""
    (tmp_path / "page.txt").write_text(PAGE)
    gc.disable()
    try:
        assert export.run([str(tmp_path)]) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()
    assert capsysbinary.readouterr().out.count(b"\n") == 2


def test_loading_makes_no_path_for_each_file_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Path for each file found cost as much as finding it (10,000 pages: 30 ms): loading
    names each file by the string its Path would write, and by the same string."""
    for index in range(40):
        (tmp_path / f"{index:02d}.txt").write_text(PAGE)
    made: list[tuple[object, ...]] = []
    real_path = reader.corpus.Path

    def counted(*parts: Any) -> Path:
        made.append(parts)
        return real_path(*parts)

    monkeypatch.setattr(reader.corpus, "Path", counted)
    corpus = load_corpus([tmp_path])
    monkeypatch.undo()
    assert [a.file for a in corpus.articles] == [str(p) for p in find_page_files([tmp_path])]
    assert len(corpus.articles) == 40
    assert len(made) <= 3  # the argument, and the folder's own spelling once


@pytest.mark.parametrize(
    "spelling", [".", "./", "pages", "./pages/", "pages//sub/..", "pages/./sub", "{tmp}//pages"]
)
def test_a_folder_is_named_in_records_as_its_path_writes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spelling: str
) -> None:
    """However the folder is spelled, each file is named as str(Path(folder, name)) names it,
    in its subfolders too ("./pages" -> "pages/a.txt", "." -> "a.txt")."""
    (tmp_path / "pages" / "sub").mkdir(parents=True)
    for folder in (tmp_path, tmp_path / "pages", tmp_path / "pages" / "sub"):
        (folder / "a.txt").write_text(PAGE)
    monkeypatch.chdir(tmp_path)
    given = spelling.format(tmp=tmp_path)
    corpus = load_corpus([given])
    expected = [str(path) for path in find_page_files([given])]
    assert [a.file for a in corpus.articles] == expected
    assert expected and all(Path(name).is_file() for name in expected)


def test_each_file_name_is_encoded_once_however_often_it_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page's file name is written with its article, each ticker item first seen on it and
    each sighting on it: it was encoded each time. Now once each (the output the same)."""
    for index in range(5):
        (tmp_path / f"{index}.txt").write_text(PAGE)  # one ticker item, seen on all five
    corpus = load_corpus([tmp_path])
    expected = [json_line(record) for record in corpus_records(corpus)]
    encoded: list[str] = []
    real_encode = reader.export._json_string

    def counted(text: str) -> str:
        encoded.append(text)
        return real_encode(text)

    monkeypatch.setattr(reader.export, "_json_string", counted)
    assert list(json_lines(corpus)) == expected
    files = [a.file for a in corpus.articles]
    assert sorted(text for text in encoded if text in files) == sorted(files)


def _export_in_a_new_process(tmp_path: Path, listed: str) -> list[str]:
    """What `nieuwslezer export` of one page writes, run in a Python of its own (no library
    in its data folder), then the modules it imported whose names `listed` (an expression
    of `m`) is true of, as its last line."""
    (tmp_path / "page.txt").write_text(PAGE)
    code = (
        "import sys\n"
        "from reader.cli import main\n"
        f"assert main(['export', {str(tmp_path)!r}]) == 0\n"
        f"print(sorted(m for m in sys.modules if {listed}))\n"
    )
    checkout = Path(reader.corpus.__file__).parent.parent  # the reader under test
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=checkout,
        env={**os.environ, "NIEUWSLEZER_DATA_DIR": str(tmp_path / "data")},
    )
    return result.stdout.splitlines()


def test_export_without_translating_imports_no_translation_module(tmp_path: Path) -> None:
    """The translation settings and results (and what they import: ~3 ms of each export's
    start) are imported only by `export --translate`."""
    lines = _export_in_a_new_process(tmp_path, "m.startswith('reader.translate')")
    assert lines[-1] == "[]"


def test_export_without_a_library_reads_no_database_and_hashes_nothing(tmp_path: Path) -> None:
    """Each record's state comes from the library (#15): with no library file, export
    imports neither sqlite3 nor the library's modules, and computes no key (hashlib)."""
    listed = "m in ('sqlite3', 'hashlib') or m.startswith('reader.library')"
    lines = _export_in_a_new_process(tmp_path, listed)
    assert lines[-1] == "[]"
    assert '"read": false, "starred": false, "first_seen": null' in lines[0]


def test_decoding_drops_one_byte_order_mark_as_the_codec_did() -> None:
    """UTF-8 is decoded without the "utf-8-sig" codec's Python wrapper (most of a small
    page's decoding time): one byte order mark is still dropped, and only one."""
    assert decode_page(b"\xef\xbb\xbfKop\n", "p.txt") == Decoded("Kop\n", ())
    assert decode_page(b"\xef\xbb\xbf\xef\xbb\xbfKop", "p.txt") == Decoded("\ufeffKop", ())
    assert decode_page(b"\xef\xbb\xbf", "p.txt") == Decoded("", ())


def test_what_may_hold_control_characters_misses_none() -> None:
    """Pages and records are asked once whether they may hold a control character (of a
    Latin-1 text, of its bytes): no control character, nothing json_text escapes, is missed,
    in a Latin-1 text or a wider one; a text without any is told so."""
    for code in range(0x110000):
        character = chr(code)
        if character != "\n" and (
            CONTROL_CHARACTERS.match(character) or _json_unsafe().match(character)
        ):
            assert may_hold_control_characters(f"ab{character}cd"), hex(code)
            assert may_hold_control_characters(f"ab{character}\u201c"), hex(code)
    assert not may_hold_control_characters("Oekraïne\nzegt: café, 5 °C, ½ — “citaat”")
    assert not may_hold_control_characters("Oekraïne\nzegt: café, 5 °C, ½")
