"""Point 14 behind an HTTP proxy: the proxy, not the reader, looks names up, so no peer address
is ever seen. A hop to a name of the internet counts as public; a later hop to an address, or a
name, of the local network is refused before the proxy is asked for it.

The proxy here is a loopback server that answers every request itself, as the servers it
would forward to (the tests never reach the internet): each absolute URL it is asked for
answers its route, and it records what it was asked.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from reader.feeds.fetch import Fetched, FetchFailed, fetch
from reader.translate.backends import LibreBackend
from reader.translate.cache import TranslationCache
from reader.translate.result import Failed, Translated
from reader.translate.service import TranslationService

RSS = b"<rss version='2.0'><channel><title>Secret</title><item/></channel></rss>"
FEED = "http://feeds.example.com/feed.xml"
TRANSLATOR = "http://translate.example.com/"
DUTCH = "Het kabinet heeft vandaag een nieuw plan gepresenteerd."


@dataclass
class Answer:
    status: int = 200
    body: bytes = RSS
    location: str | None = None


@dataclass
class Proxy:
    """What the proxy answers per absolute URL (200 with RSS for any other), and what it was
    asked: "GET http://host/path", "CONNECT host:443"."""

    url: str = ""
    answers: dict[str, Answer] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)

    def redirect(self, source: str, target: str) -> None:
        self.answers[source] = Answer(302, b"", target)


class _ProxyHandler(BaseHTTPRequestHandler):
    server: _ProxyServer

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()

    def do_CONNECT(self) -> None:  # a tunnel for HTTPS: refused, only recorded
        self.server.proxy.asked.append(f"CONNECT {self.path}")
        self.send_response(502)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _answer(self) -> None:
        proxy = self.server.proxy
        url = self.path.split("?")[0]  # a LibreTranslate request's query holds the text
        proxy.asked.append(f"{self.command} {url}")
        answer = proxy.answers.get(url, Answer())
        self.send_response(answer.status)
        if answer.location is not None:
            self.send_header("Location", answer.location)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    proxy: Proxy


@pytest.fixture
def proxy(_no_network_but_loopback: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Proxy]:
    """A running proxy, set for HTTP and HTTPS; nothing bypasses it."""
    server = _ProxyServer(("127.0.0.1", 0), _ProxyHandler)
    running = Proxy(url=f"http://127.0.0.1:{server.server_address[1]}")
    server.proxy = running
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(variable, running.url)
    for variable in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(variable, raising=False)
    try:
        yield running
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("target", "said"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local address 169.254.169.254"),
        ("http://10.1.2.3/feed.xml", "private address 10.1.2.3"),
        ("http://127.0.0.1:8080/feed.xml", "loopback address 127.0.0.1"),
        ("http://[::1]/feed.xml", "loopback address ::1"),
        # IPv4 as inet_aton reads it, as a proxy may: not a name of the internet.
        ("http://169.254.43518/", "link-local address 169.254.169.254"),
        ("http://0xa9.0xfe.0xa9.0xfe/", "link-local address 169.254.169.254"),
        ("http://0251.0376.0251.0376/", "link-local address 169.254.169.254"),
        ("http://2852039166/", "link-local address 169.254.169.254"),
        ("http://localhost/feed.xml", "local name localhost"),
        ("http://metadata.localhost./feed.xml", "local name metadata.localhost"),
        ("http://router/feed.xml", "local name router"),
        ("http://metadata.google.internal/x", "local name metadata.google.internal"),
        ("http://printer.local/feed.xml", "local name printer.local"),
    ],
)
def test_behind_a_proxy_a_public_name_cannot_redirect_to_a_local_address(
    proxy: Proxy, target: str, said: str
) -> None:
    proxy.redirect(FEED, target)
    result = fetch(FEED, timeout=3)
    assert result == FetchFailed(FEED, f"refused a redirect from a public server to the {said}")
    assert proxy.asked == [f"GET {FEED}"]  # the local address never asked for


def test_behind_a_proxy_no_tunnel_is_opened_to_a_local_address(proxy: Proxy) -> None:
    proxy.redirect(FEED, "https://169.254.169.254/latest/meta-data/")
    result = fetch(FEED, timeout=3)
    reason = "refused a redirect from a public server to the link-local address 169.254.169.254"
    assert result == FetchFailed(FEED, reason)
    assert proxy.asked == [f"GET {FEED}"]


def test_behind_a_proxy_a_refusal_comes_after_any_number_of_public_hops(proxy: Proxy) -> None:
    proxy.redirect("http://nas/feed.xml", FEED)  # first asked on the local network
    proxy.redirect(FEED, "http://www.example.org/feed.xml")
    proxy.redirect("http://www.example.org/feed.xml", "http://192.168.1.1/")
    result = fetch("http://nas/feed.xml", timeout=3)
    reason = "refused a redirect from a public server to the private address 192.168.1.1"
    assert result == FetchFailed("http://nas/feed.xml", reason)


def test_behind_a_proxy_redirects_among_public_or_local_hosts_are_followed(proxy: Proxy) -> None:
    proxy.redirect(FEED, "http://www.example.org/feed.xml")
    assert isinstance(fetch(FEED, timeout=3), Fetched)
    # A feed on the user's own network (a name of it, or an address) may redirect within it.
    proxy.redirect("http://nas/feed.xml", "http://192.168.1.20/feed.xml")
    proxy.redirect("http://192.168.1.20/feed.xml", "http://localhost:8080/feed.xml")
    local = fetch("http://nas/feed.xml", timeout=3)
    assert isinstance(local, Fetched) and local.url == "http://localhost:8080/feed.xml"


# --- translation requests through the proxy (requests follows their redirects) -------------


ENGLISH = "The cabinet presented a new plan today."


def translated_after_redirect(proxy: Proxy, tmp_path: Path, target: str) -> Translated | Failed:
    """A LibreTranslate at TRANSLATOR asked through `proxy`, which redirects to `target`,
    where the English is."""
    proxy.redirect(TRANSLATOR + "translate", target)
    proxy.answers[target] = Answer(body=json.dumps({"translatedText": ENGLISH}).encode())
    backend = LibreBackend(url=TRANSLATOR, timeout=3)
    cache = TranslationCache(tmp_path / "cache.sqlite3")
    return TranslationService(backend, cache, backoff=0.01).translate(DUTCH)


def test_behind_a_proxy_a_public_translator_cannot_redirect_to_a_local_address(
    proxy: Proxy, tmp_path: Path
) -> None:
    result = translated_after_redirect(proxy, tmp_path, "http://169.254.169.254/latest/")
    reason = "refused a redirect from a public server to the link-local address 169.254.169.254"
    assert result == Failed(reason, retryable=False)
    assert proxy.asked == [f"POST {TRANSLATOR}translate"]


def test_behind_a_proxy_a_translator_is_asked_and_may_redirect_among_public_hosts(
    proxy: Proxy, tmp_path: Path
) -> None:
    result = translated_after_redirect(proxy, tmp_path, "http://libre.example.org/translate")
    assert result == Translated(ENGLISH)
