"""The connections feeds are fetched and paragraphs translated over: one deadline for the
whole exchange, and where a redirect may lead.

requests bounds each wait for bytes, not an exchange: a server that sends its status line and
headers a byte a second is never "timed out". So each fetch, and each paragraph's translation,
is an `Exchange`, whose watchdog (a timer) shuts down the sockets it uses when its deadline
passes: a read blocked anywhere (headers, TLS handshake, body) returns at once, and the
exchange ends as timed out.

The same hook judges the address each connection reaches, before a byte of the request is
sent: once an exchange was answered from a public address, a later hop (a redirect) to a
loopback, link-local or private address is refused, so that a server on the internet (a feed,
a translation service) cannot make the reader ask a service of the local network (a router, a
cloud's 169.254.169.254). A server the user chose on their own network (a feed, a
LibreTranslate on localhost) may redirect anywhere. A name gives no cover: the address
connected to counts. Through a proxy the proxy looks names up, so only the URL of each hop is
known (`Exchange.judge_proxied`): an address written in it is judged as such, a name of the
local network (localhost, a single label, .local...) as a local address, any other name as
public. A name that the proxy resolves to a local address is the limit: it cannot be told.

A session gets this from `watch(session)`, which mounts an adapter whose pools make watched
connections; a connection finds the Exchange under way by thread, as a Session is used by
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
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.utils import select_proxy

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_current = threading.local()  # .exchange: the Exchange under way in this thread


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


# Names that only the local network knows: RFC 6761 (localhost), RFC 6762 (mDNS), RFC 8375,
# and .internal, which ICANN keeps for private use (metadata.google.internal).
_LOCAL_NAME_ENDINGS = (".localhost", ".local", ".home.arpa", ".internal")


def is_local_name(name: str) -> bool:
    """Whether the host name `name` can only mean a machine of the local network: localhost,
    a single label ("router", found through the search domain) or a local-only domain."""
    name = name.lower().rstrip(".")
    return name == "localhost" or "." not in name or name.endswith(_LOCAL_NAME_ENDINGS)


def parse_address(text: str) -> IPAddress | None:
    """The IP address written in `text` (a URL's host, a socket's peer), IPv4 inside IPv6
    unwrapped (::ffff:127.0.0.1 is loopback); None for a name. IPv4 is also read as inet_aton
    reads it, as a proxy may ("169.254.43518", "0xa9fea9fe", octal): no name of the internet."""
    try:
        address: IPAddress = ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        try:
            address = ipaddress.IPv4Address(socket.inet_aton(text))
        except (OSError, ValueError):  # ValueError: a NUL in `text`
            return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


class Exchange:
    """One fetch or translation, redirects included: its deadline and the addresses it reached.

    Used as a context manager around its requests, in the thread that makes them.
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

    def judge_proxied(self, host: str | None) -> None:
        """Judge a hop asked through a proxy by its URL's `host`, before the proxy is asked;
        a hop asked directly is judged by the address connected to (`connected`)."""
        address = None if not host else parse_address(host)
        if address is not None:
            self.judge(address)
        elif host:
            self._judge(not is_local_name(host), f"local name {host.rstrip('.')}")

    def judge(self, address: IPAddress) -> None:
        self._judge(is_public(address), describe(address))

    def _judge(self, public: bool, described: str) -> None:
        if public:
            self._public_seen = True
        elif self._public_seen:
            raise AddressRefused(f"refused a redirect from a public server to the {described}")

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
    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: dict[str, str] | None = None,
    ) -> requests.Response:
        # Every hop passes here, redirects that requests follows included; the proxy chosen is
        # the one the connection will go through (NO_PROXY applied already).
        exchange = _exchange()
        if exchange is not None and request.url and select_proxy(request.url, proxies):
            try:
                host = urlsplit(request.url).hostname
            except ValueError:  # the request fails on its own
                host = None
            exchange.judge_proxied(host)
        return super().send(request, stream, timeout, verify, cert, proxies)

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
