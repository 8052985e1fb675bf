"""The session is saved however the reader is ended: `q`, and SIGTERM/SIGHUP as a system or
a closed terminal sends them (the real program on a pseudo-terminal); `--fresh` on the
command line."""

from __future__ import annotations

import gc
import os
import signal
from pathlib import Path

import pytest

from reader import cli
from reader.commands import read
from reader.library.session import load_session
from reader.library.state import Library
from reader.ui import app as app_module
from tests.conftest import nieuwslezer_command
from tests.terminal import Terminal
from tests.ui.test_session import write_pages


def saved_article(pages: Path) -> str | None:
    with Library.open() as library:
        session = load_session(library).session
    return None if session is None or session.article is None else session.article


@pytest.mark.parametrize(
    "ending",
    ["q", signal.SIGTERM, signal.SIGHUP, signal.SIGINT],
    ids=["q", "SIGTERM", "SIGHUP", "SIGINT"],
)
def test_the_session_is_saved_on_quitting_and_on_termination(
    tmp_path: Path, ending: str | signal.Signals
) -> None:
    pages = write_pages(tmp_path / "pages", 3, paragraphs=3)
    terminal = Terminal([*nieuwslezer_command(), str(pages)])
    try:
        assert terminal.wait_for(lambda text: "unread" in text), terminal.text()  # library open
        terminal.send("j")
        assert terminal.wait_for(lambda text: "Bericht 1, alinea 0" in text), terminal.text()
        if isinstance(ending, str):
            terminal.send(ending)
        else:
            os.kill(terminal.pid, ending)
        assert terminal.wait_exit() == 0
    finally:
        os.close(terminal.fd)
    article = saved_article(pages)
    assert article is not None and article.startswith(f"page:{pages / '001.txt'}:")


def test_fresh_on_the_command_line_starts_without_restoring(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    restored: list[bool] = []

    def run_reader(*_: object, restore: bool, **__: object) -> int:
        restored.append(restore)
        return 0

    monkeypatch.setattr(read, "_not_a_terminal", lambda: None)
    monkeypatch.setattr(app_module, "run_reader", run_reader)
    try:
        assert cli.main(["--fresh"]) == 0
        assert cli.main([]) == 0
        assert cli.main(["--fresh", "--samples"]) == 0
    finally:
        gc.enable()  # the reader's start turns it off until its first frame
    assert restored == [False, True, False]
