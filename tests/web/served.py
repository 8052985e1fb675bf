"""`nieuwslezer serve` as a user starts it, and a browser tab's websocket to it.

Used by the web mode's tests and by benchmarks/web.py.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import pyte

from tests.conftest import nieuwslezer_command

COLUMNS, LINES = 100, 30


def free_port() -> int:
    """A loopback port nothing listens on (as the kernel hands out)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def listening(port: int, timeout: float = 60) -> bool:
    """Whether something accepts connections on 127.0.0.1:`port` within `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.05)
    return False


@contextmanager
def serving(
    *arguments: str, port: int | None = None, cwd: Path | None = None
) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """`nieuwslezer serve --port PORT ARGUMENTS` running (listening) until the block ends,
    then stopped with SIGINT (as Ctrl+C) and waited for; the process and its port."""
    port = port or free_port()
    server = subprocess.Popen(
        [*nieuwslezer_command(), "serve", "--port", str(port), *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),  # the test's own config, data and cache folders (conftest)
        cwd=cwd,
    )
    try:
        if not listening(port):
            server.kill()
            out, err = server.communicate()
            raise RuntimeError(f"`nieuwslezer serve` never listened:\n{out}\n{err}")
        yield server, port
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGINT)
            try:
                server.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.communicate()


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc), zombies left out."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line
            )
        except OSError:  # ended while being read
            continue
        if fields.get("PPid", "").strip() == str(pid) and not fields["State"].startswith("Z"):
            found.append(int(status.parent.name))
    return found


def running(pid: int) -> bool:
    """Whether process `pid` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


class Tab:
    """What a browser tab does with the page's websocket: sizes the terminal, sends keys as
    ["stdin", KEYS], and puts the output it gets on a VT100 screen (pyte)."""

    def __init__(self, websocket: aiohttp.ClientWebSocketResponse, columns: int, lines: int):
        self.websocket = websocket
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)
        self.closed = False

    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def send(self, keys: str) -> None:
        await self.websocket.send_str(json.dumps(["stdin", keys]))

    async def read(self, seconds: float) -> bool:
        """Take in what arrives within `seconds`; False once the socket is closed."""
        if self.closed:
            return False
        try:
            message = await self.websocket.receive(timeout=seconds)
        except TimeoutError:
            return True
        if message.type == aiohttp.WSMsgType.BINARY:
            self.stream.feed(message.data)
        elif message.type in (
            aiohttp.WSMsgType.CLOSE,
            aiohttp.WSMsgType.CLOSING,
            aiohttp.WSMsgType.CLOSED,
            aiohttp.WSMsgType.ERROR,
        ):
            self.closed = True
        return not self.closed

    async def wait_for(self, condition: Callable[[str], bool], timeout: float = 60) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not condition(self.text()):
            if not await self.read(0.1):
                break
        return condition(self.text())

    async def wait_closed(self, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and await self.read(0.1):
            pass
        return self.closed


async def open_tab(
    session: aiohttp.ClientSession, port: int, columns: int = COLUMNS, lines: int = LINES
) -> Tab:
    """Connect to the page's websocket as textual.js does: its size in the address, then a
    resize message once open."""
    websocket = await session.ws_connect(
        f"http://127.0.0.1:{port}/ws?width={columns}&height={lines}"
    )
    await websocket.send_str(json.dumps(["resize", {"width": columns, "height": lines}]))
    return Tab(websocket, columns, lines)


async def settle(tab: Tab, seconds: float) -> None:
    """Take in output for `seconds` (waiting, not asserting)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and await tab.read(0.05):
        await asyncio.sleep(0)
