"""Opening an article's web page: which browser, and how to run it without harm to the reader.

The reader draws in the terminal, so a browser must never write to it unasked. A graphical
browser (or the desktop's opener, xdg-open, macOS `open`) runs detached: no standard input,
output or error of ours, in a session of its own. A terminal browser (`BROWSER=w3m`, `less`)
needs the terminal: the reader suspends itself while it runs (see reader/ui/web_pages.py).
Which programs are terminal browsers: those named in TERMINAL_BROWSERS, or any when
config.toml says `[browser] terminal = true` (a script of the user's, for instance).

Python's webbrowser module is not used on Linux: it runs $BROWSER in our terminal and waits
for it, and without a graphical browser falls back on lynx or w3m in that terminal. Only
http and https addresses are ever opened: a feed may give `javascript:` or `file:` links.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from reader.config import config_table
from reader.model import Value
from reader.web_links import is_web_link

# Programs that draw in the terminal they are started from: the reader steps aside for them.
TERMINAL_BROWSERS = frozenset(
    {"lynx", "w3m", "links", "links2", "elinks", "browsh", "carbonyl", "www-browser"}
    | {"less", "more", "most"}
)
_NOT_WEB = "not an http or https address"
# How long a detached browser has to fail (a wrong command, a script that exits 1) before
# it counts as started: a graphical browser stays running, or hands over and exits 0.
START_GRACE_SECONDS = 1.0


_set = object.__setattr__  # frozen: fields set as a dataclass sets them


class Browser(Value):
    """A command that opens an address; `%s` in it stands for the address."""

    __slots__ = ("command", "in_terminal")

    command: tuple[str, ...]
    in_terminal: bool  # it draws in our terminal: the reader must step aside

    def __init__(self, command: tuple[str, ...], in_terminal: bool) -> None:
        _set(self, "command", command)
        _set(self, "in_terminal", in_terminal)

    @property
    def name(self) -> str:
        return Path(self.command[0]).name

    def command_for(self, url: str) -> list[str]:
        """The command line for `url`: in place of `%s`, else after the command."""
        if any("%s" in part for part in self.command):
            return [part.replace("%s", url) for part in self.command]
        return [*self.command, url]


def choose_browser(
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    terminal: bool | None = None,
) -> Browser | None:
    """The browser to use: the first of $BROWSER's entries (separated by os.pathsep, as
    Python's webbrowser and xdg-utils read it) that is installed; without $BROWSER the
    desktop's opener where there is a desktop. None: no browser here.

    `terminal` is the user's word on whether $BROWSER runs in the terminal (config.toml's
    `[browser] terminal`); None: decided by the program's name."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    chosen = environ.get("BROWSER", "").strip()
    if chosen:
        for entry in chosen.split(os.pathsep):
            command = _split(entry)
            if command and command[-1] == "&":  # "run in the background": detached anyway
                command = command[:-1]
            if command and _installed(command[0], environ):
                by_name = Path(command[0]).name.lower() in TERMINAL_BROWSERS
                return Browser(tuple(command), by_name if terminal is None else terminal)
        return None
    if platform == "darwin":
        return Browser(("open",), in_terminal=False)
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        for opener in (("xdg-open",), ("gio", "open")):
            if _installed(opener[0], environ):
                return Browser(opener, in_terminal=False)
    return None


def terminal_setting(path: Path | None = None) -> tuple[bool | None, list[str]]:
    """config.toml's `[browser] terminal` (None when not set), and problems reading it."""
    values, problems = config_table("browser", ("terminal",), path)
    terminal = values.get("terminal")
    if terminal is None or isinstance(terminal, bool):
        return terminal, problems
    return None, [*problems, f"[browser] terminal = {terminal!r} is not true or false; ignored"]


def start_detached(browser: Browser, url: str) -> str | None:
    """Start a graphical browser on `url`, detached from our terminal; None when it started,
    else why not. Waits up to START_GRACE_SECONDS: call it from a worker."""
    if not is_web_link(url):  # the caller checked; a browser must never get anything else
        return _NOT_WEB
    if sys.platform == "win32":  # no terminal to protect; the shell opens it
        os.startfile(url)  # type: ignore[attr-defined]
        return None
    try:
        process = subprocess.Popen(
            browser.command_for(url),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not ours: Ctrl+C in the reader does not reach it
            close_fds=True,
        )
    except OSError as error:
        return f"{browser.name} could not be started ({error.strerror or error})"
    try:
        status = process.wait(START_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        return None  # still running: a browser window
    return None if status == 0 else f"{browser.name} exited with status {status}"


def run_in_terminal(browser: Browser, url: str) -> str | None:
    """Run a terminal browser on `url` in our terminal until it ends (the caller has
    suspended the reader); None when it ran, else why not. Call it from the main thread.

    Ctrl+C and Ctrl+\\ in the browser reach every process of the terminal's foreground
    group, the reader too, whose asyncio loop would end the app on SIGINT: the reader ignores
    both while the browser runs. An ignored signal would stay ignored across exec: the
    browser is started with them at their defaults, as a shell starts a program."""
    if not is_web_link(url):
        return _NOT_WEB
    command = browser.command_for(url)
    try:
        with _keyboard_signals_ignored():
            status = _run(command)
    except OSError as error:
        return f"{browser.name} could not be started ({error.strerror or error})"
    if status == 0 or status == -signal.SIGINT:  # Ctrl+C: the user's way out of it
        return None
    if status < 0:
        return f"{browser.name} was ended by {signal.Signals(-status).name}"
    return f"{browser.name} exited with status {status}"


# Ctrl+C and Ctrl+\; Windows has no SIGQUIT (nor a terminal to hand over).
_KEYBOARD_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGQUIT") if hasattr(signal, name)
)
# What the browser gets back at their default: those, and those Python ignores (as
# subprocess's restore_signals gives them back).
_DEFAULT_IN_BROWSER = _KEYBOARD_SIGNALS + tuple(
    getattr(signal, name) for name in ("SIGPIPE", "SIGXFSZ") if hasattr(signal, name)
)


@contextmanager
def _keyboard_signals_ignored() -> Iterator[None]:
    """Ignore Ctrl+C and Ctrl+\\ in this process meanwhile (only the main thread can, which
    is where the reader's keys run), each restored after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {number: signal.signal(number, signal.SIG_IGN) for number in _KEYBOARD_SIGNALS}
    try:
        yield
    finally:
        for number, handler in before.items():  # None: not set from Python; the default
            signal.signal(number, signal.SIG_DFL if handler is None else handler)


def _run(command: list[str]) -> int:
    """Run `command` on our terminal until it ends, with the signals a shell would give it:
    its exit status, or minus the signal that ended it."""
    if not hasattr(os, "posix_spawnp"):  # Windows
        return subprocess.run(command, check=False).returncode
    # posix_spawn sets the signals back in the child itself: subprocess's preexec_fn would
    # run Python between fork and exec, unsafe while the reader's worker threads run.
    pid = os.posix_spawnp(command[0], command, os.environ, setsigdef=_DEFAULT_IN_BROWSER)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _split(entry: str) -> list[str]:
    try:
        return shlex.split(entry)
    except ValueError:  # an unbalanced quote: the entry as one program name
        return [entry.strip()] if entry.strip() else []


def _installed(program: str, environ: Mapping[str, str]) -> bool:
    return shutil.which(program, path=environ.get("PATH")) is not None
