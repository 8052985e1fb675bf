"""Hostile servers against the feed fetcher and the refresh (issue #13, points 2, 9, 14, 15).

One feed's bad answer is that feed's error and nothing more (a redirect to an address that
cannot be parsed, a document that breaks the conversion, a store that refuses one feed, a
mutated document); the deadline covers the whole exchange (headers trickled byte by byte);
a public server cannot send the fetcher to a loopback, link-local or private address; and a
server's Retry-After is honoured, bounded, across refreshes. Every server is on loopback:
127.0.0.2 stands for a public host where a test says so (`public_127_0_0_2`).
"""

from __future__ import annotations

import os
import random
import re
import socket
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
import requests

import reader.feeds.fetch
import reader.feeds.refresh
from reader.feeds.fetch import MAX_RETRY_AFTER, Fetched, FetchFailed, fetch, fetch_all
from reader.feeds.refresh import FeedOutcome, Status
from reader.feeds.schema import MIGRATIONS, SCHEMA_VERSION
from reader.feeds.settings import FeedSettings
from reader.feeds.store import FeedStore, StoreError
from reader.feeds.subscriptions import Subscription, add_subscription
from reader.ui.row_list import RowList
from reader.ui.screens import ListScreen
from tests.feed_server import FeedServer, Route
from tests.test_cli_feeds import run
from tests.test_feed_refresh import NOW
from tests.test_feed_refresh import refresh as outcomes_by_url
from tests.ui.test_feeds import feed_reader

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
QUICK = FeedSettings(timeout=2.0)
RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>NOS</title></channel></rss>'
# feedparser gives `summary: None` for this item (a mistyped end tag), which broke the
# conversion of the whole refresh.
BROKEN_END_TAG = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Kapot</title>'
    b"<item><title>A</tXtle><description>Tekst</description><guid>k1</guid></item>"
    b"</channel></rss>"
)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        running.add_file("/nos.xml", FEEDS / "rss2_full.xml")
        running.add_file("/atom.xml", FEEDS / "atom.xml")
        running.add_redirect("/bad-redirect.xml", "http://[::1")
        running.add("/end-tag.xml", Route(BROKEN_END_TAG))
        yield running


@pytest.fixture
def store(tmp_path: Path) -> Iterator[FeedStore]:
    with FeedStore.open(tmp_path / "feeds.sqlite3") as opened:
        yield opened


# --- point 2: one feed's failure is that feed's, wherever it happens ----------------------


def test_a_redirect_to_an_address_that_cannot_be_parsed_is_that_fetchs_failure(
    server: FeedServer,
) -> None:
    url = server.url("/bad-redirect.xml")
    assert fetch(url) == FetchFailed(url, "redirected to an invalid address")


def test_fetch_all_turns_a_fetch_that_raises_into_that_jobs_failure(
    server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fetch = reader.feeds.fetch.fetch
    bad = server.url("/atom.xml")

    def fetch_with_a_bug(url: str, *args: object, **kwargs: object) -> Fetched | FetchFailed:
        if url == bad:
            raise KeyError("a bug")
        return real_fetch(url, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reader.feeds.fetch, "fetch", fetch_with_a_bug)
    results = dict(fetch_all([(server.url("/nos.xml"), None), (bad, None)]))
    assert isinstance(results[0], Fetched)
    assert results[1] == FetchFailed(bad, "unexpected error (KeyError: 'a bug')")


def test_a_refresh_reports_every_feed_whatever_goes_wrong_with_one(
    server: FeedServer, store: FeedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fetching, reading, converting and storing can each fail for one feed: the others
    are fetched and stored all the same, and each failure is its feed's outcome."""
    for name in ("parse", "save"):
        server.add_file(f"/{name}-bug.xml", FEEDS / "rss2_summary_cut.xml")
    real_parse, real_save = reader.feeds.refresh.parse_feed, FeedStore.save

    def parse_with_a_bug(body: bytes, url: str, content_type: str | None = None) -> object:
        if url.endswith("/parse-bug.xml"):
            raise TypeError("expected string or bytes-like object, got 'NoneType'")
        return real_parse(body, url, content_type)

    def save_with_a_bug(self: FeedStore, feed_url: str, *args: object, **kwargs: object) -> int:
        if feed_url.endswith("/save-bug.xml"):
            raise ValueError("a bug in storing")
        return real_save(self, feed_url, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reader.feeds.refresh, "parse_feed", parse_with_a_bug)
    monkeypatch.setattr(FeedStore, "save", save_with_a_bug)
    paths = ["/bad-redirect.xml", "/parse-bug.xml", "/nos.xml", "/save-bug.xml", "/end-tag.xml"]
    subscriptions = [Subscription(server.url(path)) for path in [*paths, "/atom.xml"]]
    outcomes = outcomes_by_url(subscriptions, store)

    def outcome(path: str) -> FeedOutcome:
        return outcomes[server.url(path)]

    assert outcome("/bad-redirect.xml").reason == "redirected to an invalid address"
    assert outcome("/parse-bug.xml").status is Status.FAILED
    assert outcome("/parse-bug.xml").reason == (
        "unexpected error (TypeError: expected string or bytes-like object, got 'NoneType')"
    )
    assert outcome("/save-bug.xml").reason == "unexpected error (ValueError: a bug in storing)"
    assert outcome("/end-tag.xml").status in (Status.NEW, Status.FAILED)  # never a traceback
    assert outcome("/nos.xml").status is outcome("/atom.xml").status is Status.NEW
    assert {a.feed for a in store.articles()} >= {server.url("/nos.xml"), server.url("/atom.xml")}
    # Each failure is recorded with its feed, for `feeds list`.
    state = store.feed_state(server.url("/parse-bug.xml"))
    assert state is not None and state.last_error == outcome("/parse-bug.xml").reason


def test_a_feed_whose_state_cannot_be_read_is_fetched_whole(
    server: FeedServer, store: FeedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_state = FeedStore.feed_state
    unreadable = server.url("/atom.xml")

    def state_with_damage(self: FeedStore, url: str) -> object:
        if url == unreadable:
            raise StoreError(
                "feed store: reading the state failed (database disk image is malformed)"
            )
        return real_state(self, url)

    monkeypatch.setattr(FeedStore, "feed_state", state_with_damage)
    subscriptions = [Subscription(server.url("/nos.xml")), Subscription(unreadable)]
    outcomes = outcomes_by_url(subscriptions, store)
    assert {o.status for o in outcomes.values()} == {Status.NEW}


def mutated(document: bytes, rng: random.Random) -> bytes:
    """A few random edits of `document`: bytes dropped, doubled, replaced, or moved."""
    data = bytearray(document)
    for _ in range(rng.randint(1, 8)):
        if not data:
            break
        where = rng.randrange(len(data))
        kind = rng.randrange(4)
        if kind == 0:
            del data[where : where + rng.randint(1, 40)]
        elif kind == 1:
            data[where:where] = data[where : where + rng.randint(1, 40)]
        elif kind == 2:
            data[where] = rng.choice(b"<>&;/\"'\x00\xff ]!?=#x")
        else:
            piece = data[where : where + rng.randint(1, 60)]
            del data[where : where + len(piece)]
            spot = rng.randrange(len(data) + 1)
            data[spot:spot] = piece
    return bytes(data)


def test_a_refresh_of_mutated_feeds_reports_one_outcome_per_feed(store: FeedStore) -> None:
    """A seeded mutation of the sample feeds, served all at once with a few hostile answers:
    the refresh ends, and says something for every feed."""
    rng = random.Random(13)
    samples = [path.read_bytes() for path in sorted(FEEDS.glob("*.xml"))]
    with FeedServer() as server:
        urls = [
            server.add(f"/{number}.xml", Route(mutated(rng.choice(samples), rng)))
            for number in range(150)
        ]
        urls.append(server.add_redirect("/bad-redirect.xml", "http://[::1"))
        urls.append(server.add("/end-tag.xml", Route(BROKEN_END_TAG)))
        urls.append(server.add("/headers.xml", Route(RSS, trickle_headers=0.05)))
        start = time.monotonic()
        outcomes = outcomes_by_url(
            [Subscription(url) for url in urls], store, FeedSettings(timeout=1.0)
        )
        assert time.monotonic() - start < 20
    assert outcomes[server.url("/headers.xml")].reason == "timed out after 1 s"
    for outcome in outcomes.values():
        assert outcome.status is not Status.FAILED or outcome.reason


def keep_for_a_century() -> None:
    config = Path(os.environ["NIEUWSLEZER_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text("[feeds]\nkeep_days = 36500\ntimeout = 2\n")


def test_refresh_command_reports_every_feed_after_a_bad_one(server: FeedServer) -> None:
    keep_for_a_century()
    paths = ["/bad-redirect.xml", "/end-tag.xml", "/nos.xml", "/atom.xml"]
    for path in paths:
        add_subscription(server.url(path))
    result = run("refresh")
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    bad = server.url("/bad-redirect.xml")
    assert f"{bad}: error: redirected to an invalid address" in result.stderr.splitlines()
    assert re.search(r"^NOS Nieuws - Algemeen( \(.*\))?: 4 new of 4 items$", result.stdout, re.M)
    total = result.stdout.splitlines()[-1]
    assert re.fullmatch(r"4 feeds: \d+ new items \(\d read, 0 unchanged, \d failed\); .*", total)
    assert len(result.stdout.splitlines()) + len(result.stderr.splitlines()) == 5  # 4 + total
    assert server.hits["/nos.xml"] == server.hits["/atom.xml"] == 1


async def test_the_reader_shows_the_other_feeds_and_lists_the_bad_one(
    server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep_for_a_century()
    real_parse = reader.feeds.refresh.parse_feed

    def parse_with_a_bug(body: bytes, url: str, content_type: str | None = None) -> object:
        if url.endswith("/atom.xml"):
            raise TypeError("a bug in converting")
        return real_parse(body, url, content_type)

    monkeypatch.setattr(reader.feeds.refresh, "parse_feed", parse_with_a_bug)
    for path in ("/bad-redirect.xml", "/atom.xml", "/nos.xml"):
        add_subscription(server.url(path))
    async with feed_reader() as (app, pilot):
        assert "NOS Nieuws - Algemeen" in {a.source for a in app.articles.visible_items}
        assert app.refresh_progress is None
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ListScreen)
        rows = app.screen.query_one(RowList)
        messages = {d.file: d.message for d in rows.items}
        assert messages[server.url("/bad-redirect.xml")].endswith(
            "redirected to an invalid address"
        )
        assert "TypeError: a bug in converting" in messages[server.url("/atom.xml")]


# --- point 9: the deadline covers the whole exchange, headers included --------------------


def test_headers_trickled_byte_by_byte_end_at_the_deadline(server: FeedServer) -> None:
    url = server.add("/slow-headers.xml", Route(RSS, trickle_headers=0.05))  # 5 s or more
    start = time.monotonic()
    assert fetch(url, timeout=0.5) == FetchFailed(url, "timed out after 0.5 s")
    assert time.monotonic() - start < 1.2


def test_headers_trickled_after_a_redirect_end_at_the_deadline(server: FeedServer) -> None:
    server.add("/slow-headers.xml", Route(RSS, trickle_headers=0.05))
    url = server.add_redirect("/moved.xml", "/slow-headers.xml")
    start = time.monotonic()
    assert fetch(url, timeout=0.5) == FetchFailed(url, "timed out after 0.5 s")
    assert time.monotonic() - start < 1.2


def test_a_body_that_stalls_half_way_ends_at_the_deadline(server: FeedServer) -> None:
    """Before: bounded per wait for bytes only, so up to twice the time-out."""
    url = server.add("/stalls.xml", Route(RSS * 100, trickle=0.45))
    start = time.monotonic()
    assert fetch(url, timeout=0.5) == FetchFailed(url, "timed out after 0.5 s")
    assert time.monotonic() - start < 0.8


def test_a_connection_reused_after_a_timed_out_fetch_still_works(server: FeedServer) -> None:
    server.add("/slow-headers.xml", Route(RSS, trickle_headers=0.05))
    with requests.Session() as session:
        slow = fetch(server.url("/slow-headers.xml"), timeout=0.3, session=session)
        assert isinstance(slow, FetchFailed)
        for _ in range(3):
            again = fetch(server.url("/nos.xml"), timeout=2, session=session)
            assert isinstance(again, Fetched) and again.status == 200


def test_a_refresh_with_a_header_trickle_is_done_within_the_time_out(
    server: FeedServer, store: FeedStore
) -> None:
    slow = server.add("/slow-headers.xml", Route(RSS, trickle_headers=0.05))
    start = time.monotonic()
    outcomes = outcomes_by_url(
        [Subscription(slow), Subscription(server.url("/nos.xml"))],
        store,
        FeedSettings(timeout=0.5),
    )
    assert time.monotonic() - start < 1.5
    assert outcomes[slow].reason == "timed out after 0.5 s"


# --- point 14: no redirect from a public host to a loopback, link-local or private one ----


@pytest.fixture
def public_server(public_127_0_0_2: None) -> Iterator[FeedServer]:
    with FeedServer(host="127.0.0.2") as running:
        yield running


@pytest.mark.parametrize(
    ("target", "said"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local address 169.254.169.254"),
        ("http://10.1.2.3/feed.xml", "private address 10.1.2.3"),
        ("http://192.168.1.1:8080/feed.xml", "private address 192.168.1.1"),
        ("http://[::1]:9/feed.xml", "loopback address ::1"),
        ("http://[fe80::1]/feed.xml", "link-local address fe80::1"),
        ("http://100.64.0.1/feed.xml", "non-public address 100.64.0.1"),
        ("http://[::ffff:127.0.0.1]/feed.xml", "loopback address 127.0.0.1"),
    ],
)
def test_a_public_server_cannot_redirect_to_a_local_address(
    public_server: FeedServer, target: str, said: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    tried: list[object] = []
    real_connect = socket.socket.connect

    def recorded(sock: socket.socket, address: object) -> None:
        tried.append(address)
        real_connect(sock, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", recorded)
    url = public_server.add_redirect("/feed.xml", target)
    result = fetch(url, timeout=1)
    assert result == FetchFailed(url, f"refused a redirect from a public server to the {said}")
    assert all(address[0] == "127.0.0.2" for address in tried)  # type: ignore[index]


def test_a_public_server_cannot_redirect_to_a_name_of_a_local_address(
    public_server: FeedServer, server: FeedServer
) -> None:
    """Judged by the address connected to, before anything is sent: a name gives no cover."""
    port = server.base_url.rsplit(":", 1)[1]
    url = public_server.add_redirect("/feed.xml", f"http://localhost:{port}/nos.xml")
    result = fetch(url, timeout=2)
    assert isinstance(result, FetchFailed)
    assert result.reason.startswith("refused a redirect from a public server to the loopback")
    assert server.hits["/nos.xml"] == 0


def test_a_reused_connection_to_a_local_host_is_refused_too(
    public_server: FeedServer, server: FeedServer
) -> None:
    """A connection to the local server, kept open by an earlier fetch, is judged again."""
    with requests.Session() as session:
        assert isinstance(fetch(server.url("/nos.xml"), session=session), Fetched)
        url = public_server.add_redirect("/feed.xml", server.url("/atom.xml"))
        result = fetch(url, timeout=2, session=session)
    assert isinstance(result, FetchFailed) and result.reason.startswith("refused a redirect")
    assert server.hits["/atom.xml"] == 0


def test_redirects_within_public_or_within_local_addresses_are_followed(
    public_server: FeedServer, server: FeedServer
) -> None:
    public_server.add("/feeds/nos.xml", Route(RSS))
    moved = public_server.add_redirect("/nos", "/feeds/nos.xml")
    assert isinstance(fetch(moved), Fetched)
    # A feed on the local network (first asked there) may redirect within it, or out.
    local = server.add_redirect("/moved.xml", "/nos.xml")
    assert isinstance(fetch(local), Fetched)
    out = server.add_redirect("/out.xml", public_server.url("/feeds/nos.xml"))
    assert isinstance(fetch(out), Fetched)


def test_a_refused_redirect_is_said_in_the_refresh(
    public_server: FeedServer, store: FeedStore
) -> None:
    url = public_server.add_redirect("/feed.xml", "http://169.254.169.254/latest/meta-data/")
    (outcome,) = outcomes_by_url([Subscription(url)], store).values()
    assert outcome.summary() == (
        f"{url}: error: refused a redirect from a public server to the link-local address"
        " 169.254.169.254"
    )


# --- point 15: Retry-After on a 429 or 503 is honoured, bounded -----------------------------


def too_many(retry_after: str, status: int = 429) -> Route:
    return Route(
        b"slow down", status=status, content_type="text/plain", headers={"Retry-After": retry_after}
    )


@pytest.mark.parametrize(
    ("retry_after", "seconds"),
    [
        ("120", 120.0),
        ("0", None),
        ("-5", None),
        ("soon", None),
        ("99999999999999999999", MAX_RETRY_AFTER),
    ],
)
def test_retry_after_in_seconds_is_read_and_bounded(
    server: FeedServer, retry_after: str, seconds: float | None
) -> None:
    url = server.add("/busy.xml", too_many(retry_after))
    assert fetch(url) == FetchFailed(url, "HTTP 429 Too Many Requests", retry_after=seconds)


def test_retry_after_as_a_date_counts_from_the_servers_clock(server: FeedServer) -> None:
    # The server's Date header is its clock: an hour ahead of ours here, yet the wait is 10 min.
    server_now = datetime.now(UTC) + timedelta(hours=1)
    route = Route(
        status=503,
        headers={
            "Retry-After": format_datetime(server_now + timedelta(minutes=10), usegmt=True),
            "Date": format_datetime(server_now, usegmt=True),
        },
    )
    url = server.add("/busy.xml", route)
    result = fetch(url)
    assert isinstance(result, FetchFailed) and result.reason == "HTTP 503 Service Unavailable"
    assert result.retry_after is not None and 595 <= result.retry_after <= 601


def test_retry_after_is_ignored_on_other_statuses(server: FeedServer) -> None:
    url = server.add("/gone.xml", too_many("120", status=404))
    assert fetch(url) == FetchFailed(url, "HTTP 404 Not Found")


def test_a_feed_that_asked_to_wait_is_not_asked_again_before_then(
    server: FeedServer, store: FeedStore
) -> None:
    busy = server.add("/busy.xml", too_many("120"))
    subscriptions = [Subscription(busy)]
    (first,) = outcomes_by_url(subscriptions, store).values()
    assert first.status is Status.FAILED
    until = (NOW + timedelta(seconds=120)).astimezone().strftime("%H:%M")
    assert first.reason == (
        f"HTTP 429 Too Many Requests; the server asks to wait 2 min: not asked again before {until}"
    )
    # A minute later (a new refresh, or `refresh` run again): not asked, and said why.
    (second,) = outcomes_by_url(subscriptions, store, now=NOW + timedelta(seconds=60)).values()
    assert second.status is Status.FAILED
    assert second.reason == f"not asked: the server asked to wait until {until}"
    assert server.hits["/busy.xml"] == 1
    state = store.feed_state(busy)
    assert state is not None and state.last_error == first.reason  # as the server left it
    # Once the time is up, asked again; an answer without Retry-After ends the wait.
    server.add_file("/busy.xml", FEEDS / "rss2_full.xml")
    (third,) = outcomes_by_url(subscriptions, store, now=NOW + timedelta(seconds=121)).values()
    assert third.status is Status.NEW and server.hits["/busy.xml"] == 2
    (fourth,) = outcomes_by_url(subscriptions, store, now=NOW + timedelta(seconds=122)).values()
    assert server.hits["/busy.xml"] == 3 and fourth.status is Status.NEW


def test_a_wait_is_bounded(server: FeedServer, store: FeedStore) -> None:
    busy = server.add("/busy.xml", too_many("31536000"))  # a year
    subscriptions = [Subscription(busy)]
    outcomes_by_url(subscriptions, store)
    later = NOW + timedelta(seconds=MAX_RETRY_AFTER + 1)
    outcomes_by_url(subscriptions, store, now=later)
    assert server.hits["/busy.xml"] == 2


def test_other_feeds_of_a_server_that_asked_to_wait_are_not_asked_either(
    server: FeedServer, store: FeedStore
) -> None:
    busy = server.add("/busy.xml", too_many("600", status=503))
    subscriptions = [Subscription(busy), Subscription(server.url("/nos.xml"))]
    one_at_a_time = FeedSettings(timeout=2.0, max_parallel=1)
    outcomes = outcomes_by_url(subscriptions, store, one_at_a_time)
    assert server.hits["/nos.xml"] == 0
    host = server.base_url.removeprefix("http://")
    until = (NOW + timedelta(seconds=600)).astimezone().strftime("%H:%M")
    assert (
        outcomes[server.url("/nos.xml")].reason == f"not asked: {host} asked to wait until {until}"
    )
    # And on the next refresh, neither is asked.
    outcomes = outcomes_by_url(subscriptions, store, one_at_a_time, NOW + timedelta(seconds=30))
    assert server.hits["/nos.xml"] == 0 and server.hits["/busy.xml"] == 1
    assert (
        outcomes[server.url("/nos.xml")].reason == f"not asked: {host} asked to wait until {until}"
    )


def test_refresh_command_says_it_waits_as_asked(server: FeedServer) -> None:
    keep_for_a_century()
    busy = server.add("/busy.xml", too_many("3600"))
    add_subscription(busy)
    first = run("refresh")
    assert first.returncode == 1
    assert "the server asks to wait 1 h: not asked again before" in first.stderr
    second = run("refresh")
    assert second.returncode == 1
    assert "not asked: the server asked to wait until" in second.stderr
    assert second.stdout.splitlines()[-1] == (
        "1 feed: 0 new items (0 read, 0 unchanged, 0 failed, 1 not asked); 0 items stored"
    )
    assert server.hits["/busy.xml"] == 1


def test_a_version_4_store_gains_the_wait_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "feeds.sqlite3"
    connection = sqlite3.connect(path)
    for statement in (statement for step in MIGRATIONS[:4] for statement in step):
        connection.execute(statement)
    connection.execute("PRAGMA user_version = 4")
    connection.execute(
        "INSERT INTO feeds (url, title, last_fetched) VALUES ('http://nos.example/', 'NOS', 1)"
    )
    connection.commit()
    connection.close()
    with FeedStore.open(path) as store:
        assert store.channel_titles() == {"http://nos.example/": "NOS"}
        longest = timedelta(seconds=MAX_RETRY_AFTER)
        assert store.asked_to_wait(NOW, longest) == {}
        store.record_fetch(
            "http://nos.example/", error="HTTP 429", retry_at=NOW + timedelta(hours=1)
        )
        asked = {"http://nos.example/": NOW + timedelta(hours=1)}
        assert store.asked_to_wait(NOW, longest) == asked
        assert store.asked_to_wait(NOW + timedelta(hours=2), longest) == {}
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
