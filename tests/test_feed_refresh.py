"""refresh_feeds end to end over real HTTP: the sample feeds from a local server into a store.

What is checked is what the reader will show: the store afterwards (items, sources, text,
cut flags, links), what a second refresh costs (nothing new, a 304 where the server can say
so), failures as outcomes recorded with the feed, fetching in parallel, and retention.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from reader.feeds.fetch import Fetched, Validators
from reader.feeds.refresh import FeedOutcome, Status, refresh_feeds
from reader.feeds.settings import FeedSettings
from reader.feeds.store import FeedStore
from reader.feeds.subscriptions import Subscription, feed_names
from reader.model import Article, Link, ParagraphKind
from tests.feed_server import FeedServer, Route

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
# The sample feeds date from 9 to 15 November 2024: all within the default 90 days.
NOW = datetime(2024, 11, 16, 12, 0, tzinfo=UTC)
ETAG = '"nos-algemeen-1"'
LAST_MODIFIED = "Tue, 12 Nov 2024 16:20:00 GMT"
QUICK = FeedSettings(timeout=5.0)

# path on the server -> the fixture it serves
GOOD_FEEDS = {
    "/nos.xml": "rss2_full.xml",
    "/nu.xml": "rss2_summary_cut.xml",
    "/oost-gelre.atom": "atom.xml",
    "/brabant.xml": "rss2_cp1252.xml",
    "/zwolle.xml": "rss2_double_escaped.xml",
    "/zeeland.xml": "malformed.xml",
    "/waterschap.rdf": "rss1.xml",
}


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        for path, fixture in GOOD_FEEDS.items():
            # One route answers conditional GETs by ETag, one by Last-Modified.
            running.add_file(
                path,
                FEEDS / fixture,
                etag=ETAG if path == "/nos.xml" else None,
                last_modified=LAST_MODIFIED if path == "/oost-gelre.atom" else None,
            )
        running.add_redirect("/verhuisd.xml", "/waterschap.rdf", status=301)
        running.add_file("/page.html", FEEDS / "not_a_feed.html")
        running.add("/hangs.xml", Route(hang=True))
        yield running


@pytest.fixture
def store(tmp_path: Path) -> Iterator[FeedStore]:
    with FeedStore.open(tmp_path / "feeds.sqlite3") as opened:
        yield opened


def subscribe(server: FeedServer, *paths: str) -> list[Subscription]:
    return [Subscription(server.url(path)) for path in paths]


def refresh(
    subscriptions: list[Subscription],
    store: FeedStore,
    settings: FeedSettings = QUICK,
    now: datetime = NOW,
) -> dict[str, FeedOutcome]:
    """Every outcome by its feed's address; each feed has exactly one."""
    outcomes = list(refresh_feeds(subscriptions, store, settings, now))
    by_url = {outcome.subscription.url: outcome for outcome in outcomes}
    assert len(outcomes) == len(by_url) == len(subscriptions)
    return by_url


def stored(store: FeedStore, guid: str) -> Article:
    (article,) = [article for article in store.articles() if article.guid == guid]
    return article


def test_every_kind_of_feed_is_stored_with_its_channel_title_as_source(
    server: FeedServer, store: FeedStore
) -> None:
    outcomes = refresh(subscribe(server, *GOOD_FEEDS), store)
    assert {url: (o.status, o.new_items, o.items) for url, o in outcomes.items()} == {
        server.url("/nos.xml"): (Status.NEW, 4, 4),
        server.url("/nu.xml"): (Status.NEW, 4, 4),
        server.url("/oost-gelre.atom"): (Status.NEW, 3, 3),
        server.url("/brabant.xml"): (Status.NEW, 3, 3),
        server.url("/zwolle.xml"): (Status.NEW, 3, 3),
        server.url("/zeeland.xml"): (Status.NEW, 1, 1),  # breaks off after its first item
        server.url("/waterschap.rdf"): (Status.NEW, 2, 2),
    }
    assert store.count() == 20
    assert store.feed_counts() == {
        server.url(path): count
        for path, count in [
            ("/brabant.xml", 3),
            ("/nos.xml", 4),
            ("/nu.xml", 4),
            ("/oost-gelre.atom", 3),
            ("/waterschap.rdf", 2),
            ("/zeeland.xml", 1),
            ("/zwolle.xml", 3),
        ]
    }
    assert sorted({(a.feed, a.source) for a in store.articles()}) == [
        (server.url("/brabant.xml"), "Brabants Weekblad \u2013 Cultuur"),
        (server.url("/nos.xml"), "NOS Nieuws - Algemeen"),
        (server.url("/nu.xml"), "NU - Algemeen"),
        (server.url("/oost-gelre.atom"), "RTV Oost-Gelre - Regionieuws"),
        (server.url("/waterschap.rdf"), "Waterschapsnieuws"),
        (server.url("/zeeland.xml"), "Omroep Zeeland - Nieuws"),
        (server.url("/zwolle.xml"), "Stadsblad Zwolle & omstreken"),
    ]
    malformed = outcomes[server.url("/zeeland.xml")]
    assert malformed.notes and "malformed XML" in malformed.notes[0]
    assert "malformed XML" in malformed.summary()
    nos = outcomes[server.url("/nos.xml")]
    assert nos.summary() in (
        "NOS Nieuws - Algemeen: 4 new of 4 items",  # done last: its name for good
        f"NOS Nieuws - Algemeen ({nos.subscription.url}): 4 new of 4 items",  # others to come
    )
    for url, outcome in outcomes.items():
        state = store.feed_state(url)
        assert state is not None
        assert (state.title, state.last_fetched, state.last_error) == (outcome.source, NOW, None)


def test_stored_articles_keep_paragraphs_links_and_decoded_text(
    server: FeedServer, store: FeedStore
) -> None:
    refresh(subscribe(server, "/nos.xml", "/brabant.xml", "/zwolle.xml"), store)
    woningbouw = stored(store, "127.0.0.1/nos-2531001")
    assert woningbouw.title == "Kabinet trekt 2,5 miljard euro extra uit voor woningbouw"
    assert woningbouw.source == "NOS Nieuws - Algemeen"
    assert woningbouw.published == datetime(2024, 11, 12, 13, 32, 5, tzinfo=UTC)
    assert (
        woningbouw.link
        == woningbouw.file
        == (
            "https://nos.nl/artikel/2531001-kabinet-trekt-2-5-miljard-euro-extra-uit-voor-woningbouw"
        )
    )
    assert [(p.kind, p.text[:20]) for p in woningbouw.paragraphs] == [
        (ParagraphKind.LEAD, "Het kabinet trekt de"),
        (ParagraphKind.BODY, "Volgens het minister"),
        (ParagraphKind.SUBHEADING, "Gemeenten kritisch"),
        (ParagraphKind.BODY, "De Vereniging van Ne"),
        (ParagraphKind.SUBHEADING, "Wat betekent dit voo"),
        (ParagraphKind.BODY, "Huurders merken er o"),
    ]
    # The link is data beside the text, not markup in it.
    assert woningbouw.paragraphs[3].links == (
        Link(
            "onvoldoende",
            "https://nos.nl/artikel/2530877-gemeenten-luiden-noodklok-over-woningbouw",
        ),
    )
    assert "<a" not in woningbouw.paragraphs[3].text
    assert not woningbouw.cut
    # Rich markup in a feed stays literal text.
    assert "[bold]e-sporttoernooi[/bold]" in stored(store, "127.0.0.1/nos-2531003").title
    # Windows-1252 and entities escaped twice or three times read as what was meant.
    assert stored(store, "127.0.0.1/bw-40212").title == "Entree museum stijgt naar € 17,50"
    assert (
        stored(store, "127.0.0.1/bw-40213").title
        == "Première van \u2018Brabantse Nachten\u2019 uitverkocht"
    )
    zwolle = "https://www.stadsblad-zwolle.nl"
    assert stored(store, f"{zwolle}/sport/pec-go-ahead-oefenduel").title == (
        "PEC & Go Ahead Eagles spelen oefenduel voor goed doel"
    )
    assert (
        stored(store, f"{zwolle}/nieuws/qa-burgemeester-parkeertarieven")
        .paragraphs[0]
        .text.startswith("\u201cWe zijn er klaar voor\u201d")
    )


def test_summaries_cut_by_the_publisher_are_flagged(server: FeedServer, store: FeedStore) -> None:
    refresh(subscribe(server, "/nu.xml"), store)
    cut = {article.guid: article.cut for article in store.articles()}
    assert cut == {
        "https://www.nu.nl/-/6334101/": True,
        "https://www.nu.nl/-/6334102/": True,
        "https://www.nu.nl/-/6334103/": False,
        "https://www.nu.nl/-/6334104/": True,
    }
    assert not any(
        p.text.endswith(("...", "…")) for article in store.articles() for p in article.paragraphs
    )


def test_a_redirected_feed_is_kept_under_the_address_subscribed_to(
    server: FeedServer, store: FeedStore
) -> None:
    url = server.url("/verhuisd.xml")
    outcome = refresh([Subscription(url)], store)[url]
    assert (outcome.status, outcome.source, outcome.new_items) == (
        Status.NEW,
        "Waterschapsnieuws",
        2,
    )
    assert server.hits == {"/verhuisd.xml": 1, "/waterschap.rdf": 1}
    state = store.feed_state(url)
    assert state is not None and state.title == "Waterschapsnieuws"
    assert store.feed_state(server.url("/waterschap.rdf")) is None


def test_refreshing_again_adds_nothing_and_asks_only_for_changes(
    server: FeedServer, store: FeedStore
) -> None:
    subscriptions = subscribe(server, *GOOD_FEEDS)
    refresh(subscriptions, store)
    later = NOW + timedelta(hours=1)
    again = refresh(subscriptions, store, now=later)
    assert store.count() == 20
    assert sum(outcome.new_items for outcome in again.values()) == 0
    nos, atom = again[server.url("/nos.xml")], again[server.url("/oost-gelre.atom")]
    # The server answered 304 to both conditional GETs: no body was sent or parsed.
    assert server.not_modified == {"/nos.xml": 1, "/oost-gelre.atom": 1}
    assert (nos.status, atom.status) == (Status.UNCHANGED, Status.UNCHANGED)
    assert nos.summary() == "NOS Nieuws - Algemeen: unchanged"
    nos_requests = [r.headers for r in server.received if r.path == "/nos.xml"]
    assert [h["If-None-Match"] for h in nos_requests] == [None, ETAG]
    atom_requests = [r.headers for r in server.received if r.path == "/oost-gelre.atom"]
    assert [h["If-Modified-Since"] for h in atom_requests] == [None, LAST_MODIFIED]
    # Feeds without validators are fetched whole and read again, but add nothing.
    zwolle = again[server.url("/zwolle.xml")]
    assert (zwolle.status, zwolle.new_items, zwolle.items) == (Status.NEW, 0, 3)
    state = store.feed_state(server.url("/nos.xml"))
    assert state is not None
    assert (state.etag, state.title, state.last_fetched) == (ETAG, "NOS Nieuws - Algemeen", later)


def test_a_new_version_without_validators_clears_the_old_ones(
    server: FeedServer, store: FeedStore
) -> None:
    subscriptions = subscribe(server, "/nos.xml")
    refresh(subscriptions, store)
    # The publisher changes servers: the feed now comes without an ETag.
    server.add_file("/nos.xml", FEEDS / "rss2_full.xml")
    refresh(subscriptions, store, now=NOW + timedelta(hours=1))
    state = store.feed_state(server.url("/nos.xml"))
    assert state is not None and (state.etag, state.last_modified) == (None, None)
    refresh(subscriptions, store, now=NOW + timedelta(hours=2))
    sent = [r.headers["If-None-Match"] for r in server.received if r.path == "/nos.xml"]
    assert sent == [None, ETAG, None]  # not asked about a version the server no longer has


def test_a_title_given_names_the_source(server: FeedServer, store: FeedStore) -> None:
    refresh([Subscription(server.url("/nos.xml"), "NOS")], store)
    assert {article.source for article in store.articles()} == {"NOS"}


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/gone.xml", "HTTP 404 Not Found"),
        ("/page.html", "not a feed: the document is HTML, not RSS or Atom"),
        ("/hangs.xml", "timed out after 0.5 s"),
    ],
)
def test_a_failing_feed_is_a_failed_outcome_recorded_with_the_feed(
    server: FeedServer, store: FeedStore, path: str, reason: str
) -> None:
    url = server.url(path)
    outcomes = refresh(subscribe(server, path, "/nos.xml"), store, FeedSettings(timeout=0.5))
    failed = outcomes[url]
    assert (failed.status, failed.reason, failed.new_items) == (Status.FAILED, reason, 0)
    assert failed.summary() == f"{url}: error: {reason}"
    state = store.feed_state(url)
    assert state is not None
    assert (state.last_error, state.last_fetched, state.title) == (reason, NOW, None)
    # The other feed is not held up or spoilt by it.
    assert outcomes[server.url("/nos.xml")].status is Status.NEW
    assert store.count() == 4


def test_a_feed_that_fails_later_keeps_its_items_and_recovers(
    server: FeedServer, store: FeedStore
) -> None:
    url = server.url("/nos.xml")
    refresh([Subscription(url)], store)
    server.add("/nos.xml", Route(status=503))
    outage = refresh([Subscription(url)], store, now=NOW + timedelta(hours=1))[url]
    assert outage.status is Status.FAILED
    assert outage.reason == "HTTP 503 Service Unavailable"
    # Named as the reader knows it from the last fetch, not by its address alone.
    assert outage.summary() == f"NOS Nieuws - Algemeen: error: HTTP 503 Service Unavailable ({url})"
    state = store.feed_state(url)
    assert state is not None
    assert (state.title, state.etag) == ("NOS Nieuws - Algemeen", ETAG)
    assert state.last_error == "HTTP 503 Service Unavailable"
    assert store.count() == 4
    server.add_file("/nos.xml", FEEDS / "rss2_full.xml", etag=ETAG)
    refresh([Subscription(url)], store, now=NOW + timedelta(hours=2))
    state = store.feed_state(url)
    assert state is not None and state.last_error is None


def test_twenty_feeds_are_fetched_in_parallel(store: FeedStore) -> None:
    body = (FEEDS / "rss2_full.xml").read_bytes()
    with FeedServer(latency=0.2) as server:
        subscriptions = []
        for number in range(20):
            # Each feed its own stories, so every one of them adds its four.
            unique = body.replace(b"nos-25310", b"feed%d-25310" % number)
            unique = unique.replace(b"<link>/artikel/", b"<link>/feed%d/artikel/" % number)
            subscriptions.append(Subscription(server.add(f"/feed{number}.xml", Route(unique))))
        outcomes = refresh(subscriptions, store, FeedSettings(timeout=5.0, max_parallel=8))
        most_in_flight = server.most_in_flight
    assert all(outcome.status is Status.NEW for outcome in outcomes.values())
    assert store.count() == 80
    assert 1 < most_in_flight <= 8


def test_items_older_than_keep_days_are_neither_kept_nor_stored_again(
    server: FeedServer, store: FeedStore
) -> None:
    url = server.url("/nu.xml")
    assert refresh([Subscription(url)], store)[url].new_items == 4
    # Five days before 16 November 12:00 UTC: only the item of 11 November 13:05 UTC is
    # recent enough; the three of that morning are removed, although the feed still has them.
    five_days = FeedSettings(timeout=5.0, keep_days=5)
    for _ in range(2):
        outcome = refresh([Subscription(url)], store, five_days)[url]
        assert (outcome.new_items, outcome.items, outcome.too_old) == (0, 4, 3)
        assert [article.guid for article in store.articles()] == ["https://www.nu.nl/-/6334104/"]


def test_a_new_store_takes_only_recent_items(server: FeedServer, store: FeedStore) -> None:
    url = server.url("/nu.xml")
    outcome = refresh([Subscription(url)], store, FeedSettings(keep_days=5))[url]
    assert (outcome.new_items, outcome.items, store.count()) == (1, 4, 1)
    # The counts say what happened: the feed has four items, three too old to keep.
    assert outcome.summary() == "NU - Algemeen: 1 new of 4 items (3 older than 5 days, not kept)"
    one_day = FeedSettings(keep_days=1)
    outcome = refresh([Subscription(url)], store, one_day, now=NOW + timedelta(hours=1))[url]
    assert outcome.summary() == "NU - Algemeen: 0 new of 4 items (4 older than 1 day, not kept)"


# --- retention and conditional GET: what was not kept can always come back -----------------


def nos_requests(server: FeedServer) -> list[str | None]:
    """The ETag each request for /nos.xml asked about (None: a full fetch)."""
    return [r.headers["If-None-Match"] for r in server.received if r.path == "/nos.xml"]


def test_raising_keep_days_fetches_the_feed_whole_again(
    server: FeedServer, store: FeedStore
) -> None:
    """Items not kept under a short retention come back once it is raised, although the
    server would answer 304 to the ETag had: a conditional GET would lock them out."""
    url = server.url("/nos.xml")
    one_day = FeedSettings(timeout=5.0, keep_days=1)
    first = refresh([Subscription(url)], store, one_day)[url]
    assert (
        first.summary() == "NOS Nieuws - Algemeen: 0 new of 4 items (4 older than 1 day, not kept)"
    )
    assert refresh([Subscription(url)], store, one_day)[url].status is Status.UNCHANGED
    raised = refresh([Subscription(url)], store)[url]
    assert (raised.status, raised.new_items) == (Status.NEW, 4)
    assert refresh([Subscription(url)], store)[url].status is Status.UNCHANGED
    assert nos_requests(server) == [None, ETAG, None, ETAG]


def test_a_retention_shortened_and_raised_between_refreshes_fetches_whole(
    server: FeedServer, store: FeedStore
) -> None:
    """The reader removes old items when it opens, not only when it refreshes."""
    url = server.url("/nos.xml")
    refresh([Subscription(url)], store)
    assert store.prune(keep_days=4, now=NOW) == 2  # a reader opened with keep_days = 4
    again = refresh([Subscription(url)], store)[url]
    assert (again.status, again.new_items, store.count()) == (Status.NEW, 2, 4)
    assert nos_requests(server) == [None, None]


def test_full_fetches_without_asking_for_changes(server: FeedServer, store: FeedStore) -> None:
    url = server.url("/nos.xml")
    refresh([Subscription(url)], store)
    full = list(refresh_feeds([Subscription(url)], store, QUICK, NOW, full=True))
    assert [(o.status, o.new_items, o.items) for o in full] == [(Status.NEW, 0, 4)]
    assert refresh([Subscription(url)], store)[url].status is Status.UNCHANGED  # ETag kept
    assert nos_requests(server) == [None, None, ETAG]


def test_forgotten_validators_make_the_next_fetch_full(
    server: FeedServer, store: FeedStore
) -> None:
    url = server.url("/nos.xml")
    refresh([Subscription(url)], store)
    store.forget_validators([url])  # `feeds remove` and `feeds add` do this
    assert refresh([Subscription(url)], store)[url].status is Status.NEW
    assert nos_requests(server) == [None, None]


def test_the_number_of_items_removed_is_told(server: FeedServer, store: FeedStore) -> None:
    subscriptions = subscribe(server, "/nos.xml", "/nu.xml")
    refresh(subscriptions, store)
    removed: list[tuple[int, bool]] = []
    four_days = FeedSettings(timeout=5.0, keep_days=4)
    told = lambda *pruned: removed.append(pruned)  # noqa: E731
    outcomes = list(refresh_feeds(subscriptions, store, four_days, NOW, on_pruned=told))
    assert removed == [(6, False)]  # all 4 of NU's and 2 of NOS's are over four days old
    assert store.count() == 2
    assert sorted((o.status, o.too_old) for o in outcomes) == [
        (Status.NEW, 4),  # NU, read whole: it sends no validators
        (Status.UNCHANGED, 0),  # NOS: 304, as a retention made shorter loses nothing
    ]


def test_feeds_with_one_title_are_refreshed_and_named_apart(
    server: FeedServer, store: FeedStore
) -> None:
    """Two feeds titled "NOS Nieuws - Algemeen": two names, two sets of articles."""
    body = (FEEDS / "rss2_full.xml").read_bytes()
    body = body.replace(b"nos-25310", b"tweede-25310").replace(b"/artikel/", b"/tweede/")
    other = server.add("/nos-2.xml", Route(body))
    first = server.url("/nos.xml")
    subscriptions = [Subscription(first), Subscription(other)]
    refresh(subscriptions, store)  # the first refresh learns the titles
    outcomes = refresh(subscriptions, store, now=NOW + timedelta(hours=1))
    names = {url: outcome.name for url, outcome in outcomes.items()}
    where = first.partition("://")[2]
    assert names == {
        first: f"NOS Nieuws - Algemeen ({where})",
        other: f"NOS Nieuws - Algemeen ({other.partition('://')[2]})",
    }
    assert outcomes[first].summary() == f"NOS Nieuws - Algemeen ({where}): unchanged"
    # Refreshing one of them alone names it as among all.
    [alone] = refresh_feeds(subscriptions, store, QUICK, NOW, only={other}, full=True)
    assert (alone.subscription.url, alone.name) == (other, names[other])
    assert store.feed_counts() == {first: 4, other: 4}


def test_an_item_dated_in_the_future_counts_from_its_fetch(
    server: FeedServer, store: FeedStore
) -> None:
    body = (FEEDS / "rss2_full.xml").read_bytes()
    future = body.replace(b"Tue, 12 Nov 2024 14:32:05 +0100", b"Fri, 01 Jan 2100 09:00:00 +0100")
    url = server.add("/toekomst.xml", Route(future))
    refresh([Subscription(url)], store)
    ahead = stored(store, "127.0.0.1/nos-2531001")
    assert (ahead.published, ahead.fetched) == (NOW, NOW)
    assert ahead.dated_ahead == datetime(2100, 1, 1, 8, 0, tzinfo=UTC)
    assert store.articles()[0] == ahead  # the newest of that refresh, not above later ones


def test_a_first_refresh_names_each_feed_in_a_way_that_stays_true(
    server: FeedServer, store: FeedStore
) -> None:
    """Two feeds of one title, neither fetched before: the one done first cannot be named
    yet (the other may bring the same title), so its line gives its address; the last is
    named as `feeds list` and the reader name it from then on."""
    body = (FEEDS / "rss2_full.xml").read_bytes()
    body = body.replace(b"nos-25310", b"tweede-25310").replace(b"/artikel/", b"/tweede/")
    other = server.add("/nos-2.xml", Route(body))
    subscriptions = [Subscription(server.url("/nos.xml")), Subscription(other)]
    early, last = refresh_feeds(subscriptions, store, QUICK, NOW)
    final = feed_names(subscriptions, store.channel_titles())
    assert early.summary() == f"NOS Nieuws - Algemeen ({early.subscription.url}): 4 new of 4 items"
    assert last.summary() == f"{final[last.subscription.url]}: 4 new of 4 items"
    assert final[last.subscription.url] != "NOS Nieuws - Algemeen"


def test_three_hundred_feeds_of_one_title_are_named_without_recounting(
    store: FeedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Names are worked out again only when a title changed and a line needs one: not for
    every feed done (that and counting hosts per feed took 21 s for 300 feeds)."""
    import reader.feeds.refresh as refresh_module

    def feed(number: int) -> bytes:
        return (
            "<rss version='2.0'><channel><title>NOS Nieuws</title><item><guid>"
            f"https://nos.nl/{number}</guid><title>Bericht {number}</title></item></channel></rss>"
        ).encode()

    def fetched_at_once(jobs: list[tuple[str, Validators | None]], **_: object) -> object:
        for index, (url, _validators) in enumerate(jobs):
            yield index, Fetched(url, 200, feed(index), "application/rss+xml", Validators(), 0.0)

    naming = refresh_module.feed_names
    namings = 0

    def counted(*args: Any) -> dict[str, str]:
        nonlocal namings
        namings += 1
        return naming(*args)

    monkeypatch.setattr(refresh_module, "fetch_all", fetched_at_once)
    monkeypatch.setattr(refresh_module, "feed_names", counted)
    subscriptions = [Subscription(f"https://nos{n}.example/rss") for n in range(300)]
    started = time.monotonic()
    outcomes = list(refresh_feeds(subscriptions, store, QUICK, NOW))
    assert time.monotonic() - started < 10  # generous: it took 21 s
    assert namings <= 2
    assert all(f"({o.subscription.url}): 1 new of 1 item" in o.summary() for o in outcomes[:-1])
    last = outcomes[-1]
    assert last.summary() == f"NOS Nieuws ({last.subscription.url.split('/')[2]}): 1 new of 1 item"
    # The second time every title is known: each line is the name the feed keeps.
    again = list(refresh_feeds(subscriptions, store, QUICK, NOW))
    assert {o.summary() for o in again} == {
        f"NOS Nieuws (nos{n}.example): 0 new of 1 item" for n in range(300)
    }
