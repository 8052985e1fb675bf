"""Network and HTTP failures as short reasons a reader can act on ("timed out after 10 s").

Shared by the feed fetcher and the translation backends, so one failure reads the same in both.
requests and urllib3 are imported on first use: the translation backends load this module at
start-up, before anything is fetched.
"""

from __future__ import annotations

from collections.abc import Iterator
from http import HTTPStatus
from urllib.parse import urlsplit


def timed_out(timeout: float) -> str:
    return f"timed out after {timeout:g} s"


def status_reason(status: int) -> str:
    """ "HTTP 404 Not Found"; the number alone for a status the standard does not name."""
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


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
