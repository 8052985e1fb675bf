"""A local stand-in for Google Translate's page and a LibreTranslate server, on 127.0.0.1.

It answers "EN:" + the text, counts requests and how many were in flight at once, and can be
told to be slow, to fail with a status, or to answer garbage. Tests start one per test.
"""

from __future__ import annotations

import html
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

LENGTH_LIMIT = 5000  # characters of text per request, like Google and common LibreTranslate setups


@dataclass
class ServerState:
    mode: str = "ok"  # ok | slow | garbage | a status code such as "500"
    latency: float = 0.0
    requests: list[dict[str, str]] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.release = threading.Event()  # ends a "slow" answer early, when the test is done


class _Handler(BaseHTTPRequestHandler):
    state: ServerState

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _answer(self) -> None:
        state = self.state
        query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
        with state.lock:
            state.requests.append({"path": urlparse(self.path).path, **query})
            state.in_flight += 1
            state.most_in_flight = max(state.most_in_flight, state.in_flight)
        try:
            if state.latency:
                time.sleep(state.latency)
            if state.mode == "slow":
                state.release.wait(30)
                return
            if state.mode.isdigit():
                self.send_response(int(state.mode))
                self.end_headers()
                return
            text = query.get("q", "")
            if self.path.startswith("/languages"):
                body = json.dumps([{"code": c, "name": c, "targets": ["en", "nl"]}
                                   for c in ("en", "nl")]).encode()  # fmt: skip
                self._send(200, "application/json", body)
                return
            if len(text) > LENGTH_LIMIT:
                self._send(400, "application/json", b'{"error": "text too long"}')
                return
            if self.path.startswith("/translate"):
                body = (
                    b"{not json"
                    if state.mode == "garbage"
                    else json.dumps({"translatedText": f"EN:{text}"}).encode()
                )
                kind = "application/json"
            else:
                inner = "" if state.mode == "garbage" else html.escape(f"EN:{text}")
                body = f'<html><div class="result-container">{inner}</div></html>'.encode()
                kind = "text/html"
            self._send(200, kind, body)
        finally:
            with state.lock:
                state.in_flight -= 1

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer
    do_POST = _answer


@contextmanager
def translate_server(mode: str = "ok", latency: float = 0.0) -> Iterator[tuple[str, ServerState]]:
    """Yields the server's base URL and its state; stops it afterwards."""
    state = ServerState(mode=mode, latency=latency)
    handler = type("Handler", (_Handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
