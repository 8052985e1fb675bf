"""Network and HTTP failures as short reasons a reader can act on ("timed out after 10 s").

Shared by the feed fetcher and the translation backends, so one failure reads the same in both.
requests and urllib3 are imported on first use: the translation backends load this module at
start-up, before anything is fetched.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from urllib.parse import urlsplit

_UNEXPECTED_LENGTH = 200  # of an exception's message in a reason: it may quote a whole document


def timed_out(timeout: float) -> str:
    return f"timed out after {timeout:g} s"


def status_reason(status: int) -> str:
    """ "HTTP 404 Not Found"; the number alone for a status the standard does not name."""
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def unexpected(error: BaseException) -> str:
    """A failure nothing foresaw (a bug, here or in a library), as one item's reason:
    "unexpected error (TypeError: ...)"."""
    message = str(error)
    if len(message) > _UNEXPECTED_LENGTH:
        message = message[:_UNEXPECTED_LENGTH] + "…"
    kind = type(error).__name__
    return f"unexpected error ({kind}: {message})" if message else f"unexpected error ({kind})"


def retry_after_seconds(value: str | None, date: str | None, now: datetime) -> float | None:
    """How long a Retry-After header asks to wait, in seconds; None when it asks nothing
    usable (absent, garbled, zero or past).

    It is a number of seconds or an HTTP date; a date counts from the answer's Date header,
    the server's own clock, when there is one: clocks that disagree then make no difference.
    `now` is the time (aware) to count from without one."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        digits = value.lstrip("0")
        if not digits:
            return None
        return 1e11 if len(digits) > 11 else float(digits)  # more is as good as for ever
    until, sent = _http_date(value), _http_date(date) or now
    if until is None:
        return None
    seconds = (until - sent).total_seconds()
    return seconds if seconds > 0 else None


def _http_date(text: str | None) -> datetime | None:
    """An HTTP date (in GMT) as an aware datetime; None for anything else."""
    if not text:
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return moment if moment.tzinfo is not None else None


def request_failure(error: Exception, url: str, timeout: float) -> str:
    """What went wrong in a request to `url`, from requests' or urllib3's exception.

    Both wrap the operating system's error a few levels down, so the causes are searched,
    the most telling first (urllib3's connection errors are also its connect timeouts)."""
    import socket
    import ssl

    import requests
    import urllib3.exceptions as urllib3_errors

    causes = list(_causes(error))

    def found(*kinds: type[BaseException]) -> bool:
        return any(isinstance(cause, kinds) for cause in causes)

    if found(requests.exceptions.ProxyError, urllib3_errors.ProxyError):
        return "proxy unreachable"
    if found(socket.gaierror):
        return f"no network / DNS lookup failed for {urlsplit(url).hostname}"
    if found(ConnectionRefusedError):
        return "connection refused"
    if found(requests.Timeout, urllib3_errors.ReadTimeoutError, TimeoutError):
        return timed_out(timeout)
    if found(ssl.SSLError, requests.exceptions.SSLError, urllib3_errors.SSLError):
        return "TLS error"
    if found(requests.exceptions.InvalidURL, urllib3_errors.LocationValueError):
        return "invalid URL"
    if found(requests.exceptions.ContentDecodingError, urllib3_errors.DecodeError):
        return "could not decode the response"
    if found(ConnectionError, requests.ConnectionError, urllib3_errors.ProtocolError):
        return "connection lost"
    return f"failed ({type(error).__name__})"


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error and those it wraps: in args (requests), .reason (urllib3) and __cause__."""
    pending, seen = [error], set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped = (current.__cause__, getattr(current, "reason", None), *current.args)
        pending += [inner for inner in wrapped if isinstance(inner, BaseException)]
