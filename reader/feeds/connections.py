"""The connections feeds are fetched over: one deadline for the whole exchange, and where a
redirect may lead.

requests bounds each wait for bytes, not an exchange: a server that sends its status line and
headers a byte a second is never "timed out". So each fetch is an `Exchange`, whose watchdog
(a timer) shuts down the sockets the fetch uses when its deadline passes: a read blocked
anywhere (headers, TLS handshake, body) returns at once, and the fetch ends as timed out.

The same hook judges the address each connection reaches, before a byte of the request is
sent: once a fetch was answered from a public address, a later hop (a redirect) to a
loopback, link-local or private address is refused, so that a feed on the internet cannot make
the reader ask a service of the local network (a router, a cloud's 169.254.169.254). A feed
the user subscribed to on their own network may redirect anywhere. A name gives no cover: the
address connected to counts. Through a proxy only the addresses written in URLs are known,
and judged (`Exchange.judge_host`).

A session gets this from `watch(session)`, which mounts an adapter whose pools make watched
connections; a connection finds the Exchange of its fetch by thread, as a Session is used by
one thread at a time.
"""

from __future__ import annotations

import contextlib
import ipaddress
import math
import socket
import threading
from types import TracebackType
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_current = threading.local()  # .exchange: the Exchange of the fetch this thread is doing


class AddressRefused(Exception):
    """A hop to a local address after a public one; the message says which, for the reader."""


def is_public(address: IPAddress) -> bool:
    """Whether `address` is on the internet (not loopback, link-local, private, reserved...)."""
    return address.is_global


def describe(address: IPAddress) -> str:
    """ "link-local address 169.254.169.254": what kind of address, for a reason."""
    if address.is_loopback:
        kind = "loopback"
    elif address.is_link_local:
        kind = "link-local"
    elif address.is_private:
        kind = "private"
    else:
        kind = "non-public"
    return f"{kind} address {address}"


def parse_address(text: str) -> IPAddress | None:
    """The IP address written in `text` (a URL's host, a socket's peer), IPv4 inside IPv6
    unwrapped (::ffff:127.0.0.1 is loopback); None for a name."""
    try:
        address = ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


class Exchange:
    """One fetch, redirects included: its deadline and the addresses it reached.

    Used as a context manager around the requests of the fetch, in the thread that makes them.
    """

    def __init__(self, timeout: float) -> None:
        self.timed_out = False  # the watchdog shut the sockets down
        self._public_seen = False  # a hop was answered from a public address
        self._lock = threading.Lock()
        self._finished = False
        self._connections: list[Any] = []  # urllib3 connections; their socket may change
        self._sockets: list[socket.socket] = []  # sockets connected, before TLS wraps them
        # A time-out of nan or inf (settings are checked elsewhere) must not kill the timer.
        longest = threading.TIMEOUT_MAX
        interval = longest if math.isnan(timeout) else min(max(timeout, 0.0), longest)
        self._timer = threading.Timer(interval, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Exchange:
        _current.exchange = self
        self._timer.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        with self._lock:
            self._finished = True
        self._timer.cancel()
        _current.exchange = None

    def judge_host(self, host: str | None) -> None:
        """Judge an address written as a URL's host before asking it; a name is judged once
        connected (`judge`)."""
        address = None if host is None else parse_address(host)
        if address is not None:
            self.judge(address)

    def judge(self, address: IPAddress) -> None:
        if is_public(address):
            self._public_seen = True
        elif self._public_seen:
            raise AddressRefused(
                f"refused a redirect from a public server to the {describe(address)}"
            )

    def connected(self, sock: socket.socket, direct: bool) -> None:
        """A socket just connected (`direct`: to the server, not to a proxy)."""
        self._watch(sock=sock)
        if direct:
            self._judge_peer(sock)

    def sending(self, connection: Any) -> None:
        """A request about to go out on `connection`, new or kept open from before."""
        self._watch(connection=connection)
        if connection.sock is not None and not connection.proxy:
            self._judge_peer(connection.sock)

    def _judge_peer(self, sock: socket.socket) -> None:
        try:
            peer = sock.getpeername()
        except OSError:
            return  # no longer connected: the request fails on its own
        address = parse_address(str(peer[0])) if isinstance(peer, tuple) else None
        if address is not None:
            self.judge(address)

    def _watch(self, *, sock: socket.socket | None = None, connection: Any = None) -> None:
        with self._lock:
            if sock is not None:
                self._sockets.append(sock)
            if connection is not None:
                self._connections.append(connection)
            expired = self.timed_out
        if expired:  # connected after the deadline passed
            _shut(sock if sock is not None else connection.sock)

    def _expire(self) -> None:
        with self._lock:
            if self._finished:
                return
            self.timed_out = True
            targets = [c.sock for c in self._connections] + self._sockets
        for sock in targets:
            _shut(sock)


def _shut(sock: socket.socket | None) -> None:
    """End every read and write on `sock`, from another thread. The plain socket's shutdown,
    also under TLS: SSLSocket.shutdown would drop its TLS state under the reading thread."""
    if sock is None:
        return
    # OSError: closed already, or detached when TLS wrapped it (its wrapper is watched).
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _exchange() -> Exchange | None:
    return getattr(_current, "exchange", None)


class _Watched:
    """What watched HTTP and HTTPS connections add: their sockets and requests reported to the
    Exchange of the fetch under way, which may refuse them."""

    proxy: Any
    sock: socket.socket | None

    def _new_conn(self) -> socket.socket:
        sock: socket.socket = super()._new_conn()  # type: ignore[misc]
        exchange = _exchange()
        if exchange is not None:
            try:
                exchange.connected(sock, direct=not self.proxy)
            except BaseException:
                sock.close()
                raise
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:
        exchange = _exchange()
        if exchange is not None:
            exchange.sending(self)
        super().request(*args, **kwargs)  # type: ignore[misc]


class _WatchedHTTPConnection(_Watched, urllib3.connection.HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, urllib3.connection.HTTPSConnection):
    pass


class _WatchedHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_WATCHED_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class _WatchedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _WATCHED_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        # SOCKS proxies have pools of their own: their fetches keep requests' time-outs only.
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = _WATCHED_POOLS
        return manager


def watch(session: requests.Session) -> requests.Session:
    """`session`, its HTTP and HTTPS connections watched (once; other adapters replaced)."""
    if not isinstance(session.get_adapter("http://"), _WatchedAdapter):
        session.mount("http://", _WatchedAdapter())
        session.mount("https://", _WatchedAdapter())
    return session
