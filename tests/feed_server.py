"""A local feed host on 127.0.0.1: routes with bodies, redirects, conditional GET, bad servers.

Tests and benchmarks register routes, fetch `server.url(path)`, then read what the server saw:
each request with its headers, hits per path, 304s answered, and the most requests in flight
at once (arrived, answer not yet begun). `latency` delays every answer. Every wait in a
handler ends when the server stops, so teardown is quick even while a client still waits on
a route that never answers.

    with FeedServer(latency=0.1) as server:
        url = server.add_file("/nos.xml", FIXTURES / "nos.xml")
        server.add("/gone", Route(status=404))
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from email.message import Message
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Literal
from urllib.parse import urlsplit

FEED_TYPE = "application/rss+xml; charset=utf-8"
_TYPES_BY_SUFFIX = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".rdf": "application/rdf+xml",
    ".xml": "application/xml",
    ".html": "text/html",
    ".json": "application/json",
}
_LONGEST_WAIT = 60.0  # seconds; a handler never outlives a server that was not stopped by more


@dataclass(frozen=True)
class Route:
    """What one path answers; by default a 200 with the body, all at once."""

    body: bytes = b""
    status: int = 200
    content_type: str | None = FEED_TYPE
    headers: Mapping[str, str] = field(default_factory=dict)  # more, e.g. Content-Encoding
    etag: str | None = None  # with either validator, a matching conditional GET gets a 304
    last_modified: str | None = None
    # How the body's end is told: Content-Length, closing the connection, or HTTP/1.1 chunks.
    framing: Literal["length", "close", "chunked"] = "length"
    trickle: float = 0.0  # seconds between bytes of the body
    hang: bool = False  # take the request and never answer
    trickle_headers: float = 0.0  # seconds between bytes of the status line and headers


@dataclass(frozen=True)
class Received:
    path: str
    headers: Message  # case-insensitive: headers["user-agent"]


class FeedServer:
    """A ThreadingHTTPServer on a free port, serving `routes`; 404 for any other path."""

    def __init__(self, latency: float = 0.0, host: str = "127.0.0.1") -> None:
        self.latency = latency  # seconds before every answer
        self.routes: dict[str, Route] = {}
        self.received: list[Received] = []
        self.hits: Counter[str] = Counter()  # requests per path
        self.not_modified: Counter[str] = Counter()  # 304s answered per path
        self.in_flight = 0
        self.most_in_flight = 0
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        # Another loopback address (127.0.0.2) stands for a second host.
        self._http = _HTTPServer((host, 0), _Handler)
        self._http.feeds = self
        self.base_url = f"http://{host}:{self._http.server_address[1]}"
        self._thread = threading.Thread(target=self._http.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stopping.set()
        self._http.shutdown()
        self._http.server_close()
        self._thread.join()

    def url(self, path: str) -> str:
        return self.base_url + path

    def add(self, path: str, route: Route) -> str:
        """Serve `route` at `path` (replacing what was there); return its URL."""
        self.routes[path] = route
        return self.url(path)

    def add_file(
        self,
        path: str,
        file: Path,
        *,
        content_type: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> str:
        """Serve the bytes of `file`, typed by its suffix unless `content_type` is given."""
        kind = content_type or _TYPES_BY_SUFFIX.get(file.suffix.lower(), "application/octet-stream")
        route = Route(file.read_bytes(), content_type=kind, etag=etag, last_modified=last_modified)
        return self.add(path, route)

    def add_redirect(self, path: str, target: str, status: int = 302) -> str:
        """Redirect `path` to `target`, a path on this server or a URL."""
        return self.add(path, Route(status=status, content_type=None, headers={"Location": target}))

    def _arrived(self, path: str, headers: Message, not_modified: bool) -> None:
        # Counted before the answer is sent: a client may look as soon as it has it.
        with self._lock:
            self.received.append(Received(path, headers))
            self.hits[path] += 1
            if not_modified:
                self.not_modified[path] += 1
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)

    def _answering(self) -> None:
        with self._lock:
            self.in_flight -= 1


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Beyond the default backlog of 5, connections arriving at once wait for a SYN retransmit.
    request_queue_size = 64
    feeds: FeedServer


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    _header_trickle = 0.0  # the route's trickle_headers, while it is answered

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def flush_headers(self) -> None:
        """The status line and headers, a byte at a time when the route trickles them."""
        if not self._header_trickle:
            super().flush_headers()
            return
        buffered = b"".join(getattr(self, "_headers_buffer", []))
        self._headers_buffer = []
        for index in range(len(buffered)):
            if self.server.feeds.stopping.wait(self._header_trickle):
                return
            self.wfile.write(buffered[index : index + 1])

    def do_GET(self) -> None:
        feeds = self.server.feeds
        path = urlsplit(self.path).path
        route = feeds.routes.get(path, Route(b"not found", status=404, content_type="text/plain"))
        not_modified = route.status == 200 and _not_modified(route, self.headers)
        feeds._arrived(path, self.headers, not_modified)
        stopped = feeds.stopping.wait(feeds.latency)
        # Out of flight before answering: once it has the answer, the client may send its next
        # request before this thread gets round to counting this one done.
        feeds._answering()
        if stopped:
            return
        try:
            if route.hang:
                feeds.stopping.wait(_LONGEST_WAIT)
                return
            self._answer(route, 304 if not_modified else route.status)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout, a size cap): what such a test is about

    def _answer(self, route: Route, status: int) -> None:
        self._header_trickle = route.trickle_headers
        if route.framing == "chunked":
            self.protocol_version = "HTTP/1.1"  # chunks need it; the connection still closes
        self.send_response_only(status)
        self.send_header("Server", self.version_string())
        if "Date" not in route.headers:  # a route may give its own clock
            self.send_header("Date", self.date_time_string())
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.etag:
            self.send_header("ETag", route.etag)
        if route.last_modified:
            self.send_header("Last-Modified", route.last_modified)
        if status == 304:
            self.end_headers()
            return
        if route.content_type:
            self.send_header("Content-Type", route.content_type)
        if route.framing == "length":
            self.send_header("Content-Length", str(len(route.body)))
        elif route.framing == "chunked":
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
        self.end_headers()
        chunked = route.framing == "chunked"
        for piece in self._pieces(route):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def _pieces(self, route: Route) -> Iterator[bytes]:
        """The body in pieces: a byte at a time when trickling, else chunks of 4 kB."""
        size = 1 if route.trickle else 4096
        for start in range(0, len(route.body), size):
            if route.trickle and self.server.feeds.stopping.wait(route.trickle):
                return
            yield route.body[start : start + size]


def _not_modified(route: Route, headers: Message) -> bool:
    """RFC 9110: If-None-Match decides when sent; If-Modified-Since only without it."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip() for tag in if_none_match.split(",")}
        return route.etag is not None and (route.etag in tags or "*" in tags)
    since = headers.get("If-Modified-Since")
    if since is None or route.last_modified is None:
        return False
    try:
        return parsedate_to_datetime(route.last_modified) <= parsedate_to_datetime(since)
    except ValueError:
        return False
