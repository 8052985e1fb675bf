"""`nieuwslezer serve`: the reader as a web page (textual-serve), driven over its websocket
as a browser tab drives it, and the command's own behaviour: the address it prints, the
warning off loopback, a port in use, Ctrl+C ending it and the readers it started."""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from reader.commands import read
from reader.commands.serve import reader_command
from tests.conftest import nieuwslezer_command
from tests.web.served import Tab, children, free_port, open_tab, running, serving, settle

FIRST_TITLE = "Oekraïne: Rusland zet"
CLAIMS_TITLE = "Who claims what"
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
PAGE = "{}\nUTRECHT (ANP) - Het kabinet trekt 3 miljoen euro uit, zegt de minister.\n"


async def test_a_tab_shows_the_samples_C_the_claims_and_q_ends_its_reader() -> None:
    with serving("--samples") as (server, port):
        async with aiohttp.ClientSession() as session:
            tab = await open_tab(session, port)
            assert await tab.wait_for(lambda text: FIRST_TITLE in text and "Quit" in text), (
                tab.text()
            )
            (reader,) = children(server.pid)
            await tab.send("C")
            assert await tab.wait_for(lambda text: CLAIMS_TITLE in text), tab.text()
            await tab.send("\x1b")  # Esc closes the claims, then q quits
            assert await tab.wait_for(lambda text: CLAIMS_TITLE not in text), tab.text()
            await tab.send("q")
            assert await tab.wait_closed(), "the page's socket closes with its reader"
            deadline = time.monotonic() + 30
            while running(reader) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not running(reader), "the tab's reader has ended"
            assert server.poll() is None, "the server serves on, for other tabs"


async def test_the_readers_read_the_paths_given_to_serve_as_the_user_wrote_them(
    tmp_path: Path,
) -> None:
    """A relative path, and one that would be taken for an option or a command."""
    (tmp_path / "eigen pagina.txt").write_text(PAGE.format("Een eigen pagina"), encoding="utf-8")
    (tmp_path / "export").write_text(PAGE.format("Een pagina die export heet"), encoding="utf-8")
    with serving("eigen pagina.txt", "export", cwd=tmp_path) as (_, port):
        async with aiohttp.ClientSession() as session:
            tab = await open_tab(session, port)
            assert await tab.wait_for(
                lambda text: "Een eigen pagina" in text and "Een pagina die export heet" in text
            ), tab.text()
            assert FIRST_TITLE not in tab.text(), "not the samples"


async def test_a_folder_named_reader_where_serve_starts_is_not_run(tmp_path: Path) -> None:
    """Each tab ran `python -m reader.cli` with the folder `serve` was started in first on
    the module path: started in a clone of this repository, its readers ran the clone's
    code and showed the clone's samples (another library key for each page); any folder
    named `reader` there was run."""
    (tmp_path / "reader").mkdir()
    (tmp_path / "reader" / "__init__.py").write_text("raise SystemExit('the wrong reader')\n")
    with serving("--samples", cwd=tmp_path) as (_, port):
        async with aiohttp.ClientSession() as session:
            tab = await open_tab(session, port)
            assert await tab.wait_for(lambda text: FIRST_TITLE in text), tab.text()


async def test_a_reader_that_cannot_start_closes_its_tab(tmp_path: Path) -> None:
    """The page moved away after `serve` started: the tab's reader says why and ends at
    once, without a frame. Its page then shows that the session ended, not a blank wait."""
    page = tmp_path / "pagina.txt"
    page.write_text(PAGE.format("Een eigen pagina"), encoding="utf-8")
    with serving(str(page)) as (server, port):
        page.unlink()
        async with aiohttp.ClientSession() as session:
            tab = await open_tab(session, port)
            assert await tab.wait_closed(), tab.text()
        server.send_signal(signal.SIGINT)
        out, _ = server.communicate(timeout=60)
    assert "nothing could be read" in out  # textual-serve passes a reader's stderr on


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl+C", "SIGTERM"])
async def test_two_tabs_are_two_readers_and_ctrl_c_ends_them_all(stop: signal.Signals) -> None:
    with serving("--samples") as (server, port):
        async with aiohttp.ClientSession() as session:
            tabs = [await open_tab(session, port) for _ in range(2)]
            for tab in tabs:
                assert await tab.wait_for(lambda text: FIRST_TITLE in text), tab.text()
            readers = children(server.pid)
            assert len(readers) == 2
            server.send_signal(stop)
            for tab in tabs:  # as a browser does, each page answers its socket's closing
                assert await tab.wait_closed(), tab.text()
            out, err = server.communicate(timeout=60)
    assert server.returncode == 0, err
    assert "Traceback" not in out + err
    assert "stopped" in out
    assert not [pid for pid in readers if running(pid)], "no reader is left running"


async def test_another_sites_page_in_the_browser_gets_no_reader() -> None:
    """A websocket is not bound to its page's site: without these checks any page the user
    visits could open one to the reader on 127.0.0.1 (or reach it by DNS rebinding: a name of
    its own made to resolve to 127.0.0.1), and read and subscribe as the user."""
    with serving() as (server, port):
        here = f"127.0.0.1:{port}"
        async with aiohttp.ClientSession() as session:
            for headers in (
                {"Origin": "http://evil.example"},  # another site's page
                {"Origin": f"http://evil.example:{port}", "Host": f"evil.example:{port}"},
            ):
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await session.ws_connect(f"http://{here}/ws", headers=headers)
                assert refused.value.status == 403
            async with session.get(f"http://{here}/", headers={"Host": "evil.example"}) as page:
                assert page.status == 403
            assert not children(server.pid), "no reader was started"
            for name in (here, f"localhost:{port}"):  # the page and its socket, at home
                async with session.get(f"http://{here}/", headers={"Host": name}) as page:
                    assert page.status == 200
                    assert f"ws://{name}/ws" in await page.text()
                websocket = await session.ws_connect(
                    f"http://{here}/ws", headers={"Origin": f"http://{name}", "Host": name}
                )
                await websocket.close()


def test_the_address_to_open_is_printed_and_loopback_needs_no_warning() -> None:
    with serving() as (server, port):
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=60)
    assert f"http://127.0.0.1:{port}/" in out
    assert "warning" not in err
    assert server.returncode == 0


def test_another_host_than_loopback_is_warned_of_on_stderr() -> None:
    with serving("--host", "0.0.0.0") as (server, _port):
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=60)
    assert "no authentication" in err
    assert "ssh -L" in err


def test_a_port_in_use_is_one_line_and_exit_1() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*nieuwslezer_command(), "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"nieuwslezer: port {port} is in use: choose another with --port"
    ]


def test_without_textual_serve_it_says_which_extra_to_install() -> None:
    code = (
        "import sys; sys.modules['textual_serve'] = sys.modules['textual_serve.server'] = None;"
        f"from reader.cli import main; sys.exit(main(['serve', '--port', '{free_port()}']))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "nieuwslezer: the web mode needs textual-serve: pip install 'nieuwslezer[web]'"
    ]


def test_paths_with_no_page_are_refused_before_serving(tmp_path: Path) -> None:
    result = subprocess.run(
        [*nieuwslezer_command(), "serve", "--port", str(free_port()), f"{tmp_path}/gone"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "nothing could be read" in result.stderr


def test_each_tab_runs_this_python_with_the_paths_quoted() -> None:
    args = argparse.Namespace(
        samples=True,
        fresh=True,
        translator="libre",
        translator_url="http://127.0.0.1:5000",
        paths=["a b/it's.txt", "$(touch x)", "export"],
    )
    command = shlex.split(reader_command(args))
    assert command == [
        "exec",
        sys.executable,
        "-P",
        "-m",
        "reader.cli",
        "--samples",
        "--fresh",
        "--translator",
        "libre",
        "--translator-url",
        "http://127.0.0.1:5000",
        "--",
        "a b/it's.txt",
        "$(touch x)",
        "export",
    ]


def test_the_terminal_check_lets_textual_serves_web_driver_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Under textual-serve the reader runs on pipes, its output framed for the page."""
    monkeypatch.setattr(sys, "stdin", open(os.devnull))  # noqa: SIM115
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert read._not_a_terminal() is not None
    monkeypatch.setenv("TEXTUAL_DRIVER", WEB_DRIVER)
    assert read._not_a_terminal() is None


async def test_readers_beyond_max_readers_are_refused_until_a_tab_closes() -> None:
    """Each tab is a reader process (~45 MB): a loop of websockets must not start them
    without end."""
    with serving("--samples", "--max-readers", "1") as (server, port):
        async with aiohttp.ClientSession() as session:
            first = await open_tab(session, port)
            assert await first.wait_for(lambda text: FIRST_TITLE in text), first.text()
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await open_tab(session, port)
            assert refused.value.status == 503
            assert len(children(server.pid)) == 1
            await first.send("q")
            assert await first.wait_closed()
            deadline = time.monotonic() + 30
            while children(server.pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            again = await open_tab(session, port)  # its reader gone, another may start
            assert await again.wait_for(lambda text: FIRST_TITLE in text), again.text()
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=60)
    assert err.count("readers are open") == 1  # the refusal, in one line on stderr


async def test_what_a_reader_should_not_get_is_dropped_and_it_reads_on() -> None:
    """A negative size crashed the tab's reader; messages not as the page sends them each
    gave a traceback on the server's output. Now they are dropped, a line each."""
    with serving("--samples") as (server, port):
        async with aiohttp.ClientSession() as session:
            tab = await open_tab(session, port)
            assert await tab.wait_for(lambda text: FIRST_TITLE in text), tab.text()
            for message in ('["resize", {"width": -3, "height": -3}]', "not json", "[]"):
                await tab.websocket.send_str(message)
            await tab.websocket.send_str('["stdin", 5]')
            await tab.send("C")
            assert await tab.wait_for(lambda text: CLAIMS_TITLE in text), tab.text()
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=60)
    assert "Traceback" not in out + err
    assert err.count("ignored") == 4


async def test_a_terminal_larger_than_any_screen_is_served_at_the_largest_size() -> None:
    """3000 x 2000 cells took a reader 190 MB: the size is bounded (500 x 200)."""
    with serving("--samples") as (_, port):
        async with aiohttp.ClientSession() as session:
            websocket = await session.ws_connect(
                f"http://127.0.0.1:{port}/ws?width=3000&height=50", max_msg_size=0
            )
            tab = Tab(websocket, 600, 50)
            assert await tab.wait_for(lambda text: FIRST_TITLE in text), tab.text()
            await settle(tab, 1)
            lines = tab.text().splitlines()
            assert max(len(line.rstrip()) for line in lines) == 500
            await websocket.close()


async def test_a_tab_gone_in_the_middle_of_a_large_frame_takes_its_reader_along() -> None:
    """A terminal of 3000 x 2000 cells drew frames larger than a websocket client takes (4
    MB): the client gave up mid-write, telling the reader to quit failed, and the reader ran
    on, untracked, until the server stopped (with tracebacks on its output)."""
    with serving("--samples") as (server, port):
        async with aiohttp.ClientSession() as session:
            websocket = await session.ws_connect(
                f"http://127.0.0.1:{port}/ws?width=3000&height=2000"
            )
            deadline = time.monotonic() + 3
            while not websocket.closed and time.monotonic() < deadline:
                with contextlib.suppress(TimeoutError):
                    await websocket.receive(timeout=0.5)
            await websocket.close()
            deadline = time.monotonic() + 30
            while children(server.pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not children(server.pid), "the reader ended with its tab"
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=60)
    assert "Traceback" not in out + err


async def test_off_loopback_the_page_is_served_under_addresses_and_known_names_only() -> None:
    """Listening on the network, the Host check was off: a site the user visits could make
    its own name resolve to this machine (DNS rebinding) and drive a reader."""
    with serving("--host", "0.0.0.0", "--allow-host", "leesbak.lan") as (server, port):
        async with aiohttp.ClientSession() as session:
            here = f"http://127.0.0.1:{port}/"
            for name, status in (
                (f"evil.example:{port}", 403),
                (f"127.0.0.1:{port}", 200),
                (f"{socket.gethostname()}:{port}", 200),
                (f"leesbak.lan:{port}", 200),
            ):
                async with session.get(here, headers={"Host": name}) as page:
                    assert page.status == status, name
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(
                    f"{here}ws",
                    headers={
                        "Host": f"evil.example:{port}",
                        "Origin": f"http://evil.example:{port}",
                    },
                )
            assert refused.value.status == 403
            assert not children(server.pid)
