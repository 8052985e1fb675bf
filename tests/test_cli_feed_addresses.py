"""`feeds add` and `feeds import` as a user runs them, on addresses no feed can have and on
files no list of feeds is: refused with a message naming them, never a traceback."""

from __future__ import annotations

import os
import resource
import subprocess
from pathlib import Path

import pytest

from reader.text import make_visible
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
        # Not UTF-8: shown as the byte, as the README promises (a repr showed '\udc85', #13).
        (b"http://h/\x85x", rb"'http://h/\x85x'"),
        (b"http://h/\x1b[2Jx", rb"'http://h/\x1b[2Jx'"),
        (b"http://h/a\nb", rb"'http://h/a\x0ab'"),
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
    # A device is no list of feeds either, whatever its size: refused unread (#13, point 8).
    refusals = {
        str(huge): "refused: over 16 MB, far more than any list of feeds",
        "/dev/zero": "cannot be read (a character device, not a regular file)",
    }
    for file, refusal in refusals.items():
        if not Path(file).exists():
            continue
        result = run("feeds", "import", file)
        assert result.returncode == 1
        assert b"Traceback" not in result.stderr
        assert result.stderr.decode() == f"nieuwslezer: {file}: {refusal}\n"
        assert not feeds_toml().exists()


def test_feeds_add_refuses_a_title_that_is_not_utf8() -> None:
    result = run("feeds", "add", "nos", "--title", b"NOS \x85")
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr
    assert rb"--title 'NOS \x85' holds bytes that are not UTF-8" in result.stderr
    assert not feeds_toml().exists()


# -- #13, point 16: what would fail only at fetch time, or be fetched as another address ------


def feeds(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`nieuwslezer feeds ARGS` in this process: exit status, stdout, stderr."""
    from reader.cli import main

    try:
        status = main(["feeds", *args])
    except SystemExit as exit_:  # argparse's usage error
        status = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return status, out, err


REFUSED = [
    ("http://h.nl/a\nb", "it holds a control character (U+000A)"),
    ("http://h.nl/\x1b[2J", "it holds a control character (U+001B)"),
    ("http://h.nl/a b", "it holds white space (U+0020)"),
    ("http://h.nl/\u202egpj.exe", "it holds an invisible formatting character (U+202E)"),
    ("http://h.nl:99999/feed", "its port '99999' is not a number from 1 to 65535"),
    ("http://h.nl:65536/feed", "its port '65536' is not a number from 1 to 65535"),
    ("http://h.nl:0/feed", "its port '0' is not a number from 1 to 65535"),  # requests: port 80
    ("http://h.nl:\uff18\uff10/feed", "its port '\uff18\uff10' is not a number from 1 to 65535"),
    ("http://h.nl:-1/feed", "its port '-1' is not a number from 1 to 65535"),
    ("http://[::1/feed", "it is not a well-formed address"),
    # requests fetches http://h.nl/%5Cevil.nl/feed: another address than the one shown.
    ("http://h.nl\\evil.nl/feed", "its host 'h.nl\\\\evil.nl' is no host name"),
    ("http://exa%00mple.nl/feed", "its host 'exa%00mple.nl' is no host name"),
    ("http://nos..nl/feed", "its host 'nos..nl' is no host name"),
    ("http://☃.nl/feed", "its host '☃.nl' is no host name"),
    ("http://" + "a" * 64 + ".nl/feed", f"its host '{'a' * 64}.nl' is no host name"),
    ("ftp://h.nl/feed", "it is not an http:// or https:// address"),
    ("feed://h.nl/feed", "it is not an http:// or https:// address"),
    ("file:///etc/passwd", "it is not an http:// or https:// address"),
    ("http:///feed", "it names no host"),
]


@pytest.mark.parametrize(("address", "problem"), REFUSED)
def test_feeds_add_refuses_an_address_that_would_fail_or_change_at_fetch_time(
    capsys: pytest.CaptureFixture[str], address: str, problem: str
) -> None:
    status, out, err = feeds(capsys, "add", address)
    assert status == 2, (out, err)
    assert f"'{make_visible(address)}' is neither a feed address (http:// or https://)" in err
    if address.startswith("http"):
        assert f"as an address, {problem}" in err
    assert "\x1b" not in err and "a\nb" not in err and "\u202e" not in err
    assert not feeds_toml().exists()


ACCEPTED = [
    "https://example.nl/a?b=1&c=2#top",
    "http://127.0.0.1:8080/feed.xml",
    "http://[::1]:8080/feed",
    "https://user@feeds.example.nl/rss",
    "https://ëxample.nl/nieuws/ü?q=é",
    "HTTPS://EXAMPLE.NL/Feed.xml",
    "https://example.nl/%20x%0A?'\"<>",
    "https://a_b.example.nl:443/rss",
    "https://example.nl./rss",
]


def test_feeds_export_gives_every_address_back_as_it_was_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from reader.feeds.subscriptions import parse_opml

    for address in ACCEPTED:
        status, _, err = feeds(capsys, "add", address)
        assert status == 0, err
    status, opml, err = feeds(capsys, "export")
    assert status == 0, err
    subscriptions, problems = parse_opml(opml.encode(), "export")
    assert problems == []
    assert [subscription.url for subscription in subscriptions] == ACCEPTED


def test_feeds_import_leaves_out_each_unusable_address_naming_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.feeds.subscriptions import _xml_attribute

    # XML cannot carry C0 controls but a line end, even as a reference: those are left out.
    refused = [(a, problem) for a, problem in REFUSED if "\x1b" not in a]
    outlines = [f'<outline xmlUrl="{_xml_attribute(address)}"/>' for address, _ in refused]
    lines = ['<opml version="2.0"><body>', *outlines, '<outline xmlUrl="https://nos.nl/rss"/>']
    opml = tmp_path / "list.opml"
    opml.write_text("\n".join([*lines, "</body></opml>\n"]), encoding="utf-8")
    status, out, err = feeds(capsys, "import", str(opml))
    assert status == 0, err
    assert out.splitlines()[0] == "added https://nos.nl/rss"
    for line, (address, problem) in enumerate(refused, 2):
        assert f"{opml}:{line}: {make_visible(repr(address))} left out: {problem}\n" in err
    assert "\u202e" not in err
    assert feeds_toml().read_text(encoding="utf-8").count("url =") == 1
