"""`feeds add` and `feeds import` as a user runs them, on addresses no feed can have and on
files no list of feeds is: refused with a message naming them, never a traceback."""

from __future__ import annotations

import os
import resource
import subprocess
from pathlib import Path

import pytest

from tests.conftest import nieuwslezer_command

MEMORY_LIMIT = 1024 * 1024 * 1024  # far more than nieuwslezer needs; a runaway read hits it


def run(*args: str | bytes) -> subprocess.CompletedProcess[bytes]:
    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    return subprocess.run(
        [*nieuwslezer_command(), *args],
        capture_output=True,
        timeout=60,
        preexec_fn=limit_memory,  # no threads in this child before it runs nieuwslezer
    )


def feeds_toml() -> Path:
    return Path(os.environ["NIEUWSLEZER_CONFIG_DIR"], "feeds.toml")


@pytest.mark.parametrize(
    ("argument", "shown"),
    [
        (b"http://h/\x85x", rb"'http://h/\udc85x'"),  # not UTF-8: a lone surrogate in Python
        (b"http://h/\x1b[2Jx", rb"'http://h/\x1b[2Jx'"),
        (b"http://h/a\nb", rb"'http://h/a\nb'"),
        (b"http://h/a b", b"'http://h/a b'"),
    ],
)
def test_feeds_add_refuses_an_address_no_feed_can_have(argument: bytes, shown: bytes) -> None:
    result = run("feeds", "add", argument)
    assert result.returncode == 2, result.stderr
    assert b"Traceback" not in result.stderr
    assert b"\x1b" not in result.stderr and b"\x85" not in result.stderr
    assert shown + b" is neither a feed address" in result.stderr
    assert b"as an address, it holds" in result.stderr
    assert not feeds_toml().exists()


def test_feeds_import_refuses_a_file_too_large_for_a_list_of_feeds(tmp_path: Path) -> None:
    huge = tmp_path / "huge.opml"
    with huge.open("wb") as file:
        file.write(b'<opml version="2.0"><body>')
        file.write(b" " * (17 * 1024 * 1024))
        file.write(b'<outline xmlUrl="https://nos.nl/feed"/></body></opml>')
    for file in (str(huge), "/dev/zero"):
        if not Path(file).exists():
            continue
        result = run("feeds", "import", file)
        assert result.returncode == 1
        assert b"Traceback" not in result.stderr
        assert result.stderr.decode() == (
            f"nieuwslezer: {file}: refused: over 16 MB, far more than any list of feeds\n"
        )
        assert not feeds_toml().exists()


def test_feeds_add_refuses_a_title_that_is_not_utf8() -> None:
    result = run("feeds", "add", "nos", "--title", b"NOS \x85")
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr
    assert rb"--title 'NOS \udc85' holds bytes that are not UTF-8" in result.stderr
    assert not feeds_toml().exists()
