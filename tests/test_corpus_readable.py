"""Whether any of the paths given holds a page, told before the reader starts: cheaply (it
stops at the first page), and with the reason for each path when none does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import reader.corpus
from reader.corpus import find_page_files, read_page, why_nothing_to_read
from reader.model import Diagnostic, Severity
from tests.conftest import SEEDS

GOOD = (SEEDS / "003_cab50403b27c31fc.txt").read_bytes()


def test_a_large_folder_is_read_no_further_than_its_first_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(500):
        (tmp_path / f"{index:04d}.txt").write_bytes(GOOD)
    reads: list[str] = []

    def counting(path: Path | str) -> object:
        reads.append(str(path))
        return read_page(path)

    monkeypatch.setattr(reader.corpus, "read_page", counting)
    assert why_nothing_to_read([tmp_path]) is None
    assert reads == [str(tmp_path / "0000.txt")]


def test_pages_past_the_unreadable_ones_count(tmp_path: Path) -> None:
    (tmp_path / "a_binary.txt").write_bytes(b"\x00\x01")
    (tmp_path / "b_empty.txt").write_bytes(b"  \n\n")
    (tmp_path / "c_ticker_only.txt").write_bytes(
        b"Meer uit Sport\nAMSTERDAM (ANP) - Ajax wint.\n3 uur geleden"
    )
    assert why_nothing_to_read([tmp_path / "missing", tmp_path]) is None


def test_none_readable_gives_a_reason_per_path(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "binary.txt").write_bytes(b"\x00" * 10)
    (tmp_path / "nothing here").mkdir()
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:  # over the peek size and binary: looked at, not parsed
        handle.write(b"\x00" * 100)
        handle.truncate(1 << 20)
    problems = why_nothing_to_read(
        [tmp_path / "gone", tmp_path / "pages", tmp_path / "nothing here", huge]
    )
    assert problems is not None
    assert [(Path(d.file).name, d.message.split(" (")[0].split(";")[0]) for d in problems] == [
        ("gone", "no such file or folder"),
        ("binary.txt", "binary file"),
        ("nothing here", "no page files"),
        ("huge.txt", "binary file"),
    ]


def test_a_large_text_page_is_not_parsed_to_be_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "large.txt"
    page.write_bytes(GOOD * 100)
    monkeypatch.setattr(reader.corpus, "read_page", lambda _: pytest.fail("parsed"))
    assert why_nothing_to_read([page]) is None


def test_a_large_file_of_blank_lines_holds_no_page(tmp_path: Path) -> None:
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b"\n \t\n" * 50_000)  # 200 KB, past what is peeked at
    reasons = why_nothing_to_read([blank])
    assert reasons, "an empty reader would open and exit 0"
    assert {(d.file, d.severity) for d in reasons} == {(str(blank), Severity.WARNING)}


def test_a_folder_without_pages_is_a_diagnostic_among_the_files(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "page.txt").write_bytes(GOOD)
    found = list(find_page_files([tmp_path / "empty", tmp_path / "full", tmp_path / "full"]))
    assert found == [
        Diagnostic(str(tmp_path / "empty"), 0, "no page files (*.txt) in this folder"),
        tmp_path / "full" / "page.txt",
    ], "a folder given twice is not empty the second time"


def test_a_folder_that_cannot_be_listed_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (tmp_path / "page.txt").write_bytes(GOOD)
    listing = os.scandir

    def refusing(path: str) -> object:  # as for a folder without read permission (not root)
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return listing(path)

    monkeypatch.setattr(os, "scandir", refusing)
    found = list(find_page_files([tmp_path]))
    assert found == [
        tmp_path / "page.txt",
        Diagnostic(
            str(locked),
            0,
            "cannot list this folder: Permission denied; its pages are skipped",
            Severity.ERROR,
        ),
    ]
