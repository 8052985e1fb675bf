"""What made `export` of 10,000 pages slow, held away (#14): each step does its work once.

Timing is for benchmarks/export.py; these tests count what the time went into (bytes
allocated, paths resolved, encoders built) and check that the output did not change.
"""

from __future__ import annotations

import gc
import json
import os
import tracemalloc
from pathlib import Path

import pytest

import reader.corpus
import reader.files
from reader.commands import export
from reader.corpus import MAX_FILE_BYTES, find_page_files
from reader.files import FileTooLarge, read_regular_file
from reader.text import _JSON_UNSAFE, json_text

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
    before = _JSON_UNSAFE.sub(
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
