"""Fetching feeds over real HTTP from a local server: headers, conditional GET, redirects,
failures as short reasons, deadlines against servers that stall, and fetching in parallel."""

from __future__ import annotations

import gzip
import random
import socket
import threading
import time
from collections.abc import Iterator
from typing import Literal

import pytest

from reader import __version__
from reader.feeds.fetch import (
    MAX_BODY_BYTES,
    USER_AGENT,
    Fetched,
    FetchFailed,
    Validators,
    fetch,
    fetch_all,
)
from tests.feed_server import FeedServer, Route

RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>NOS</title></channel></rss>'
ETAG = '"nos-1"'
LAST_MODIFIED = "Wed, 21 May 2026 07:28:00 GMT"


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def refused_url() -> str:
    """An address where nothing listens: a port just bound and let go."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.xml"


def test_a_feed_is_fetched_with_the_user_agent_and_feed_types_accepted(
    server: FeedServer,
) -> None:
    url = server.add("/nos.xml", Route(RSS, etag=ETAG))
    result = fetch(url)
    assert isinstance(result, Fetched)
    assert (result.url, result.status, result.body) == (url, 200, RSS)
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert result.validators == Validators(etag=ETAG)
    assert 0 < result.elapsed < 5
    (request,) = server.received
    assert request.headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith(f"nieuwslezer/{__version__} ")
    assert "application/rss+xml" in request.headers["accept"]
    assert "application/atom+xml" in request.headers["accept"]
    assert request.headers["if-none-match"] is None
    assert request.headers["if-modified-since"] is None


@pytest.mark.parametrize(
    ("etag", "last_modified"),
    [(ETAG, LAST_MODIFIED), (ETAG, None), (None, LAST_MODIFIED)],
    ids=["both", "etag", "last-modified"],
)
def test_an_unchanged_feed_costs_a_304_without_a_body(
    server: FeedServer, etag: str | None, last_modified: str | None
) -> None:
    url = server.add("/nos.xml", Route(RSS, etag=etag, last_modified=last_modified))
    first = fetch(url)
    assert isinstance(first, Fetched) and first.validators == Validators(etag, last_modified)

    again = fetch(url, first.validators)
    assert isinstance(again, Fetched)
    assert (again.status, again.body, again.validators) == (304, b"", first.validators)
    assert server.not_modified["/nos.xml"] == 1
    sent = server.received[-1].headers
    assert (sent["if-none-match"], sent["if-modified-since"]) == (etag, last_modified)

    server.add("/nos.xml", Route(RSS + b"<!-- new -->", etag='"nos-2"'))
    changed = fetch(url, first.validators)
    assert isinstance(changed, Fetched) and changed.status == 200
    assert changed.body.endswith(b"<!-- new -->")
    assert changed.validators == Validators(etag='"nos-2"')


def test_a_304_that_does_not_repeat_the_validators_keeps_those_sent(server: FeedServer) -> None:
    url = server.add("/nos.xml", Route(status=304))
    sent = Validators(ETAG, LAST_MODIFIED)
    result = fetch(url, sent)
    assert isinstance(result, Fetched) and (result.status, result.validators) == (304, sent)


def test_redirects_are_followed_and_the_final_url_reported(server: FeedServer) -> None:
    final = server.add("/feeds/nos.xml", Route(RSS))
    server.add_redirect("/nos", "/feeds/old.xml", status=301)
    server.add_redirect("/feeds/old.xml", "nos.xml", status=302)  # relative to /feeds/
    result = fetch(server.url("/nos"))
    assert isinstance(result, Fetched)
    assert (result.url, result.body) == (final, RSS)
    assert server.received[-1].headers["user-agent"] == USER_AGENT


def test_a_redirect_loop_fails_after_a_few_hops(server: FeedServer) -> None:
    server.add_redirect("/a", "/b")
    server.add_redirect("/b", "/a")
    assert fetch(server.url("/a")) == FetchFailed(server.url("/a"), "too many redirects")
    assert server.hits["/a"] + server.hits["/b"] == 6  # the first request and five redirects


def test_a_server_that_never_answers_times_out(server: FeedServer) -> None:
    url = server.add("/stuck.xml", Route(hang=True))
    start = time.monotonic()
    assert fetch(url, timeout=0.5) == FetchFailed(url, "timed out after 0.5 s")
    assert time.monotonic() - start < 1.5


def test_a_server_that_trickles_is_stopped_at_the_deadline(server: FeedServer) -> None:
    url = server.add("/slow.xml", Route(RSS * 10, trickle=0.02))  # about 16 s for all of it
    start = time.monotonic()
    assert fetch(url, timeout=0.5) == FetchFailed(url, "timed out after 0.5 s")
    assert time.monotonic() - start < 1.5


def test_a_server_that_trickles_is_stopped_at_the_deadline_across_redirects(
    server: FeedServer,
) -> None:
    server.latency = 0.2
    url = server.add_redirect("/nos", "/slow.xml")
    server.add("/slow.xml", Route(RSS * 10, trickle=0.02))
    start = time.monotonic()
    assert fetch(url, timeout=0.5) == FetchFailed(url, "timed out after 0.5 s")
    assert time.monotonic() - start < 1.5


def test_connection_refused() -> None:
    url = refused_url()
    assert fetch(url, timeout=2) == FetchFailed(url, "connection refused")


def test_no_network_names_the_host(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_dns(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(variable)  # straight to the (unresolvable) host
    url = "https://feeds.nos.nl/nosnieuwsalgemeen"
    assert fetch(url, timeout=2) == FetchFailed(
        url, "no network / DNS lookup failed for feeds.nos.nl"
    )


def test_tls_error(server: FeedServer) -> None:
    url = server.add("/nos.xml", Route(RSS)).replace("http:", "https:")  # it speaks plain HTTP
    assert fetch(url, timeout=2) == FetchFailed(url, "TLS error")


@pytest.mark.parametrize(
    ("status", "reason"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error")]
)
def test_http_errors_have_the_status_as_reason(
    server: FeedServer, status: int, reason: str
) -> None:
    url = server.add("/nos.xml", Route(b"oops", status=status, content_type="text/plain"))
    assert fetch(url) == FetchFailed(url, reason)


def test_an_unknown_path_is_a_404(server: FeedServer) -> None:
    url = server.url("/nowhere.xml")
    assert fetch(url) == FetchFailed(url, "HTTP 404 Not Found")


@pytest.mark.parametrize("framing", ["length", "close", "chunked"])
def test_a_compressed_feed_arrives_whole_and_decoded(
    server: FeedServer, framing: Literal["length", "close", "chunked"]
) -> None:
    text = random.Random(1).randbytes(40_000).hex().encode()  # compressed, still many chunks
    route = Route(gzip.compress(text), headers={"Content-Encoding": "gzip"}, framing=framing)
    result = fetch(server.add("/nos.xml", route))
    assert isinstance(result, Fetched) and result.body == text


@pytest.mark.parametrize("how", ["declared", "undeclared", "compressed"])
def test_a_body_over_the_cap_fails_instead_of_filling_memory(server: FeedServer, how: str) -> None:
    too_large = b"x" * (MAX_BODY_BYTES + 1)
    route = {
        "declared": Route(too_large),
        "undeclared": Route(too_large, framing="close"),
        "compressed": Route(gzip.compress(too_large), headers={"Content-Encoding": "gzip"}),
    }[how]
    url = server.add("/huge.xml", route)
    assert fetch(url) == FetchFailed(url, "response larger than 20 MB")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://feeds.nos.nl/nieuws.xml", "not http(s)"),
        ("file:///etc/passwd", "not http(s)"),
        ("feeds.nos.nl/nosnieuwsalgemeen", "not http(s)"),
        ("http://[::1/feed", "invalid URL"),
        ("http://", "invalid URL"),
    ],
)
def test_what_is_not_an_http_url_fails_without_a_request(url: str, reason: str) -> None:
    assert fetch(url) == FetchFailed(url, reason)


def test_a_redirect_to_another_scheme_fails(server: FeedServer) -> None:
    url = server.add_redirect("/nos.xml", "file:///etc/passwd")
    assert fetch(url) == FetchFailed(url, "not http(s)")


def test_fetch_all_runs_in_parallel_within_the_bound_and_yields_every_index_once() -> None:
    with FeedServer(latency=0.1) as server:
        urls = [server.add(f"/{index}.xml", Route(b"feed %d" % index)) for index in range(20)]
        start = time.monotonic()
        results = list(fetch_all([(url, None) for url in urls], max_parallel=8))
        wall = time.monotonic() - start
    assert sorted(index for index, _ in results) == list(range(20))
    for index, result in results:
        assert isinstance(result, Fetched) and result.body == b"feed %d" % index
    assert 2 <= server.most_in_flight <= 8
    assert wall < 20 * 0.1, "one after another would take this long"


def test_fetch_all_is_not_held_up_by_a_server_that_never_answers(server: FeedServer) -> None:
    stuck = server.add("/stuck.xml", Route(hang=True))
    fine = server.add("/nos.xml", Route(RSS, etag=ETAG))
    refused = refused_url()
    jobs = [(stuck, None), (fine, None), (refused, None), (fine, Validators(etag=ETAG))]
    start = time.monotonic()
    results = dict(fetch_all(jobs, max_parallel=2, timeout=0.5))
    assert time.monotonic() - start < 1.5
    assert results[0] == FetchFailed(stuck, "timed out after 0.5 s")
    assert isinstance(results[1], Fetched) and results[1].body == RSS
    assert results[2] == FetchFailed(refused, "connection refused")
    assert isinstance(results[3], Fetched) and results[3].status == 304


def test_fetch_all_of_nothing_yields_nothing() -> None:
    assert list(fetch_all([])) == []


def test_fetch_all_stops_at_once_when_asked_even_while_a_server_hangs(server: FeedServer) -> None:
    stuck = server.add("/stuck.xml", Route(hang=True))
    fine = server.add("/nos.xml", Route(RSS, etag=ETAG))
    asked_to_stop = threading.Event()
    results = fetch_all([(fine, None), (stuck, None)], timeout=30, stop=asked_to_stop.is_set)
    first_index, first = next(results)
    assert (first_index, isinstance(first, Fetched)) == (0, True)
    asked_to_stop.set()
    start = time.monotonic()
    assert list(results) == []  # the hanging fetch is left behind, not waited for
    assert time.monotonic() - start < 0.5
