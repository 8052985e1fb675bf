"""Hostile files and paths (issue #13, points 8, 10, 11's JSON and 12): FIFOs and devices,
names that are not UTF-8, link loops, folders that cannot be listed, and control characters
in what `export` and `annotate` write.

A test of code that would block on a FIFO must fail, not hang: `released` lets go of whatever
waits on the FIFO after a few seconds (a writer opens and closes it), and says it had to.
"""

from __future__ import annotations

import errno
import json
import os
import shlex
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from reader.cli import main
from reader.config import config_table
from reader.corpus import find_page_files, read_page, why_nothing_to_read
from reader.export import json_line
from reader.feeds.subscriptions import load_subscriptions
from reader.files import file_problem, read_regular_file
from reader.model import Diagnostic, Severity
from tests.conftest import REPO, nieuwslezer_command

GOOD = (REPO / "tests" / "fixtures" / "hostile" / "good.txt").read_bytes()
FIFO_REFUSED = "a named pipe (FIFO), not a regular file"
LATIN1_NAME = os.fsdecode(b"caf\xe9.txt")  # a name written by a Latin-1 system


@contextmanager
def released(fifo: Path, after: float = 2.0) -> Iterator[list[bool]]:
    """Within the block, whatever waits to read `fifo` for `after` seconds is let go; the
    list yielded is true once that had to happen."""
    had_to: list[bool] = []
    done = threading.Event()

    def release() -> None:
        while not done.wait(after):
            try:  # ENXIO: nobody waits to read it
                descriptor = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                continue
            had_to.append(True)
            os.close(descriptor)

    watchdog = threading.Thread(target=release, daemon=True)
    watchdog.start()
    try:
        yield had_to
    finally:
        done.set()
        watchdog.join()


def run(*args: str | bytes, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """nieuwslezer as a user runs it; a hang is a failure after 20 s."""
    return subprocess.run([*nieuwslezer_command(), *args], capture_output=True, timeout=20, cwd=cwd)


@pytest.fixture
def pages_and_fifo(tmp_path: Path) -> tuple[Path, Path]:
    """A folder of one good page and a FIFO named like a page."""
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a_good.txt").write_bytes(GOOD)
    fifo = folder / "b_pipe.txt"
    os.mkfifo(fifo)
    return folder, fifo


# 8. FIFOs and other files that are not regular


def test_a_fifo_page_is_refused_unopened(pages_and_fifo: tuple[Path, Path]) -> None:
    _, fifo = pages_and_fifo
    with released(fifo) as had_to:
        page = read_page(fifo)
        unreadable = why_nothing_to_read([fifo])
    assert not had_to, "reading the FIFO blocked"
    refused = Diagnostic(str(fifo), 0, f"{FIFO_REFUSED}; skipped", Severity.ERROR)
    assert page == refused
    assert unreadable == [refused], "the reader would start, and wait on the pipe"


def test_a_device_is_refused_unread() -> None:
    page = read_page("/dev/zero")  # once read up to the size limit: 64 MB for nothing
    assert page == Diagnostic(
        "/dev/zero", 0, "a character device, not a regular file; skipped", Severity.ERROR
    )


def test_export_of_a_folder_holding_a_fifo_exports_the_rest(
    pages_and_fifo: tuple[Path, Path],
) -> None:
    folder, fifo = pages_and_fifo
    result = run("export", str(folder))
    assert result.returncode == 0, result.stderr
    assert next(json.loads(line)["type"] for line in result.stdout.splitlines()) == "article"
    assert result.stderr.decode() == f"{fifo}: error: {FIFO_REFUSED}; skipped\n"
    given = run("export", str(fifo))
    assert given.returncode == 1 and given.stdout == b""
    assert given.stderr.decode() == (
        f"{fifo}: error: {FIFO_REFUSED}; skipped\nnieuwslezer: nothing could be read\n"
    )


def test_annotate_of_a_fifo_says_so(pages_and_fifo: tuple[Path, Path]) -> None:
    folder, fifo = pages_and_fifo
    result = run("annotate", str(folder))
    assert result.returncode == 0
    assert result.stderr.decode() == f"{fifo}: error: {FIFO_REFUSED}; skipped\n"


@pytest.mark.skipif(shutil.which("script") is None, reason="needs script(1) for a terminal")
def test_the_reader_does_not_start_on_a_fifo_alone(pages_and_fifo: tuple[Path, Path]) -> None:
    _, fifo = pages_and_fifo
    # Under `script`, the reader has the terminal it needs: on a FIFO it used to wait for ever.
    result = subprocess.run(
        ["script", "-qec", shlex.join([*nieuwslezer_command(), str(fifo)]), "/dev/null"],
        capture_output=True,
        timeout=20,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1
    assert FIFO_REFUSED.encode() in result.stdout


async def test_the_reader_lists_a_fifo_among_its_problems(
    pages_and_fifo: tuple[Path, Path],
) -> None:
    from reader.ui.screens import ListScreen
    from tests.ui.helpers import reader_app

    folder, fifo = pages_and_fifo
    with released(fifo) as had_to:
        async with reader_app([folder]) as (app, pilot):
            assert len(app.corpus.articles) == 1
            await pilot.press("d")
            assert isinstance(app.screen, ListScreen)
            rows = app.screen.query_one("#rows").items  # type: ignore[attr-defined]
            assert [(d.file, d.message) for d in rows] == [(str(fifo), f"{FIFO_REFUSED}; skipped")]
    assert not had_to


def test_feeds_import_of_a_fifo_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "feeds.opml"
    os.mkfifo(fifo)
    with released(fifo) as had_to:
        code = main(["feeds", "import", str(fifo)])
    assert not had_to and code == 1
    assert capsys.readouterr().err == f"nieuwslezer: {fifo}: cannot be read ({FIFO_REFUSED})\n"


def test_a_fifo_for_config_or_subscriptions_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    config, subscriptions = tmp_path / "config.toml", tmp_path / "feeds.toml"
    os.mkfifo(config)
    os.mkfifo(subscriptions)
    with released(config) as config_had_to, released(subscriptions) as subscriptions_had_to:
        values, problems = config_table("feeds", ["keep_days"], config)
        feeds, feed_problems = load_subscriptions(subscriptions)
    assert not config_had_to and not subscriptions_had_to
    assert (values, problems) == ({}, [f"{config}: not read ({FIFO_REFUSED}); using the defaults"])
    assert (feeds, feed_problems) == ([], [f"{subscriptions}: cannot be read ({FIFO_REFUSED})"])


def test_feeds_list_with_a_fifo_for_feeds_toml_says_so(tmp_path: Path) -> None:
    config = Path(os.environ["NIEUWSLEZER_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    os.mkfifo(config / "feeds.toml")
    os.mkfifo(config / "config.toml")
    listed = run("feeds", "list")
    assert listed.returncode == 1
    assert FIFO_REFUSED.encode() in listed.stderr
    exported = run("export", cwd=tmp_path)  # reads config.toml's [feeds] for the retention
    assert exported.returncode == 0, exported.stderr


def test_read_regular_file_bounds_what_it_reads(tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.write_bytes(b"x" * 101)
    with pytest.raises(OSError) as raised:
        read_regular_file(big, 100)
    assert file_problem(raised.value) == "101 bytes, over the limit of 100"
    assert read_regular_file(big, 101) == b"x" * 101


# 10. File names that are not UTF-8


@pytest.fixture
def latin1_folder(tmp_path: Path) -> Path:
    """A folder of two pages, the first of them named in Latin-1."""
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / LATIN1_NAME).write_bytes(GOOD)
    (folder / "other.txt").write_bytes(GOOD.replace(b"VS schatten", b"Anderen schatten"))
    (folder / os.fsdecode(b"\xff.txt")).write_bytes(b"\x00binary")  # named in a diagnostic
    return folder


def test_export_writes_every_file_whatever_its_name(latin1_folder: Path) -> None:
    result = run("export", str(latin1_folder))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    files = {record["file"] for record in records if record["type"] == "article"}
    # Python's own reading of the name (surrogateescape) comes back: os.fsencode gives the bytes
    assert files == {str(latin1_folder / LATIN1_NAME), str(latin1_folder / "other.txt")}
    assert b'caf\\udce9.txt"' in result.stdout
    assert result.stderr.decode() == (
        f"{latin1_folder}/\\xff.txt: error: binary file (NUL bytes), not a text page; skipped\n"
    )


def test_annotate_writes_every_file_whatever_its_name(latin1_folder: Path) -> None:
    result = run("annotate", str(latin1_folder))
    assert result.returncode == 0, result.stderr
    files = {json.loads(line)["file"] for line in result.stdout.splitlines()}
    assert files == {str(latin1_folder / LATIN1_NAME), str(latin1_folder / "other.txt")}
    assert b"\\xff.txt: error: binary file" in result.stderr


def test_a_missing_file_named_in_latin1_is_shown_escaped(tmp_path: Path) -> None:
    result = run("export", b"caf\xe9.txt", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(b"caf\\xe9.txt: error: no such file or folder\n")


def test_feeds_import_names_a_latin1_file_escaped(tmp_path: Path) -> None:
    opml = tmp_path / os.fsdecode(b"lijst\xe9.opml")
    opml.write_bytes((REPO / "tests" / "fixtures" / "opml" / "newsboat.opml").read_bytes())
    result = run("feeds", "import", os.fsencode(opml))
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(b"lijst\\xe9.opml: 5 added, 0 already subscribed\n")


@pytest.mark.parametrize("argument", [b"http://nos.nl/caf\xe9", b"caf\xe9", b"\xff"])
def test_feeds_add_of_an_argument_that_is_not_utf8_is_a_usage_error(argument: bytes) -> None:
    result = run("feeds", "add", argument)
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr and b"\xe9" not in result.stderr
    assert b"is neither a feed address" in result.stderr


# 11. Control and bidi characters in JSON


# C1 (NEL, CSI), DEL, bidi controls (RLO, LRI, RLM, ALM) and the line separator
STEERING = "\x85\x9b\x7f\u202e\u2066\u200f\u061c\u2028"


def test_json_lines_escape_c1_bidi_and_line_separators() -> None:
    line = json_line({"text": f"a{STEERING}b", "file": LATIN1_NAME})
    assert not any(character in line for character in STEERING)
    assert "\\u0085\\u009b\\u007f\\u202e\\u2066\\u200f\\u061c\\u2028" in line
    assert line.count("\n") == 1 and line.endswith("\n")
    line.encode("utf-8")  # a lone surrogate from a file name would fail here
    assert json.loads(line) == {"text": f"a{STEERING}b", "file": LATIN1_NAME}
    assert "Oekraïne" in json_line({"text": "Oekraïne"}), "other text stays readable"


def test_export_and_annotate_write_no_steering_character(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        f"Titel{STEERING}\nAMSTERDAM (ANP) - Tekst{STEERING} met 5 mensen.\n", encoding="utf-8"
    )
    for command in ("export", "annotate"):
        result = run(command, str(page))
        assert result.returncode == 0, result.stderr
        text = result.stdout.decode("utf-8")
        assert not any(character in text for character in STEERING), command
        records = [json.loads(line) for line in text.splitlines()]
        assert STEERING in json.dumps(records, ensure_ascii=False), f"{command}: text altered"


# 12. Paths: say what is wrong


def test_a_link_loop_is_called_one(tmp_path: Path) -> None:
    (tmp_path / "loop1").symlink_to("loop2")
    (tmp_path / "loop2").symlink_to("loop1")
    assert list(find_page_files([tmp_path / "loop1"])) == [
        Diagnostic(
            str(tmp_path / "loop1"),
            0,
            "a symbolic link loop (following its links leads back to it)",
            Severity.ERROR,
        )
    ]


def test_a_link_to_nothing_says_where_it_points(tmp_path: Path) -> None:
    (tmp_path / "page.txt").symlink_to("gone.txt")
    expected = Diagnostic(
        str(tmp_path / "page.txt"),
        0,
        "a symbolic link to 'gone.txt', which does not exist",
        Severity.ERROR,
    )
    assert list(find_page_files([tmp_path / "page.txt"])) == [expected]
    # inside a folder the link is found by its name, and read_page says the same
    found = list(find_page_files([tmp_path]))
    assert found == [tmp_path / "page.txt"]
    assert read_page(tmp_path / "page.txt") == Diagnostic(
        str(tmp_path / "page.txt"),
        0,
        "a symbolic link to 'gone.txt', which does not exist",
        Severity.ERROR,
    )


def _refuse(monkeypatch: pytest.MonkeyPatch, function: str, refused: Path) -> None:
    """`os.<function>` refuses `refused` as for a user without the permission (tests may run
    as root, whom permissions do not stop)."""
    real = getattr(os, function)

    def refusing(path: object, *args: object, **kwargs: object) -> object:
        if isinstance(path, str | os.PathLike) and Path(path) == refused:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, function, refusing)


def test_a_folder_argument_that_cannot_be_listed_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "page.txt").write_bytes(GOOD)
    _refuse(monkeypatch, "scandir", locked)
    assert main(["export", str(locked)]) == 1
    assert capsys.readouterr().err == (
        f"{locked}: error: cannot list this folder: Permission denied; its pages are skipped\n"
        "nieuwslezer: nothing could be read\n"
    )


def test_a_subfolder_that_cannot_be_listed_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "page.txt").write_bytes(GOOD)
    _refuse(monkeypatch, "scandir", tmp_path / "sub")
    assert list(find_page_files([tmp_path])) == [
        tmp_path / "page.txt",
        Diagnostic(
            str(tmp_path / "sub"),
            0,
            "cannot list this folder: Permission denied; its pages are skipped",
            Severity.ERROR,
        ),
    ]


def test_a_path_that_cannot_be_looked_at_is_not_called_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "hidden" / "page.txt"  # in a folder the user may not search
    page.parent.mkdir()
    page.write_bytes(GOOD)
    _refuse(monkeypatch, "stat", page)
    assert list(find_page_files([page])) == [
        Diagnostic(str(page), 0, "cannot read: Permission denied", Severity.ERROR)
    ]
