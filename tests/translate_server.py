"""A local stand-in for Google Translate's page and a LibreTranslate server, on 127.0.0.1.

It answers "EN:" + the text, counts requests and how many were in flight at once, and can be
told to be slow, to fail with a status, to answer garbage, or to lie: to answer any JSON value
as LibreTranslate's `translatedText` (null, 42, an object, "", megabytes); given a list in `q`
(as LibreTranslate takes one, in a JSON body), it answers a list, each element as it would
answer that text alone, or what `answer_list` makes of the texts (too few, too many); to trickle its
headers or its body a byte at a time (`trickle`), each byte well within any per-read time-out;
or to redirect elsewhere (`redirect`). Tests start one per test.
"""

from __future__ import annotations

import contextlib
import html
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

LENGTH_LIMIT = 5000  # characters of text per request, like Google and common LibreTranslate setups
HONEST = object()  # `ServerState.answer` when the server answers "EN:" + the text


@dataclass
class ServerState:
    mode: str = "ok"  # ok | slow | garbage | a status code such as "500"
    latency: float = 0.0
    # What it answers instead of "EN:" + the text: LibreTranslate's `translatedText` as is (any
    # JSON value); Google's page holds its text (a string), or no text for anything else.
    answer: object = HONEST
    # "headers" or "body": sent a byte every `trickle_every` seconds, for at most `trickle_for`
    # seconds (then the rest at once); None: sent at once.
    trickle: str | None = None
    trickle_every: float = 0.05
    trickle_for: float = 10.0
    redirect: str | None = None  # a base URL every request is redirected to, path kept (302)
    length_limit: int = LENGTH_LIMIT  # characters of text a request, all of a list's counted
    # What a list in `q` gets as `translatedText` instead of one answer per text.
    answer_list: Callable[[list[str]], object] | None = None
    # Each request's path and parameters; `q` is a list when one was sent.
    requests: list[dict[str, Any]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # every text asked, in the order received
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
        query: dict[str, Any] = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
        query.update(self._json_body())
        asked = query.get("q", "")
        with state.lock:
            state.requests.append({"path": urlparse(self.path).path, **query})
            state.texts.extend(asked if isinstance(asked, list) else [asked])
            state.in_flight += 1
            state.most_in_flight = max(state.most_in_flight, state.in_flight)
        try:
            if state.latency:
                time.sleep(state.latency)
            if state.mode == "slow":
                state.release.wait(30)
                return
            if state.redirect is not None:
                self.send_response(302)
                self.send_header("Location", state.redirect.rstrip("/") + self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if state.mode.isdigit():
                self.send_response(int(state.mode))
                self.end_headers()
                return
            if self.path.startswith("/languages"):
                body = json.dumps([{"code": c, "name": c, "targets": ["en", "nl"]}
                                   for c in ("en", "nl")]).encode()  # fmt: skip
                self._send(200, "application/json", body)
                return
            texts = asked if isinstance(asked, list) else [asked]
            if sum(len(text) for text in texts) > state.length_limit:  # LibreTranslate: all
                self._send(400, "application/json", b'{"error": "text too long"}')
                return
            answer = self._answer_to(texts) if isinstance(asked, list) else self._one(asked)
            if self.path.startswith("/translate"):
                body = (
                    b"{not json"
                    if state.mode == "garbage"
                    else json.dumps({"translatedText": answer}).encode()
                )
                kind = "application/json"
            else:
                told = answer if isinstance(answer, str) else ""
                inner = "" if state.mode == "garbage" else html.escape(told)
                body = f'<html><div class="result-container">{inner}</div></html>'.encode()
                kind = "text/html"
            self._send(200, kind, body)
        finally:
            with state.lock:
                state.in_flight -= 1

    def _json_body(self) -> dict[str, Any]:
        """A POST's JSON body (LibreTranslate's way to take a list in `q`), or nothing."""
        length = int(self.headers.get("Content-Length") or 0)
        if not length or "json" not in (self.headers.get("Content-Type") or ""):
            return {}
        body = json.loads(self.rfile.read(length))
        return body if isinstance(body, dict) else {}

    def _one(self, text: str) -> object:
        return f"EN:{text}" if self.state.answer is HONEST else self.state.answer

    def _answer_to(self, texts: list[str]) -> object:
        if self.state.answer_list is not None:
            return self.state.answer_list(texts)
        return [self._one(text) for text in texts]

    def _send(self, status: int, kind: str, body: bytes) -> None:
        head = (
            f"HTTP/1.1 {status} {self.responses[status][0]}\r\nContent-Type: {kind}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        self.close_connection = True
        # The client may stop reading (an answer over its bound, a deadline): its right.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            if self.state.trickle == "headers":
                head = self._trickle(head)
            self.wfile.write(head)
            if self.state.trickle == "body":
                body = self._trickle(body)
            self.wfile.write(body)

    def _trickle(self, data: bytes) -> bytes:
        """Send `data` a byte at a time for up to `trickle_for` seconds; what is left unsent."""
        state = self.state
        until = time.monotonic() + state.trickle_for
        sent = 0
        while sent < len(data) - 1 and time.monotonic() < until:
            if state.release.wait(state.trickle_every):
                break  # the test is over
            self.wfile.write(data[sent : sent + 1])
            sent += 1
        return data[sent:]

    do_GET = _answer
    do_POST = _answer


@contextmanager
def translate_server(
    mode: str = "ok",
    latency: float = 0.0,
    answer: object = HONEST,
    trickle: str | None = None,
    redirect: str | None = None,
    host: str = "127.0.0.1",
    answer_list: Callable[[list[str]], object] | None = None,
) -> Iterator[tuple[str, ServerState]]:
    """Yields the server's base URL and its state; stops it afterwards."""
    state = ServerState(
        mode=mode,
        latency=latency,
        answer=answer,
        trickle=trickle,
        redirect=redirect,
        answer_list=answer_list,
    )
    handler = type("Handler", (_Handler,), {"state": state})
    server = ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}/", state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
