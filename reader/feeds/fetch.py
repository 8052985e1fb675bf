"""HTTP for feeds: a GET with a deadline, redirects, conditional GET and a size cap; many at once.

Failures are values (`FetchFailed` with a short reason), not exceptions: with twenty
subscriptions, one being down is the normal case. Only bugs raise.

Time: `timeout` is a deadline for the whole fetch, redirects included. Each wait for bytes is
bounded by the time left when its request started, and the body is read as it arrives and
checked against the deadline; so a server that never answers and one that trickles its body
both end at about `timeout`, and one that stalls half-way through the body within twice that.
(Headers trickled byte by byte are bounded per byte only: http.client reads them whole.)

Threads: `fetch` keeps no state; call it from any thread, with a `session` that only that
thread uses (requests does not promise a Session is thread-safe). `fetch_all` gives each of
its worker threads its own Session; they are daemon threads, so quitting never waits on them.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions

from reader import __version__
from reader.http_errors import request_failure, status_reason, timed_out

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


class _Stop(Exception):
    """Ends a fetch with a reason; `fetch` returns it as a FetchFailed."""


def fetch(
    url: str,
    validators: Validators | None = None,
    *,
    timeout: float = 10.0,
    session: requests.Session | None = None,
) -> Fetched | FetchFailed:
    """GET `url`, asking only for a newer version than `validators` describe.

    Follows up to MAX_REDIRECTS redirects; `timeout` seconds bound the whole (see the module).
    Without a `session`, one is made and closed for this fetch."""
    sent = validators or Validators()
    start = time.monotonic()
    deadline = start + timeout
    http = session or requests.Session()
    current = url
    try:
        for _ in range(MAX_REDIRECTS + 1):
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
                    current = urljoin(current, target)
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
    except _Stop as stop:
        return FetchFailed(url, str(stop))
    except (requests.RequestException, urllib3.exceptions.HTTPError) as error:
        return FetchFailed(url, request_failure(error, current, timeout))
    finally:
        if session is None:
            http.close()


def fetch_all(
    jobs: Sequence[tuple[str, Validators | None]],
    *,
    max_parallel: int = 20,
    timeout: float = 10.0,
    stop: Callable[[], bool] | None = None,
) -> Iterator[tuple[int, Fetched | FetchFailed]]:
    """Fetch every (url, validators) of `jobs`, `max_parallel` at a time.

    Yields (index in jobs, result) as each completes, every index once. Each fetch ends within
    its `timeout`, so the whole does too. When `stop()` turns true, or the caller leaves the
    loop, no new fetch starts and the generator ends within a twentieth of a second; fetches
    under way finish on their own. The workers are daemon threads, so a program that quits
    meanwhile never waits for the network."""
    if not jobs:
        return
    waiting: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(len(jobs)):
        waiting.put(index)
    done: queue.SimpleQueue[tuple[int, Fetched | FetchFailed | BaseException]] = queue.SimpleQueue()
    stopped = threading.Event()

    def work() -> None:
        with requests.Session() as session:  # one per thread: Session is not thread-safe
            while not stopped.is_set():
                try:
                    index = waiting.get_nowait()
                except queue.Empty:
                    return
                url, validators = jobs[index]
                try:
                    done.put((index, fetch(url, validators, timeout=timeout, session=session)))
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


def _check_scheme(url: str) -> None:
    try:
        scheme = urlsplit(url).scheme
    except ValueError as error:  # "http://[::1" and the like
        raise _Stop("invalid URL") from error
    if scheme.lower() not in ("http", "https"):
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
        raise _Stop(status_reason(response.status_code))
    return _body(response, deadline, timeout), Validators(etag, last_modified)


def _body(response: requests.Response, deadline: float, timeout: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _Stop(_TOO_LARGE)
    body = bytearray()
    # read1 returns what has arrived instead of waiting for a full chunk, so the deadline is
    # checked while a server trickles; decoded, so the cap also stops a compressed bomb.
    while chunk := response.raw.read1(_READ_BYTES, decode_content=True):
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise _Stop(_TOO_LARGE)
        if time.monotonic() > deadline:
            raise _Stop(timed_out(timeout))
    return bytes(body)
