"""reader/browser.py: which browser opens a page, and that it never gets our terminal unasked."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from reader.browser import (
    Browser,
    choose_browser,
    run_in_terminal,
    start_detached,
    terminal_setting,
)


def programs(folder: Path, *names: str) -> dict[str, str]:
    """An environment whose PATH holds only these (empty) programs."""
    for name in names:
        program = folder / name
        program.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
        program.chmod(0o755)
    return {"PATH": str(folder)}


@pytest.mark.parametrize("name", ["less", "w3m", "lynx", "elinks", "links"])
def test_a_known_terminal_program_in_BROWSER_gets_the_terminal(tmp_path: Path, name: str) -> None:
    environ = programs(tmp_path, name) | {"BROWSER": name, "DISPLAY": ":0"}
    browser = choose_browser(environ, "linux")
    assert browser == Browser((name,), in_terminal=True)


def test_any_other_program_runs_detached_unless_the_user_says_otherwise(tmp_path: Path) -> None:
    environ = programs(tmp_path, "open-url") | {"BROWSER": "open-url --new-tab %s"}
    browser = choose_browser(environ, "linux")
    assert browser == Browser(("open-url", "--new-tab", "%s"), in_terminal=False)
    assert browser.command_for("https://nos.nl/a") == ["open-url", "--new-tab", "https://nos.nl/a"]
    assert choose_browser(environ, "linux", terminal=True) == Browser(
        ("open-url", "--new-tab", "%s"), in_terminal=True
    )
    assert choose_browser(programs(tmp_path, "w3m") | {"BROWSER": "w3m"}, "linux", False) == (
        Browser(("w3m",), in_terminal=False)
    )


def test_the_first_installed_entry_of_BROWSER_is_used(tmp_path: Path) -> None:
    environ = programs(tmp_path, "firefox") | {"BROWSER": os.pathsep.join(["nowhere", "firefox &"])}
    assert choose_browser(environ, "linux") == Browser(("firefox",), in_terminal=False)
    assert choose_browser({"PATH": str(tmp_path), "BROWSER": "nowhere"}, "linux") is None


def test_without_BROWSER_the_desktop_opener_and_never_a_console_browser(tmp_path: Path) -> None:
    environ = programs(tmp_path, "xdg-open", "w3m", "lynx")
    assert choose_browser(environ | {"DISPLAY": ":0"}, "linux") == Browser(("xdg-open",), False)
    assert choose_browser(environ | {"WAYLAND_DISPLAY": "wayland-0"}, "linux") is not None
    assert choose_browser(environ, "linux") is None  # no display: w3m would take the terminal
    assert choose_browser({"PATH": ""}, "darwin") == Browser(("open",), False)


def test_the_terminal_setting_is_read_from_config_toml(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    assert terminal_setting(config) == (None, [])
    config.write_text("[browser]\nterminal = true\n", encoding="utf-8")
    assert terminal_setting(config) == (True, [])
    config.write_text('[browser]\nterminal = "ja"\n', encoding="utf-8")
    terminal, problems = terminal_setting(config)
    assert terminal is None and "not true or false" in problems[0]


def test_only_web_addresses_are_given_to_a_browser(tmp_path: Path) -> None:
    record = tmp_path / "ran"
    script = tmp_path / "browser"
    script.write_text(f"#!/bin/sh\ntouch {record}\n", encoding="utf-8")
    script.chmod(0o755)
    browser = Browser((str(script),), in_terminal=False)
    for address in ("javascript:alert(1)", "file:///etc/passwd", "http:/no-host", " http://x/"):
        assert start_detached(browser, address) == "not an http or https address"
        assert run_in_terminal(browser, address) == "not an http or https address"
    assert not record.exists()


def test_a_browser_that_fails_at_once_says_so(tmp_path: Path) -> None:
    failing = tmp_path / "failing"
    failing.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    failing.chmod(0o755)
    url = "https://nos.nl/artikel/1"
    assert start_detached(Browser((str(failing),), False), url) == "failing exited with status 3"
    missing = Browser((str(tmp_path / "missing"),), False)
    assert "missing could not be started" in str(start_detached(missing, url))


def test_ctrl_c_in_a_terminal_browser_ends_the_browser_not_its_caller(tmp_path: Path) -> None:
    """The browser sends SIGINT to its process group, as Ctrl+C does to the terminal's
    foreground group; the caller (a process of its own group here, so that pytest is not in
    it) survives, and the browser itself had SIGINT at its default."""
    record = tmp_path / "record.json"
    browser = tmp_path / "browser"
    browser.write_text(
        f"#!{sys.executable}\n"
        "import json, os, signal, sys, time\n"
        "ignored = signal.getsignal(signal.SIGINT) is signal.SIG_IGN\n"
        f"open({str(record)!r}, 'w').write(json.dumps({{'ignored': ignored}}))\n"
        "os.killpg(0, signal.SIGINT)\n"
        "time.sleep(10)\n",
        encoding="utf-8",
    )
    browser.chmod(0o755)
    caller = (
        "import signal\n"
        "from reader.browser import Browser, run_in_terminal\n"
        "before = signal.getsignal(signal.SIGINT)\n"
        f"problem = run_in_terminal(Browser(({str(browser)!r},), True), 'https://nos.nl/a')\n"
        "print(repr(problem), signal.getsignal(signal.SIGINT) is before)\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", caller],
        capture_output=True,
        text=True,
        timeout=30,
        start_new_session=True,
    )
    assert (ran.returncode, ran.stdout.strip()) == (0, "None True"), ran.stderr
    assert json.loads(record.read_text(encoding="utf-8")) == {"ignored": False}


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_a_terminal_browser_starts_with_the_signals_a_shell_would_give_it(tmp_path: Path) -> None:
    """Python ignores SIGPIPE and SIGXFSZ, the reader SIGINT and SIGQUIT while the browser
    runs: none of them is ignored in the browser."""
    record = tmp_path / "ignored"
    browser = tmp_path / "browser"
    browser.write_text(f"#!/bin/sh\ngrep SigIgn /proc/$$/status > {record}\n", encoding="utf-8")
    browser.chmod(0o755)
    caller = (
        "from reader.browser import Browser, run_in_terminal\n"
        f"print(run_in_terminal(Browser(({str(browser)!r},), True), 'https://nos.nl/a'))\n"
    )
    ran = subprocess.run([sys.executable, "-c", caller], capture_output=True, text=True)
    assert ran.stdout.strip() == "None", ran.stderr
    ignored = int(record.read_text(encoding="utf-8").split()[1], 16)
    for number in (signal.SIGINT, signal.SIGQUIT, signal.SIGPIPE, signal.SIGXFSZ):
        assert not ignored & 1 << (number - 1), f"{number.name} is ignored in the browser"
