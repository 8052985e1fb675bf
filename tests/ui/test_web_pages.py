"""`o` (#12, points 10 and 11): only http(s) pages are opened, an article without one says so,
and a browser never writes over the reader: detached, or with the reader suspended."""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.feeds.subscriptions import add_subscription
from reader.model import Article
from reader.ui.app import ReaderApp
from tests.conftest import nieuwslezer_command
from tests.feed_server import FeedServer, Route
from tests.terminal import Terminal
from tests.ui.test_feed_sources import keep_days, messages, reader
from tests.ui.test_feeds import FEEDS, NOS, choose_source, settled
from tests.ui.test_feeds import server as server  # a fixture
from tests.ui.test_feeds import subscribed as subscribed  # a fixture

MARK = "BROWSER-WROTE-THIS"

UNUSABLE_LINKS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Vreemde links</title>
<item><title>Zonder link</title><guid isPermaLink="false">geen</guid>
  <description>Een bericht zonder adres.</description></item>
<item><title>Met javascript</title><link>javascript:alert(1)</link>
  <description>Een bericht met een script als adres.</description></item>
<item><title>Met een bestand</title><link>file:///etc/passwd</link>
  <description>Een bericht met een bestand als adres.</description></item>
</channel></rss>"""


def browser_script(folder: Path) -> tuple[Path, Path]:
    """A browser that writes to its output and records how it was started."""
    record = folder / "browser-record.json"
    script = folder / "fake-browser"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        f"print({MARK!r}, flush=True)\n"
        f"print({MARK!r}, file=sys.stderr, flush=True)\n"
        "null = os.open(os.devnull, os.O_RDONLY)\n"
        "seen = {'url': sys.argv[1], 'session': os.getsid(0),\n"
        "        'output_to_null': os.path.sameopenfile(1, null),\n"
        "        'errors_to_null': os.path.sameopenfile(2, null)}\n"
        f"open({str(record)!r}, 'w').write(json.dumps(seen))\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script, record


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def wait_for(path: Path, pilot: Pilot[int]) -> dict[str, object]:
    for _ in range(200):
        if path.exists() and path.read_text(encoding="utf-8"):
            return dict(json.loads(path.read_text(encoding="utf-8")))
        await pilot.pause(0.02)
    raise AssertionError(f"{path} was never written")


async def show_nos_article(app: ReaderApp, pilot: Pilot[int]) -> str:
    await choose_source(app, pilot, NOS)
    shown = app.reader.shown
    assert isinstance(shown, Article) and shown.link
    return shown.link


async def test_an_item_without_a_web_page_shows_its_feed_and_o_says_so(
    server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script, record = browser_script(tmp_path)
    monkeypatch.setenv("BROWSER", str(script))
    feed = add_subscription(server.add("/vreemd.xml", Route(UNUSABLE_LINKS)))[0].url
    keep_days(36500)
    async with reader() as (app, pilot):
        strange = [a for a in app.articles.items if a.feed == feed]
        assert len(strange) == 3
        for article in strange:
            app.articles.select_item(article)
            await pilot.pause()
            assert app.shows(article)  # its row: the article in full
            assert f"feed {feed} · no web page" in app.reader.text
            assert "line 0" not in app.reader.text
            await pilot.press("o")
            await pilot.pause()
            assert messages(app)[-1] == "This article has no web page."
        await settled(pilot)
        assert not record.exists()  # no browser was started


async def test_a_graphical_browser_never_writes_over_the_reader(
    subscribed: FeedServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    script, record = browser_script(tmp_path)
    monkeypatch.setenv("BROWSER", str(script))
    async with reader() as (app, pilot):
        link = await show_nos_article(app, pilot)
        await pilot.press("o")
        seen = await wait_for(record, pilot)
        await settled(pilot)
    out, err = capfd.readouterr()
    assert MARK not in out and MARK not in err
    assert seen["url"] == link
    assert seen["output_to_null"] and seen["errors_to_null"]
    assert seen["session"] != os.getsid(0)  # Ctrl+C in the reader does not reach it


async def test_a_terminal_browser_runs_while_the_reader_is_suspended(
    subscribed: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script, record = browser_script(tmp_path)
    monkeypatch.setenv("BROWSER", str(script))
    config = Path(os.environ["NIEUWSLEZER_CONFIG_DIR"]) / "config.toml"
    config.write_text("[feeds]\nkeep_days = 36500\n[browser]\nterminal = true\n", encoding="utf-8")
    suspensions: list[bool] = []

    @contextmanager
    def suspend() -> Iterator[None]:  # the test driver cannot suspend; record that it was
        yield
        suspensions.append(record.exists())  # the browser ran, and ended, while suspended

    async with reader() as (app, pilot):
        monkeypatch.setattr(app, "suspend", suspend)
        link = await show_nos_article(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        assert suspensions == [True]
        seen = json.loads(record.read_text(encoding="utf-8"))
        assert seen["url"] == link
        assert not seen["output_to_null"]  # the terminal is its to draw in


async def test_a_terminal_browser_where_the_reader_cannot_step_aside_is_not_run(
    subscribed: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script, record = browser_script(tmp_path)
    monkeypatch.setenv("BROWSER", f"{script}")
    monkeypatch.setattr("reader.browser.TERMINAL_BROWSERS", frozenset({script.name}))
    async with reader() as (app, pilot):  # the test driver cannot suspend
        link = await show_nos_article(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        assert not record.exists()
        assert app.clipboard == link
        assert "cannot be handed over" in messages(app)[-1]


def test_ctrl_c_in_a_terminal_browser_ends_the_browser_and_the_reader_comes_back(
    server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real reader on a pseudo-terminal, really suspended: Ctrl+C while the browser runs
    reaches the whole foreground group, the reader too, which must live on (its asyncio loop
    would end the app on SIGINT); the browser, SIGINT at its default, ends."""
    add_subscription(server.add_file("/nos.xml", FEEDS / "rss2_full.xml"))
    config = Path(os.environ["NIEUWSLEZER_CONFIG_DIR"]) / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[feeds]\nkeep_days = 36500\n[browser]\nterminal = true\n", encoding="utf-8")
    script = tmp_path / "terminal-browser"
    running = tmp_path / "browser-pid"
    script.write_text(  # Python: SIGINT at its default ends it at any moment, a shell not
        f"#!{sys.executable}\n"
        "import os, time\n"
        f"open({str(running)!r}, 'w').write(str(os.getpid()))\n"
        "print('BROWSER-RUNNING', flush=True)\n"
        "time.sleep(30)\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(script))
    terminal = Terminal(nieuwslezer_command())
    ended: list[int] = []

    def reader_ended() -> bool:
        if not ended:
            pid, status = os.waitpid(terminal.pid, os.WNOHANG)
            if pid:
                ended.append(os.waitstatus_to_exitcode(status))
        return bool(ended)

    try:
        assert terminal.wait_for(lambda text: "Weerbericht" in text), terminal.text()
        terminal.send("o")
        assert terminal.wait_for(lambda text: "BROWSER-RUNNING" in text, 10), terminal.text()
        terminal.send("\x03")  # Ctrl+C, which the terminal turns into SIGINT
        browser = int(running.read_text(encoding="utf-8"))
        terminal.wait_for(lambda _: reader_ended() or not alive(browser), 10)
        terminal.read(0.5)
        assert not reader_ended(), f"the reader ended with {ended[0]} on Ctrl+C in the browser"
        assert not alive(browser), "Ctrl+C ended the browser (and the reader waited for it)"
        terminal.send("?")  # and answers keys
        assert terminal.wait_for(lambda text: "Move between the panes" in text, 10)
        terminal.send("\x1b")
        assert terminal.wait_for(lambda text: "Move between the panes" not in text, 10)
        terminal.send("q")
        assert terminal.wait_for(lambda _: reader_ended(), 10) and ended == [0]
    finally:
        if not reader_ended():
            os.kill(terminal.pid, signal.SIGKILL)
            os.waitpid(terminal.pid, 0)
