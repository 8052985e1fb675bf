"""reader/browser.py: which browser opens a page, and that it never gets our terminal unasked."""

from __future__ import annotations

import os
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
