"""HTTP for feeds: a GET with a deadline, redirects, conditional GET and a size cap; many at once.

Failures are values (`FetchFailed` with a short reason), not exceptions: with twenty
subscriptions, one being down is the normal case. Only bugs raise.

Time: `timeout` is a deadline for the whole fetch, redirects and headers included: a watchdog
shuts the fetch's sockets down when it passes (reader/connections.py), so a server that never
answers, one that trickles its headers or its body, and one that stalls half-way all end at
about `timeout`.

Where: once a hop was answered from a public address, a redirect to a loopback, link-local or
private address is refused (reader/connections.py), and said so.

Retry-After: a 429 or 503 that asks the client to wait says how long in `FetchFailed.
retry_after` (bounded by MAX_RETRY_AFTER); `fetch_all` then asks no other feed of that server
until the time is up, and the refresh remembers it for the next one.

Threads: `fetch` keeps no state; call it from any thread, with a `session` that only that
thread uses (requests does not promise a Session is thread-safe). `fetch_all` gives each of
its worker threads its own Session; they are daemon threads, so quitting never waits on them.
One feed's failure of any kind, a bug included, is that feed's FetchFailed.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions

from reader import __version__
from reader.connections import AddressRefused, Exchange, watch
from reader.http_errors import (
    request_failure,
    retry_after_seconds,
    status_reason,
    timed_out,
    unexpected,
)

USER_AGENT = f"nieuwslezer/{__version__} (terminal news reader; +https://github.com/nieuwslezer)"
# Feed types first: some servers answer a client that accepts anything alike with HTML.
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
MAX_REDIRECTS = 5
# Large real feeds are a few MB; more is a wrong URL (a video, a dump) or hostile.
MAX_BODY_BYTES = 20_000_000
_TOO_LARGE = f"response larger than {MAX_BODY_BYTES // 1_000_000} MB"
_READ_BYTES = 64 * 1024
# A server may ask to be left alone for a while (429 Too Many Requests, 503 Service
# Unavailable); longer than this, and a feed would fall silent for a day on one bad answer.
MAX_RETRY_AFTER = 6 * 3600  # seconds
_WAIT_STATUSES = frozenset({429, 503})


@dataclass(frozen=True, slots=True)
class Validators:
    """What identifies the version of a feed the server sent; sent back, it asks "changed?"."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    status: int  # 200 (or another 2xx) with the body; 304: unchanged since the validators sent
    body: bytes  # b"" on 304; decoded when the server compressed it
    content_type: str | None
    validators: Validators  # on 304, those sent where the server did not repeat them
    elapsed: float  # seconds


@dataclass(frozen=True, slots=True)
class FetchFailed:
    url: str  # as asked for
    reason: str  # short, for the reader: "connection refused", "HTTP 404 Not Found"
    # Seconds the server asked not to be asked again (Retry-After on a 429 or 503), at most
    # MAX_RETRY_AFTER; None: it did not ask.
    retry_after: float | None = None
    # False: not asked at all, as another feed of its server asked to wait `retry_after`
    # seconds, for the reason `reason` (fetch_all).
    asked: bool = True


class _Stop(Exception):
    """Ends a fetch with a reason; `fetch` returns it as a FetchFailed."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


def fetch(
    url: str,
    validators: Validators | None = None,
    *,
    timeout: float = 10.0,
    session: requests.Session | None = None,
) -> Fetched | FetchFailed:
    """GET `url`, asking only for a newer version than `validators` describe.

    Follows up to MAX_REDIRECTS redirects; `timeout` seconds bound the whole (see the module).
    Without a `session`, one is made (new_session) and closed for this fetch; a session given
    is watched (connections.watch). Never raises: whatever goes wrong is the FetchFailed's
    reason."""
    http = watch(session) if session is not None else new_session()
    hops = [url]  # each address asked, the last one last
    try:
        with Exchange(timeout) as exchange:
            try:
                result: Fetched | FetchFailed = _follow(http, hops, validators, timeout)
            except _Stop as stop:
                result = FetchFailed(url, str(stop), stop.retry_after)
            except AddressRefused as refused:
                result = FetchFailed(url, str(refused))
            except (requests.RequestException, urllib3.exceptions.HTTPError) as error:
                result = FetchFailed(url, request_failure(error, hops[-1], timeout))
            except Exception as error:  # a bug, or a library's: this feed's failure only
                result = FetchFailed(url, unexpected(error))
        # The watchdog may have cut the answer short, and a cut answer can look whole.
        return FetchFailed(url, timed_out(timeout)) if exchange.timed_out else result
    finally:
        if session is None:
            http.close()


class _FeedSession(requests.Session):
    """A Session that leaves redirects to `fetch`: requests reads a redirect's Location even
    when told not to follow it (for Response.next), and raises on one it cannot parse."""

    def resolve_redirects(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        return iter(())


def new_session() -> requests.Session:
    """A Session for fetching feeds, its connections watched (reader/connections.py)."""
    return watch(_FeedSession())


def _follow(
    http: requests.Session,
    hops: list[str],
    validators: Validators | None,
    timeout: float,
) -> Fetched:
    """Ask hops[-1], following redirects (each appended to `hops`) up to the answer; _Stop
    with the reason it ends otherwise."""
    sent = validators or Validators()
    start = time.monotonic()
    deadline = start + timeout
    for _ in range(MAX_REDIRECTS + 1):
        current = hops[-1]
        _check_scheme(current)
        left = deadline - time.monotonic()
        if left <= 0:
            raise _Stop(timed_out(timeout))
        # Redirects are followed here, not by requests, so each hop gets only the time left.
        with http.get(
            current,
            headers=_request_headers(sent),
            timeout=left,
            stream=True,
            allow_redirects=False,
        ) as response:
            target = http.get_redirect_target(response)
            if target is not None:
                try:
                    hops.append(urljoin(current, target))
                except ValueError as error:  # "Location: http://[::1" and the like
                    raise _Stop("redirected to an invalid address") from error
                continue
            body, received = _content(response, sent, deadline, timeout)
            return Fetched(
                url=current,
                status=response.status_code,
                body=body,
                content_type=response.headers.get("Content-Type"),
                validators=received,
                elapsed=time.monotonic() - start,
            )
    raise _Stop("too many redirects")


def fetch_all(
    jobs: Sequence[tuple[str, Validators | None]],
    *,
    max_parallel: int = 20,
    timeout: float = 10.0,
    stop: Callable[[], bool] | None = None,
) -> Iterator[tuple[int, Fetched | FetchFailed]]:
    """Fetch every (url, validators) of `jobs`, `max_parallel` at a time.

    Yields (index in jobs, result) as each completes, every index once. Each fetch ends within
    its `timeout`, so the whole does too. A fetch that raises (a bug) is that job's FetchFailed.
    Once a server asked to wait (FetchFailed.retry_after), the jobs of that server not yet
    started are not asked until the time is up: FetchFailed with `asked` false. When `stop()`
    turns true, or the caller leaves the loop, no new fetch starts and the generator ends
    within a twentieth of a second; fetches under way finish on their own. The workers are
    daemon threads, so a program that quits meanwhile never waits for the network."""
    if not jobs:
        return
    waiting: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(len(jobs)):
        waiting.put(index)
    done: queue.SimpleQueue[tuple[int, Fetched | FetchFailed | BaseException]] = queue.SimpleQueue()
    stopped = threading.Event()
    # server -> (until, on time.monotonic(); the answer that asked to wait)
    waits: dict[str, tuple[float, FetchFailed]] = {}
    waits_lock = threading.Lock()

    def fetch_one(
        url: str, validators: Validators | None, session: requests.Session
    ) -> Fetched | FetchFailed:
        server = server_of(url)
        with waits_lock:
            until, asked_to_wait = waits.get(server, (0.0, None))
        if asked_to_wait is not None and time.monotonic() < until:
            return FetchFailed(url, asked_to_wait.reason, asked_to_wait.retry_after, asked=False)
        try:
            result = fetch(url, validators, timeout=timeout, session=session)
        except Exception as bug:  # fetch returns failures; this one is a bug, this job's alone
            return FetchFailed(url, unexpected(bug))
        if isinstance(result, FetchFailed) and result.retry_after is not None:
            with waits_lock:
                waits[server] = (time.monotonic() + result.retry_after, result)
        return result

    def work() -> None:
        with new_session() as session:  # one per thread: Session is not thread-safe
            while not stopped.is_set():
                try:
                    index = waiting.get_nowait()
                except queue.Empty:
                    return
                url, validators = jobs[index]
                try:
                    done.put((index, fetch_one(url, validators, session)))
                except BaseException as bug:  # re-raised in the caller's thread, not lost
                    done.put((index, bug))

    for number in range(min(max_parallel, len(jobs))):
        threading.Thread(target=work, name=f"feed-fetch-{number}", daemon=True).start()
    try:
        for _ in range(len(jobs)):
            while True:
                if stop is not None and stop():
                    return
                try:
                    index, result = done.get(timeout=0.05)
                    break
                except queue.Empty:
                    continue
            if isinstance(result, BaseException):
                raise result
            yield index, result
    finally:
        stopped.set()


def server_of(url: str) -> str:
    """The server a feed's address names, as "host" or "host:port": what a Retry-After is for."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    host = parts.hostname or ""
    return f"{host}:{port}" if port is not None else host


def _check_scheme(url: str) -> None:
    """_Stop unless `url` is an http(s) URL."""
    try:
        parts = urlsplit(url)
    except ValueError as error:  # "http://[::1" and the like
        raise _Stop("invalid URL") from error
    if parts.scheme.lower() not in ("http", "https"):
        raise _Stop("not http(s)")


def _request_headers(sent: Validators) -> dict[str, str]:
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if sent.etag:
        headers["If-None-Match"] = sent.etag
    if sent.last_modified:
        headers["If-Modified-Since"] = sent.last_modified
    return headers


def _content(
    response: requests.Response, sent: Validators, deadline: float, timeout: float
) -> tuple[bytes, Validators]:
    """The body and validators of a final answer; a reason to stop for any status but 2xx/304."""
    etag, last_modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
    if response.status_code == 304:
        return b"", Validators(etag or sent.etag, last_modified or sent.last_modified)
    if not 200 <= response.status_code < 300:
        wait = None
        if response.status_code in _WAIT_STATUSES:
            headers = response.headers
            asked = retry_after_seconds(
                headers.get("Retry-After"), headers.get("Date"), datetime.now(UTC)
            )
            wait = None if asked is None else min(asked, MAX_RETRY_AFTER)
        raise _Stop(status_reason(response.status_code), wait)
    return _body(response, deadline, timeout), Validators(etag, last_modified)


def _body(response: requests.Response, deadline: float, timeout: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _Stop(_TOO_LARGE)
    body = bytearray()
    # read1 returns what has arrived instead of waiting for a full chunk, so the deadline is
    # checked while a server trickles (the watchdog ends a stall); decoded, so the cap also
    # stops a compressed bomb.
    while chunk := response.raw.read1(_READ_BYTES, decode_content=True):
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise _Stop(_TOO_LARGE)
        if time.monotonic() > deadline:
            raise _Stop(timed_out(timeout))
    return bytes(body)
