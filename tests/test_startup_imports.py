"""What the reader imports on the way to its first frame (#14): only what that frame needs.

Each run goes through `reader.cli.main` in a fresh interpreter, as `nieuwslezer` does, up to
the point where the app would start, and lists what is imported by then.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# The translation backends and HTTP's modules come with the first `t`; TOML's only with a
# config file to read; argparse's only with arguments to parse; a search's marks with the
# first search (and json with a store, or a search).
NOT_BEFORE_THE_FIRST_FRAME = [
    "reader.translate.backends",
    "reader.http_errors",
    "http",
    "tomllib",
    "argparse",
    "reader.ui.match_marks",
    "reader.browser",  # with the first `o`, and shlex with it
    "shlex",
    "json",
    "textual_serve",  # `nieuwslezer serve` only
    "aiohttp",
]

_STARTED_UP_TO_THE_APP = """
import sys
import reader.ui.app
from reader.cli import main
from reader.commands import read

watched = {watched!r}


def run_reader(*args, **kwargs):
    print("app started with", sorted(m for m in watched if m in sys.modules))
    return 0


read._not_a_terminal = lambda: None
reader.ui.app.run_reader = run_reader
sys.exit(main({arguments!r}))
"""


def run_python(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`code` run by this Python, with config, data and cache folders of its own."""
    env = {
        **os.environ,
        "NIEUWSLEZER_CONFIG_DIR": str(tmp_path / "config"),
        "NIEUWSLEZER_DATA_DIR": str(tmp_path / "data"),
        "NIEUWSLEZER_CACHE_DIR": str(tmp_path / "cache"),
    }
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )


def start(tmp_path: Path, *arguments: str) -> str:
    """Start the reader with `arguments` (none: on the samples), up to the app; what it
    printed, or its usage error."""
    code = _STARTED_UP_TO_THE_APP.format(watched=NOT_BEFORE_THE_FIRST_FRAME, arguments=arguments)
    result = run_python(code, tmp_path)
    if result.returncode == 2:
        return result.stderr.strip().splitlines()[-1]
    assert not result.stderr, result.stderr
    return result.stdout.strip()


def test_the_reader_starts_without_translation_backends_http_toml_or_argparse(
    tmp_path: Path,
) -> None:
    """Checking the translator settings built the backend, importing its module and HTTP's
    (~5 ms of a ~250 ms start); tomllib was imported with no config file to read; argparse
    and the parser it builds (~3 ms) with no arguments to parse."""
    assert start(tmp_path) == "app started with []"


def test_arguments_are_still_parsed(tmp_path: Path) -> None:
    assert start(tmp_path, "--samples") == "app started with ['argparse']"
    assert start(tmp_path, "--nope") == "nieuwslezer: error: unrecognized arguments: --nope"


def test_a_config_file_is_still_read_at_start_up(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text('[translation]\nbackend = "nope"\n')
    assert start(tmp_path) == "app started with ['tomllib']"


def test_a_translator_that_cannot_work_is_still_a_usage_error_at_start_up(
    tmp_path: Path,
) -> None:
    assert start(tmp_path, "--translator", "libre").startswith(
        "nieuwslezer: error: the libre translator needs"
    )
    assert start(tmp_path, "--translator-url", "ftp://example.nl").startswith(
        "nieuwslezer: error: the translator address 'ftp://example.nl' is not usable"
    )


_PEEKED_WITHOUT_A_STORE = """
import sys
from pathlib import Path

from reader.feeds.peek import newest_rows

print(newest_rows(path=Path({path!r})), "reader.feeds.store_rows" in sys.modules,
      "json" in sys.modules, "sqlite3" in sys.modules)
"""


def test_no_store_is_peeked_at_without_importing_its_modules(tmp_path: Path) -> None:
    """The reader's first frame asks for the newest stored rows; with no store there is
    nothing to read, and the store's row module (and json, which it imports) cost ~6 ms."""
    code = _PEEKED_WITHOUT_A_STORE.format(path=str(tmp_path / "feeds.sqlite3"))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.split() == ["([],", "None)", "False", "False", "False"]


_RUN_TO_THE_FIRST_FRAME = """
import sys
import threading

imported_by_the_interface = []


def note(event, arguments):
    if event == "import" and threading.current_thread() is threading.main_thread():
        imported_by_the_interface.append(arguments[0])


sys.addaudithook(note)
import reader.commands.read
import reader.ui.app
from reader.cli import main


async def first_frame(pilot):
    watched = {watched!r}
    print(sorted(set(imported_by_the_interface).intersection(watched)))
    pilot.app.exit()


run = reader.ui.app.ReaderApp.run
reader.ui.app.ReaderApp.run = lambda app: run(app, headless=True, auto_pilot=first_frame)
reader.commands.read._not_a_terminal = lambda: None
main([])
"""


def test_the_first_article_of_the_samples_shows_without_the_feed_store(tmp_path: Path) -> None:
    """Showing an article asked for the store's error class before knowing whether the
    article came from the store: on the samples that imported the store, SQLite and json on
    the interface's thread before the first frame (~6 ms). Workers may import them."""
    code = _RUN_TO_THE_FIRST_FRAME.format(watched=["reader.feeds.store", "sqlite3", "json"])
    result = run_python(code, tmp_path)
    assert result.stdout.strip() == "[]", result.stderr


_DATACLASSES_ON_THE_WAY = """
import inspect
import sys

import reader.cli
import reader.commands.read
import reader.ui.app

print(sorted(
    f"{name}.{attribute}"
    for name, module in list(sys.modules.items())
    if name.startswith("reader")
    for attribute, value in vars(module).items()
    if inspect.isclass(value) and value.__module__ == name
    and "__dataclass_params__" in value.__dict__
))
"""


def test_no_dataclass_is_made_on_the_way_to_the_first_frame() -> None:
    """@dataclass compiles its methods as the class is made: ~0.5 ms each, at every start.
    The modules the reader imports before its first frame use reader.model.Value instead."""
    result = subprocess.run(
        [sys.executable, "-c", _DATACLASSES_ON_THE_WAY],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "[]"
