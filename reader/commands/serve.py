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
import shlex
import socket
import sys
from collections.abc import Callable, Sequence

from reader.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    add_translator_options,
    report,
    report_nothing_read,
    usage_parser,
)
from reader.commands.serve_server import MAX_READERS, host_names, is_loopback, server_class

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000
NOT_INSTALLED = "the web mode needs textual-serve: pip install 'nieuwslezer[web]'"
MOST_READERS = 64  # --max-readers at most: each reader is a process of ~45 MB


def run(argv: Sequence[str]) -> int:
    parser = _parser()
    args = _parse(parser, argv)
    problem = _reader_problem(args, parser)
    if problem is not None:
        return problem
    try:
        server_type = server_class()
    except ImportError:
        report(NOT_INSTALLED)
        return EXIT_FAILED
    addresses, why_not = listen_problem(args.host, args.port)
    if why_not:
        report(why_not)
        return EXIT_FAILED
    if not all(is_loopback(address) for address in addresses):
        print(exposed_warning(args.host, args.port), file=sys.stderr, flush=True)
    server = server_type(
        reader_command(args),
        host=args.host,
        port=args.port,
        title="nieuwslezer",
        names=host_names(args.host, args.allow_host),
        max_readers=args.max_readers,
    )
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
        "--port",
        type=_whole_number(1, 65535),
        default=DEFAULT_PORT,
        help=f"the port (default: {DEFAULT_PORT})",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="page files or folders")
    parser.add_argument(
        "--samples", action="store_true", help="show the bundled sample pages too, as the reader"
    )
    parser.add_argument(
        "--fresh", action="store_true", help="each reader starts afresh, as the reader's --fresh"
    )
    parser.add_argument(
        "--max-readers",
        type=_whole_number(1, MOST_READERS),
        default=MAX_READERS,
        metavar="N",
        help=f"readers (browser tabs) served at once, 1 to {MOST_READERS} (default: "
        f"{MAX_READERS}); a tab beyond that is asked to close another",
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a name the page may be opened by besides this machine's own and its addresses "
        "(e.g. a name your network gives it); may be given more than once",
    )
    add_translator_options(parser)
    return parser


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str]) -> argparse.Namespace:
    """Options and paths in any order, and everything after `--` a path (a file named `-x`):
    Python 3.11's parse_intermixed_args refuses `-- -x` when no path comes before it."""
    argv = list(argv)
    after = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_intermixed_args(argv[:after])
    args.paths += argv[after + 1 :]
    return args


def _whole_number(least: int, most: int) -> Callable[[str], int]:
    def whole_number(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, not {text[:20]!r}") from None
        if not least <= number <= most:
            raise argparse.ArgumentTypeError(f"must be from {least} to {most}, not {number}")
        return number

    return whole_number


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
    # -P: not the folder `serve` was started in first on the module path, where a folder
    # named `reader` (a clone of this repository, anything) would be run instead.
    argv = [sys.executable, "-P", "-m", "reader.cli"]
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
