"""`nieuwslezer [PATH ...]` run as a user runs it: it refuses, before drawing anything, to
start without a terminal (exit 2) or on paths that hold no page (exit 1)."""

from __future__ import annotations

import contextlib
import os
import pty
import select
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import SEEDS, nieuwslezer_command
from tests.terminal import Terminal

GOOD_PAGE = SEEDS / "003_cab50403b27c31fc.txt"
GOOD_TITLE = "VS schatten aantal Noord-Koreaanse soldaten in Rusland op 10.000"
NEEDS_A_TERMINAL = "the reader needs a terminal"


def on_a_terminal(*args: str, timeout: float = 20) -> tuple[int | None, str, bytes]:
    """Run the reader with standard input and output on a pseudo-terminal and standard error
    on a pipe: its exit code (None if it was still running at `timeout`, and killed), its
    standard error, and all it wrote to the terminal."""
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color"}
    process = subprocess.Popen(
        [*nieuwslezer_command(), *args],
        stdin=follower,
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    os.close(follower)
    drawn = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if select.select([leader], [], [], 0.05)[0]:
                with contextlib.suppress(OSError):  # the child closed the terminal
                    drawn += os.read(leader, 65536)
        if process.poll() is None:
            process.kill()
        _, stderr = process.communicate(timeout=10)
        while select.select([leader], [], [], 0)[0]:
            try:
                data = os.read(leader, 65536)
            except OSError:
                break
            if not data:
                break
            drawn += data
    finally:
        os.close(leader)
    code = process.returncode if time.monotonic() < deadline else None
    return code, stderr.decode("utf-8", "replace"), bytes(drawn)


def test_nothing_readable_is_an_error_on_stderr_before_any_screen(tmp_path: Path) -> None:
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "no pages").mkdir()
    (tmp_path / "no pages" / "notes.md").write_text("not a page")
    cases = {
        "missing": ([str(tmp_path / "missing.txt")], "missing.txt: error: no such file"),
        "binary": ([str(tmp_path / "binary.txt")], "binary.txt: error: binary file"),
        "empty": ([str(tmp_path / "empty.txt")], "empty.txt: warning: empty file"),
        "a folder without pages": (
            [str(tmp_path / "no pages")],
            "no pages: warning: no page files (*.txt) in this folder",
        ),
    }
    for case, (args, message) in cases.items():
        code, stderr, drawn = on_a_terminal(*args)
        assert code == 1, (case, code, stderr)
        assert message in stderr, (case, stderr)
        assert stderr.splitlines()[-1] == "nieuwslezer: nothing could be read", case
        assert drawn == b"", (case, "nothing is drawn")


def test_several_paths_none_readable_each_is_named(tmp_path: Path) -> None:
    (tmp_path / "binary.txt").write_bytes(b"\x00" * 100)
    code, stderr, drawn = on_a_terminal(str(tmp_path / "gone"), str(tmp_path / "binary.txt"))
    assert code == 1 and drawn == b""
    assert stderr.splitlines() == [
        f"{tmp_path / 'gone'}: error: no such file or folder",
        f"{tmp_path / 'binary.txt'}: error: binary file (NUL bytes), not a text page; skipped",
        "nieuwslezer: nothing could be read",
    ]


@pytest.mark.parametrize(
    ("readable", "title"),
    [(str(GOOD_PAGE), GOOD_TITLE), ("--samples", "Oekraïne: Rusland zet")],
    ids=["a page", "the samples"],
)
def test_some_paths_bad_starts_the_reader_and_lists_them(
    tmp_path: Path, readable: str, title: str
) -> None:
    terminal = Terminal([*nieuwslezer_command(), str(tmp_path / "gone"), readable])
    assert terminal.wait_for(lambda text: title in text), terminal.text()
    terminal.send("d")
    assert terminal.wait_for(lambda text: "no such file or folder" in text), terminal.text()
    terminal.send("\x1b")
    terminal.wait_for(lambda text: "no such file or folder" not in text)
    terminal.send("q")
    assert terminal.wait_exit() == 0


def _not_a_terminal(stdin: int | None, stdout: int | None) -> subprocess.CompletedProcess[str]:
    started = time.monotonic()
    result = subprocess.run(
        [*nieuwslezer_command(), str(GOOD_PAGE)],
        stdin=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=20,
    )
    assert time.monotonic() - started < 10, "it says so at once"
    return result


def test_without_a_terminal_the_reader_says_so_and_points_to_export() -> None:
    result = _not_a_terminal(subprocess.PIPE, subprocess.PIPE)
    assert result.returncode == 2, result.stderr
    assert NEEDS_A_TERMINAL in result.stderr and "nieuwslezer export" in result.stderr
    assert "standard input and output are not terminals" in result.stderr
    assert result.stdout == ""


def test_a_pipe_on_either_side_is_not_a_terminal() -> None:
    leader, follower = pty.openpty()
    try:
        output_piped = _not_a_terminal(follower, subprocess.PIPE)
        input_piped = _not_a_terminal(subprocess.DEVNULL, follower)
    finally:
        os.close(follower)
        os.close(leader)
    assert output_piped.returncode == 2 and "standard output is not one" in output_piped.stderr
    assert input_piped.returncode == 2 and "standard input is not one" in input_piped.stderr


def test_help_and_version_still_work_in_a_pipe() -> None:
    for option in ("--help", "--version"):
        result = subprocess.run(
            [*nieuwslezer_command(), option],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=20,
        )
        assert result.returncode == 0 and "nieuwslezer" in result.stdout


def test_export_names_a_folder_without_pages(tmp_path: Path) -> None:
    result = subprocess.run(
        [*nieuwslezer_command(), "export", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert f"{tmp_path}: warning: no page files (*.txt) in this folder" in result.stderr
