"""What `nieuwslezer serve` lets through to a reader: the page's messages checked, the
terminal's size bounded, the names the page is served under; and its command line."""

from __future__ import annotations

import socket

import pytest

from reader.commands.serve import _parse, _parser
from reader.commands.serve_server import (
    MAX_COLUMNS,
    MAX_ROWS,
    TabMessage,
    host_names,
    is_address,
    tab_message,
    terminal_size,
)


@pytest.mark.parametrize(
    ("sent", "taken"),
    [
        ('["stdin", "jjk"]', TabMessage("stdin", "jjk")),
        ('["resize", {"width": 120, "height": 40}]', TabMessage("resize", (120, 40))),
        ('["resize", {"width": 3000, "height": 2000}]', TabMessage("resize", (500, 200))),
        ('["ping", "1733500000"]', TabMessage("ping", "1733500000")),
        ('["blur"]', TabMessage("blur", None)),
        ('["focus"]', TabMessage("focus", None)),
    ],
)
def test_what_the_page_sends_reaches_the_reader(sent: str, taken: TabMessage) -> None:
    assert tab_message(sent) == taken


@pytest.mark.parametrize(
    "sent",
    [
        "not json",
        "{}",
        "[]",
        "[5]",
        '["stdin", 5]',
        '["stdin", "\\ud800"]',
        '["resize", {}]',
        '["resize", {"width": -3, "height": -3}]',
        '["resize", {"width": 0, "height": 10}]',
        '["resize", {"width": true, "height": 10}]',
        '["resize", {"width": 1e9, "height": 10}]',
        '["resize", [80, 24]]',
        '["quit"]',
    ],
)
def test_what_no_reader_should_get_is_refused_with_a_reason(sent: str) -> None:
    """A negative size crashed the reader in Textual's compositor; the others gave the
    server's output a traceback each."""
    with pytest.raises(ValueError) as refused:
        tab_message(sent)
    assert sent not in str(refused.value)  # said, not repeated


def test_the_terminal_size_in_the_pages_address_is_bounded() -> None:
    assert terminal_size("100", "30") == (100, 30)
    assert terminal_size("99999", "99999") == (MAX_COLUMNS, MAX_ROWS)
    for columns, rows in (("-5", "30"), ("0", "30"), ("²", "30"), ("1e3", "30"), ("", "")):
        assert terminal_size(columns, rows) is None


def test_the_page_is_served_under_addresses_and_this_machines_names() -> None:
    assert {"127.0.0.1", "localhost", "::1"} <= host_names("127.0.0.1", [])
    off_loopback = host_names("0.0.0.0", ["Mybox.lan"])
    assert {socket.gethostname().lower(), "mybox.lan", "localhost"} <= off_loopback
    assert "evil.example" not in off_loopback
    assert is_address("192.168.1.20") and is_address("[::1]") and is_address("fe80::1%eth0")
    assert not is_address("evil.example") and not is_address("127.0.0.1.nip.io")


@pytest.mark.parametrize(
    ("argv", "paths"),
    [
        (["--", "-x.txt"], ["-x.txt"]),
        (["a.txt", "--", "-x.txt", "--"], ["a.txt", "-x.txt", "--"]),
        (["a.txt", "--port", "8001", "b.txt"], ["a.txt", "b.txt"]),
    ],
)
def test_a_path_after_double_dash_is_a_path(argv: list[str], paths: list[str]) -> None:
    """Python 3.11's parse_intermixed_args refused `serve -- -x.txt`, which the terminal
    reader's commands take."""
    assert _parse(_parser(), argv).paths == paths
