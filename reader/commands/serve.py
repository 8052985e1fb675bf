"""`nieuwslezer serve [--host 127.0.0.1] [--port 8000] [PATH ...]`: the reader in a browser.

The page comes from textual-serve (the `web` extra): each browser tab that opens it starts a
reader of its own (this Python, `-m reader.cli`, with the PATHs and options given here) and
drives it over a websocket. The readers use the same config, feed store, library and cache as
the terminal reader. textual-serve has no authentication, so it listens on 127.0.0.1 unless
--host asks otherwise, and then says so on stderr.

textual-serve and aiohttp are imported in `run` only, once the arguments have parsed: the
terminal reader never loads them (#14, tests/test_startup_imports.py).
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import shlex
import socket
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reader.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    add_translator_options,
    report,
    report_nothing_read,
    usage_parser,
)

if TYPE_CHECKING:
    from textual_serve.server import Server

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000
NOT_INSTALLED = "the web mode needs textual-serve: pip install 'nieuwslezer[web]'"
# How long the readers get to quit once the server stops (they are told to; Ctrl+C in the
# terminal also reaches them, as they share its process group).
READERS_QUIT_SECONDS = 10.0
# The names a page on this machine alone is asked for by (the Host header).
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


def run(argv: Sequence[str]) -> int:
    parser = _parser()
    args = parser.parse_intermixed_args(argv)
    problem = _reader_problem(args, parser)
    if problem is not None:
        return problem
    try:
        server_class = _server_class()
    except ImportError:
        report(NOT_INSTALLED)
        return EXIT_FAILED
    addresses, why_not = listen_problem(args.host, args.port)
    if why_not:
        report(why_not)
        return EXIT_FAILED
    if not all(_is_loopback(address) for address in addresses):
        print(exposed_warning(args.host, args.port), file=sys.stderr, flush=True)
    server = server_class(reader_command(args), host=args.host, port=args.port, title="nieuwslezer")
    if all(_is_loopback(address) for address in addresses):  # against DNS rebinding
        server.host_names = frozenset({*LOOPBACK_NAMES, args.host})
    print(
        f"nieuwslezer: serving the reader at {page_address(args.host, args.port)} "
        "(open it in a browser; each tab runs a reader of its own; Ctrl+C stops)",
        flush=True,
    )
    try:
        server.serve()
    except OSError as error:  # the port taken between the check and the start
        report(f"cannot listen on {args.host} port {args.port}: {error.strerror or error}")
        return EXIT_FAILED
    print("nieuwslezer: stopped serving", flush=True)
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = usage_parser(
        prog="nieuwslezer serve",
        description="Serve the reader as a web page (textual-serve): each browser tab that "
        "opens it runs a reader of its own, on the same PATHs and options, config, feed store, "
        "library and cache as the terminal reader. There is no authentication: it listens on "
        "127.0.0.1 only, unless --host says otherwise (for another machine, prefer an SSH "
        "tunnel: ssh -L 8000:127.0.0.1:8000 HOST). Ctrl+C stops it and the readers it started.",
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"the address to listen on (default: {DEFAULT_HOST}, this machine only)",
    )
    parser.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, help=f"the port (default: {DEFAULT_PORT})"
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="page files or folders")
    parser.add_argument(
        "--samples", action="store_true", help="show the bundled sample pages too, as the reader"
    )
    parser.add_argument(
        "--fresh", action="store_true", help="each reader starts afresh, as the reader's --fresh"
    )
    add_translator_options(parser)
    return parser


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text[:20]!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be from 1 to 65535, not {port}")
    return port


def _reader_problem(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int | None:
    """What would make every tab's reader refuse to start, said now rather than in each tab:
    a translation setting of the command line that cannot work (a usage error), or paths of
    which none holds a page (exit 1). None when the readers can start."""
    from reader.corpus import why_nothing_to_read
    from reader.translate.config import load_settings

    settings, _ = load_settings(backend=args.translator, url=args.translator_url)
    if not settings.unusable and (problem := settings.problem()):
        parser.error(problem)
    if args.paths and not args.samples and (unreadable := why_nothing_to_read(args.paths)):
        return report_nothing_read(unreadable)
    return None


def reader_command(args: argparse.Namespace) -> str:
    """The shell command each tab runs: the reader on this Python, with the same arguments."""
    argv = [sys.executable, "-m", "reader.cli"]
    if args.samples:
        argv.append("--samples")
    if args.fresh:
        argv.append("--fresh")
    if args.translator:
        argv += ["--translator", args.translator]
    if args.translator_url:
        argv += ["--translator-url", args.translator_url]
    if args.paths:  # after `--`: a file named `-x` or `export` stays a file
        argv += ["--", *args.paths]
    return "exec " + shlex.join(argv)  # the shell becomes the reader: one process per tab


def listen_problem(host: str, port: int) -> tuple[list[str], str | None]:
    """The addresses `host` stands for, and why the server could not listen on `port` there
    (None if it can), tried as the server binds: each address, the port reusable."""
    try:
        found = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE | socket.AI_ADDRCONFIG
        )
    except (OSError, UnicodeError) as error:
        return [], f"cannot listen on {host!r}: {getattr(error, 'strerror', None) or error}"
    addresses: list[str] = []
    for family, kind, protocol, _, address in found:
        addresses.append(str(address[0]))
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as error:
                if error.errno == errno.EADDRINUSE:
                    return addresses, f"port {port} is in use: choose another with --port"
                return addresses, f"cannot listen on {host} port {port}: {error.strerror}"
    return addresses, None


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return False


def exposed_warning(host: str, port: int) -> str:
    return (
        f"nieuwslezer: warning: listening on {host}, not only on this machine: the web mode "
        "has no authentication, so anyone who can reach port "
        f"{port} can read your news and change your subscriptions. To read from another "
        f"machine, prefer an SSH tunnel: ssh -L {port}:127.0.0.1:{port} THIS-HOST, "
        f"then open http://127.0.0.1:{port}/ there."
    )


def page_address(host: str, port: int) -> str:
    """The address to open: a wildcard host (0.0.0.0, ::) is this machine's 127.0.0.1."""
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def _server_class() -> type[Server]:
    """textual-serve's Server, made to ask for the page at the address the browser used (not
    the --host it listens on, e.g. 0.0.0.0), to log only problems, and to end the readers when
    it stops, not only when their tabs close. ImportError without textual-serve."""
    import asyncio
    import logging

    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, log, to_int

    class ReaderServer(Server):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._sockets: set[web.WebSocketResponse] = set()
            # The names the page may be asked for by; None: any (a --host not loopback).
            self.host_names: frozenset[str] | None = None

        def refuse_other_sites(self, request: web.Request) -> None:
            """HTTP 403 for what another site's page in the user's browser asks: a socket
            opened from its page (a websocket is not bound to its page's site, and the
            browser says which site opened it: Origin), or the page asked for by a name not
            this machine's (DNS rebinding: another site's name made to resolve to
            127.0.0.1). Programs other than browsers send no Origin: they could run a
            reader themselves."""
            name = request.url.host or ""
            if self.host_names is not None and name not in self.host_names:
                raise web.HTTPForbidden(text="nieuwslezer serves this page to this machine only")
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
            """textual-serve's, keeping each tab's socket for `on_shutdown` to close, and
            for this machine's page only."""
            self.refuse_other_sites(request)
            websocket = web.WebSocketResponse(heartbeat=15)
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            await websocket.prepare(request)
            service = AppService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            self._sockets.add(websocket)
            closing: asyncio.Task[None] | None = None
            try:
                await service.start(width, height)
                closing = asyncio.create_task(_close_when_ended(service, websocket))
                await self._process_messages(websocket, service)
            except Exception as error:  # this tab's, logged; the server serves on
                log.exception(error)
            finally:
                if closing is not None:
                    closing.cancel()
                self._sockets.discard(websocket)
                await service.stop()  # tells the reader to quit: it closes its output
                await _ended(service)
            return websocket

        async def on_startup(self, app: web.Application) -> None:
            pass  # the address is printed by `run`, without textual-serve's banner

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
        service.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), READERS_QUIT_SECONDS)
        except TimeoutError:
            process.kill()
            await process.wait()

    return ReaderServer
