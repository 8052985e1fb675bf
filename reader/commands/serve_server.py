"""The web server behind `nieuwslezer serve`: textual-serve's, bounded and kept to its page.

textual-serve starts a process for every websocket to `/ws` and passes on what the page
sends. What it leaves to us, and this module adds:
- only this machine's page gets a reader (Origin), and only under this machine's names (Host:
  another site's name made to resolve here, DNS rebinding, is refused);
- at most `max_readers` readers at once (each ~45 MB): a tab beyond that gets HTTP 503;
- what a tab sends is checked before it reaches a reader: the terminal's size within
  MAX_COLUMNS x MAX_ROWS (a 3000 x 2000 terminal took a reader 190 MB; a negative one crashed
  it), keys as text; anything else is dropped, with one line on the server's output;
- a tab that goes, however it goes, takes its reader with it (killed after
  READERS_QUIT_SECONDS if it does not quit), and stopping the server ends every reader.

textual-serve and aiohttp are imported only by `server_class`, once `serve` runs.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import socket
from collections.abc import Collection
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from textual_serve.server import Server

# How long a reader gets to quit once its tab has gone or the server stops (it is told to;
# Ctrl+C in the terminal also reaches it, as it shares the terminal's process group).
READERS_QUIT_SECONDS = 10.0
MAX_READERS = 8  # readers at once, by default (`--max-readers`)
# The largest terminal a tab may ask for: a 4K screen of small type is ~400 x 120 cells.
MAX_COLUMNS, MAX_ROWS = 500, 200
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


class TabMessage(NamedTuple):
    """What a tab asked for: `kind` stdin (`value` the keys, as text), resize (`value`
    (columns, rows)), ping (`value` sent back as it came), blur or focus (`value` None)."""

    kind: str
    value: Any


def tab_message(text: str) -> TabMessage:
    """A message of the page's websocket, checked; ValueError saying what is wrong (without
    repeating what was sent) for one no reader should get."""
    try:
        envelope = json.loads(text)
    except ValueError:
        raise ValueError("a message that is not JSON") from None
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        raise ValueError("a message that is not [KIND, ...]")
    kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
    if kind == "stdin":
        if not isinstance(data, str):
            raise ValueError("keys that are not text")
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("keys that are not UTF-8 (a lone surrogate)") from None
        return TabMessage(kind, data)
    if kind == "resize":
        size = (
            terminal_size(data.get("width"), data.get("height")) if isinstance(data, dict) else None
        )
        if size is None:
            raise ValueError("a terminal size that is not two whole numbers from 1")
        return TabMessage(kind, size)
    if kind == "ping":
        return TabMessage(kind, data)
    if kind in ("blur", "focus"):
        return TabMessage(kind, None)
    raise ValueError("a message of a kind the page does not send")


def terminal_size(columns: object, rows: object) -> tuple[int, int] | None:
    """A terminal size a tab asked for (whole numbers, or their text as in the page's
    address), at most MAX_COLUMNS x MAX_ROWS; None if it is not two numbers from 1."""
    numbers = []
    for value in (columns, rows):
        if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 6:
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            return None
        numbers.append(value)
    return min(numbers[0], MAX_COLUMNS), min(numbers[1], MAX_ROWS)


def host_names(host: str, allowed: Collection[str]) -> frozenset[str]:
    """The names the page may be asked for by, besides addresses: loopback's, the machine's
    own (off loopback: those it is reached by on its network), and those `--allow-host`
    adds. Folded to lower case."""
    names = {*LOOPBACK_NAMES, host, *allowed}
    if not is_loopback(host):
        names |= {socket.gethostname(), socket.getfqdn()}
    return frozenset(name.lower() for name in names if name)


def is_address(name: str) -> bool:
    """Whether `name` (a Host header's name) is an IP address, not a name: a page asked for
    by address cannot be another site's (DNS rebinding needs a name of the site's own)."""
    try:
        ipaddress.ip_address(name.strip("[]").split("%")[0])
    except ValueError:
        return False
    return True


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.strip("[]").split("%")[0]).is_loopback
    except ValueError:
        return address.lower() == "localhost"


def server_class() -> type[Server]:
    """textual-serve's Server as described above, and asking for the page at the address the
    browser used (not the --host it listens on, e.g. 0.0.0.0) and logging only problems.
    ImportError without textual-serve."""
    import asyncio
    import logging

    from aiohttp import WSMsgType, web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, log

    class ReaderServer(Server):
        def __init__(
            self,
            *args: Any,
            names: frozenset[str],
            max_readers: int = MAX_READERS,
            **kwargs: Any,
        ) -> None:
            super().__init__(*args, **kwargs)
            self.names = names
            self.max_readers = max_readers
            self.readers = 0  # tabs accepted whose reader has not ended yet
            self._sockets: set[web.WebSocketResponse] = set()

        def refuse_other_sites(self, request: web.Request) -> None:
            """HTTP 403 for what another site's page in the user's browser asks: a socket
            opened from its page (a websocket is not bound to its page's site; the browser
            says which site opened it: Origin), or the page asked for by a name not this
            machine's (DNS rebinding). Programs other than browsers send no Origin: they
            could run a reader themselves."""
            name = (request.url.host or "").lower()
            if not is_address(name) and name not in self.names:
                raise web.HTTPForbidden(
                    text="nieuwslezer serves this page under this machine's addresses and "
                    "names only (--allow-host NAME adds a name)"
                )
            origin = request.headers.get("Origin")
            if origin is not None and origin != f"{request.scheme}://{request.host}":
                raise web.HTTPForbidden(text="nieuwslezer opens readers for its own page only")

        def initialize_logging(self) -> None:
            logging.basicConfig(level=logging.WARNING, format="nieuwslezer serve: %(message)s")

        async def handle_index(self, request: web.Request) -> Any:
            self.refuse_other_sites(request)
            # The page holds the websocket's absolute address. Set just before the page is
            # made, with no await between: no other request runs in between.
            self.public_url = f"{request.scheme}://{request.host}"
            return await super().handle_index(request)

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            """textual-serve's, bounded and checked (above), keeping each tab's socket for
            `on_shutdown` to close."""
            self.refuse_other_sites(request)
            if self.readers >= self.max_readers:
                log.warning(
                    "a tab was refused: %d readers are open, as many as --max-readers allows",
                    self.readers,
                )
                raise web.HTTPServiceUnavailable(
                    text=f"nieuwslezer: {self.readers} readers are open, as many as it "
                    "serves at once (--max-readers): close a tab and reload"
                )
            columns, rows = terminal_size(
                request.query.get("width", "80"), request.query.get("height", "24")
            ) or (80, 24)
            self.readers += 1
            websocket = web.WebSocketResponse(heartbeat=15)
            service = AppService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            closing: asyncio.Task[None] | None = None
            try:
                await websocket.prepare(request)
                self._sockets.add(websocket)
                await service.start(columns, rows)
                closing = asyncio.create_task(_close_when_ended(service, websocket))
                await self._process_messages(websocket, service)
            except Exception as error:  # this tab's, in a line; the server serves on
                log.warning("a tab ended with an error: %s", error)
            finally:
                if closing is not None:
                    closing.cancel()
                self._sockets.discard(websocket)
                # Tells the reader to quit; it fails when the tab went during a large write.
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(service.stop(), READERS_QUIT_SECONDS)
                await _ended(service)
                self.readers -= 1
            return websocket

        async def _process_messages(
            self, websocket: web.WebSocketResponse, service: AppService
        ) -> None:
            """textual-serve's, each message checked first (tab_message)."""
            async for message in websocket:
                if message.type != WSMsgType.TEXT:
                    continue
                try:
                    kind, value = tab_message(message.data)
                except ValueError as why:
                    log.warning("a tab sent %s: ignored", why)
                    continue
                if kind == "stdin":
                    await service.send_bytes(value.encode("utf-8"))
                elif kind == "resize":
                    await service.set_terminal_size(*value)
                elif kind == "ping":
                    await websocket.send_json(["pong", value])
                elif kind == "blur":
                    await service.blur()
                elif kind == "focus":
                    await service.focus()

        async def on_startup(self, app: web.Application) -> None:
            pass  # the address is printed by `serve`, without textual-serve's banner

        async def on_shutdown(self, app: web.Application) -> None:
            """Each tab's socket is closed; its handler then ends the tab's reader (and the
            server waits for the handlers). Cancelling them instead left each socket waiting
            10 s for a closing answer that no one read."""
            sockets = list(self._sockets)
            await asyncio.gather(*(socket.close() for socket in sockets), return_exceptions=True)

    async def _close_when_ended(service: AppService, websocket: web.WebSocketResponse) -> None:
        """Close the tab's socket when its reader ends. A reader that quits says so and the
        socket closes anyway; one that could not start (its pages gone since `serve`
        started: the reason is on the server's output) would leave the page waiting."""
        process = getattr(service, "_process", None)
        if process is not None:
            await process.wait()
            await websocket.close()

    async def _ended(service: AppService) -> None:
        """Wait for the tab's reader to end (killed if it has not within READERS_QUIT_SECONDS),
        its input closed: else asyncio finds its process unfinished once the loop is closed,
        and says so on stderr with a traceback. (textual-serve 1.1.3 keeps it in _process.)"""
        process = getattr(service, "_process", None)
        if process is None:  # it never started
            return
        with contextlib.suppress(Exception):  # closed already, or its pipe broken
            service.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), READERS_QUIT_SECONDS)
        except TimeoutError:
            process.kill()
            await process.wait()

    return ReaderServer
