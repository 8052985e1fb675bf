"""The feed store: one row per story, newest first, versioned schema, safe with bad files."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from reader.feeds.fetch import MAX_RETRY_AFTER
from reader.feeds.items import Block, FeedItem
from reader.feeds.refresh import Status, refresh_feeds
from reader.feeds.settings import FeedSettings
from reader.feeds.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    FeedState,
    FeedStore,
    StoreError,
    default_store_path,
)
from reader.feeds.subscriptions import Subscription
from reader.model import Link, ParagraphKind
from reader.paths import data_dir
from tests.conftest import REPO
from tests.feed_server import FeedServer, Route

FIXTURES = Path(__file__).resolve().parent / "fixtures"

NOS = "https://feeds.nos.nl/nosnieuwsalgemeen"
NOS_BUITENLAND = "https://feeds.nos.nl/nosnieuwsbuitenland"
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def item(
    guid: str,
    published: datetime | None = None,
    *,
    title: str | None = None,
    text: str = "Het kabinet valt.",
    link: str | None = None,
    cut: bool = False,
) -> FeedItem:
    return FeedItem(
        guid=guid,
        title=title or f"Titel {guid}",
        link=link,
        published=published,
        blocks=(Block(ParagraphKind.BODY, text),),
        cut=cut,
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[FeedStore]:
    with FeedStore.open(tmp_path / "feeds.sqlite3") as opened:
        yield opened


def test_opens_in_the_data_folder_in_wal_mode() -> None:
    assert default_store_path() == data_dir() / "feeds.sqlite3"
    with FeedStore.open() as store:
        assert store.path == default_store_path()
    connection = sqlite3.connect(default_store_path())
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_saving_the_same_feed_again_adds_nothing(store: FeedStore) -> None:
    items = [item("a", NOW), item("b", NOW - timedelta(hours=1))]
    assert store.save(NOS, "NOS Nieuws", items) == 2
    assert store.save(NOS, "NOS Nieuws", items) == 0
    assert store.save(NOS, "NOS Nieuws", [*items, item("c", NOW)]) == 1
    assert store.count() == 3


def test_the_same_story_in_two_feeds_is_stored_once(store: FeedStore) -> None:
    story = item("https://nos.nl/artikel/1", NOW)
    assert store.save(NOS, "NOS Nieuws", [story]) == 1
    assert store.save(NOS_BUITENLAND, "NOS Buitenland", [story]) == 0
    articles = store.articles()
    assert [article.guid for article in articles] == ["https://nos.nl/artikel/1"]
    assert articles[0].source == "NOS Nieuws"  # the feed that delivered it first


def test_a_changed_item_is_updated_in_place_by_its_own_feed_only(store: FeedStore) -> None:
    store.save(NOS, "NOS Nieuws", [item("a", NOW, text="Eerste versie.")])
    assert store.save(NOS, "NOS Nieuws", [item("a", NOW, text="Bijgewerkt.", cut=True)]) == 0
    assert store.save(NOS_BUITENLAND, "NOS Buitenland", [item("a", NOW, text="Anders.")]) == 0
    [article] = store.articles()
    assert article.paragraphs[0].text == "Bijgewerkt."
    assert article.cut
    assert article.source == "NOS Nieuws"


def test_an_item_reads_back_as_the_article_it_was(store: FeedStore) -> None:
    published = datetime(2025, 2, 28, 9, 30, 15, tzinfo=timezone(timedelta(hours=1)))
    blocks = (
        Block(ParagraphKind.BODY, 'Het "kabinet" valt, \\ zegt één minister.'),
        Block(ParagraphKind.SUBHEADING, "Reacties"),
        Block(
            ParagraphKind.BODY,
            "Lees meer hier en daar.",
            (Link("hier", "https://nos.nl/1"), Link("daar", "https://nos.nl/2?a=1&b=2")),
        ),
    )
    story = FeedItem("guid-1", "Kabinet valt", "https://nos.nl/artikel/1", published, blocks)
    store.save(NOS, "NOS Nieuws", [story, item("no-link", None)], fetched_at=NOW)
    by_guid = {article.guid: article for article in store.articles()}

    article = by_guid["guid-1"]
    assert article.title == "Kabinet valt"
    assert article.published == published  # the same instant, read back in UTC
    assert article.published is not None and article.published.tzinfo is not None
    assert article.file == article.link == "https://nos.nl/artikel/1"
    assert [(p.kind, p.text, p.links) for p in article.paragraphs] == [
        (ParagraphKind.LEAD, blocks[0].text, ()),
        (ParagraphKind.SUBHEADING, "Reacties", ()),
        (ParagraphKind.BODY, "Lees meer hier en daar.", blocks[2].links),
    ]
    undated = by_guid["no-link"]
    assert undated.published is None
    assert undated.link is None
    assert undated.file == NOS  # a feed article without a link is placed at its feed


def test_articles_come_newest_first_undated_ones_by_when_they_were_fetched(
    store: FeedStore,
) -> None:
    store.save(NOS, "NOS", [item("old", NOW - timedelta(days=2))], fetched_at=NOW)
    store.save(NOS, "NOS", [item("new", NOW)], fetched_at=NOW)
    # Undated: counts from when it was fetched, a day ago.
    store.save(NOS, "NOS", [item("undated")], fetched_at=NOW - timedelta(days=1))
    store.save(NOS, "NOS", [item("newest", NOW + timedelta(minutes=5))], fetched_at=NOW)

    assert [a.guid for a in store.articles()] == ["newest", "new", "undated", "old"]
    assert [a.guid for a in store.articles(limit=2)] == ["newest", "new"]
    # Each article says when it was fetched, and sorts in memory as the store sorts it.
    articles = store.articles()
    undated = articles[2]
    assert (undated.published, undated.fetched) == (None, NOW - timedelta(days=1))
    assert [a.sort_time for a in articles] == [
        NOW + timedelta(minutes=5),
        NOW,
        NOW - timedelta(days=1),
        NOW - timedelta(days=2),
    ]
    assert sorted(articles, key=lambda a: a.sort_time or NOW, reverse=True) == articles
    assert {a.feed for a in articles} == {NOS}


def test_a_date_in_the_future_counts_from_when_the_item_was_fetched(store: FeedStore) -> None:
    """A wrong clock or time zone at the publisher must not keep an item on top for hours."""
    tomorrow = NOW + timedelta(days=1)
    store.save(NOS, "NOS", [item("dated tomorrow", tomorrow)], fetched_at=NOW)
    store.save(NOS, "NOS", [item("an hour old", NOW - timedelta(hours=1))], fetched_at=NOW)
    # A few minutes ahead is an ordinary difference of clocks: believed.
    store.save(NOS, "NOS", [item("clock skew", NOW + timedelta(minutes=4))], fetched_at=NOW)
    later = NOW + timedelta(minutes=20)

    newest_first = store.articles()
    assert [a.guid for a in newest_first] == ["clock skew", "dated tomorrow", "an hour old"]
    ahead = newest_first[1]
    assert (ahead.published, ahead.dated_ahead, ahead.fetched) == (NOW, tomorrow, NOW)
    assert newest_first[0].dated_ahead is None
    # Fetched again later, and again once that date has passed: it stays where it was.
    for when in (later, tomorrow + timedelta(hours=1)):
        store.save(NOS, "NOS", [item("dated tomorrow", tomorrow)], fetched_at=when)
        [again] = [a for a in store.articles() if a.guid == "dated tomorrow"]
        assert (again.published, again.dated_ahead) == (NOW, tomorrow)
    # A date the feed corrects is taken as it now stands.
    store.save(NOS, "NOS", [item("dated tomorrow", NOW - timedelta(hours=2))], fetched_at=later)
    [corrected] = [a for a in store.articles() if a.guid == "dated tomorrow"]
    assert (corrected.published, corrected.dated_ahead) == (NOW - timedelta(hours=2), None)


def test_feeds_are_read_and_counted_by_address_not_by_title(store: FeedStore) -> None:
    """Two feeds both titled "NOS Nieuws" stay two: counted, read and named apart."""
    store.save(NOS, "NOS Nieuws", [item("n1", NOW), item("n2", NOW - timedelta(hours=1))])
    store.save(NOS_BUITENLAND, "NOS Nieuws", [item("b1", NOW - timedelta(minutes=30))])
    store.save("https://www.nu.nl/rss/Algemeen", "NU.nl", [item("u1", NOW)])

    assert [a.guid for a in store.articles(feed=NOS)] == ["n1", "n2"]
    assert [a.guid for a in store.articles(feed=NOS_BUITENLAND)] == ["b1"]
    assert store.articles(feed="https://onbekend.nl/rss") == []
    assert store.feed_counts() == {NOS: 2, NOS_BUITENLAND: 1, "https://www.nu.nl/rss/Algemeen": 1}
    # Every article knows its feed; the name it shows as is given when reading.
    names = {NOS: "NOS Nieuws (algemeen)", NOS_BUITENLAND: "NOS Nieuws (buitenland)"}
    assert [(a.feed, a.source) for a in store.articles(names=names)] == [
        ("https://www.nu.nl/rss/Algemeen", "NU.nl"),  # not named: the name it was stored under
        (NOS, "NOS Nieuws (algemeen)"),
        (NOS_BUITENLAND, "NOS Nieuws (buitenland)"),
        (NOS, "NOS Nieuws (algemeen)"),
    ]
    batches = [a for batch in store.iter_articles(names=names, batch_size=2) for a in batch]
    assert batches == store.articles(names=names)


def test_channel_titles_are_the_feeds_own(store: FeedStore) -> None:
    store.record_fetch(NOS, title="NOS Nieuws - Algemeen", fetched_at=NOW)
    store.record_fetch(NOS_BUITENLAND, error="HTTP 404 Not Found", fetched_at=NOW)
    assert store.channel_titles() == {NOS: "NOS Nieuws - Algemeen"}


@pytest.mark.parametrize("feed", [None, NOS])
def test_batches_give_the_same_articles_in_the_same_order(
    store: FeedStore, feed: str | None
) -> None:
    # Many items share a time, so paging must also order by the row to lose none.
    times = [NOW - timedelta(hours=hour % 4) for hour in range(23)]
    store.save(NOS, "NOS", [item(f"n{n}", at) for n, at in enumerate(times)])
    store.save("https://other", "Other", [item(f"o{n}", NOW) for n in range(5)])
    store.save(NOS, "NOS", [item("undated")], fetched_at=NOW - timedelta(hours=2))

    batches = list(store.iter_articles(feed=feed, batch_size=4))
    assert all(0 < len(batch) <= 4 for batch in batches)
    flattened = [article.guid for batch in batches for article in batch]
    assert flattened == [article.guid for article in store.articles(feed=feed)]
    assert len(flattened) == (24 if feed else 29)


def test_threads_can_share_one_store(store: FeedStore) -> None:
    """The UI reads while workers refresh, all through the one connection."""

    def refresh(feed: int) -> None:
        for batch in range(10):
            store.save(f"https://feed/{feed}", f"Feed {feed}", [item(f"{feed}-{batch}", NOW)])

    workers = [threading.Thread(target=refresh, args=(feed,)) for feed in range(4)]
    for worker in workers:
        worker.start()
    while any(worker.is_alive() for worker in workers):
        assert len(store.articles()) <= 40
    for worker in workers:
        worker.join()
    assert store.feed_counts() == {f"https://feed/{feed}": 10 for feed in range(4)}


def test_prune_removes_items_older_than_90_days(store: FeedStore) -> None:
    store.save(
        NOS,
        "NOS",
        [item("89 days", NOW - timedelta(days=89)), item("91 days", NOW - timedelta(days=91))],
        fetched_at=NOW,
    )
    store.save(NOS, "NOS", [item("undated, fetched long ago")], fetched_at=NOW - timedelta(95))
    store.save(NOS, "NOS", [item("undated, fetched lately")], fetched_at=NOW - timedelta(5))

    assert store.prune(now=NOW) == 2
    assert sorted(a.guid for a in store.articles()) == ["89 days", "undated, fetched lately"]
    assert store.prune(keep_days=30, now=NOW) == 1
    assert store.prune(now=NOW) == 0


def test_feed_state_keeps_what_a_failed_or_unchanged_fetch_does_not_say(
    store: FeedStore,
) -> None:
    assert store.feed_state(NOS) is None
    store.record_fetch(
        NOS,
        etag='"v1"',
        last_modified="Sat, 01 Mar 2025 11:00:00 GMT",
        title="NOS Nieuws",
        fetched_at=NOW,
    )
    later = NOW + timedelta(minutes=10)
    store.record_fetch(NOS, error="timed out after 10 s", fetched_at=later)
    assert store.feed_state(NOS) == FeedState(
        url=NOS,
        title="NOS Nieuws",
        etag='"v1"',
        last_modified="Sat, 01 Mar 2025 11:00:00 GMT",
        last_fetched=later,
        last_error="timed out after 10 s",
    )
    store.record_fetch(NOS, etag='"v2"', fetched_at=later + timedelta(minutes=10))  # 304
    state = store.feed_state(NOS)
    assert state is not None
    assert (state.etag, state.title, state.last_error) == ('"v2"', "NOS Nieuws", None)


def test_validators_hold_for_the_retention_they_were_stored_under(store: FeedStore) -> None:
    """kept_days: how long a period the store holds all of the feed's version the validators
    name; a prune to a shorter period shortens it, and forgetting them clears them."""
    store.record_fetch(NOS, etag='"v1"', title="NOS", fetched_at=NOW, new_version=True,
                       kept_days=90)  # fmt: skip
    store.record_fetch(NOS, fetched_at=NOW + timedelta(hours=1))  # a 304 keeps all of it
    state = store.feed_state(NOS)
    assert state is not None and (state.etag, state.kept_days) == ('"v1"', 90)
    store.prune(keep_days=120, now=NOW)
    assert store.feed_state(NOS).kept_days == 90  # type: ignore[union-attr]
    store.prune(keep_days=30, now=NOW)
    assert store.feed_state(NOS).kept_days == 30  # type: ignore[union-attr]
    store.forget_validators([NOS, "https://never.fetched/rss"])
    state = store.feed_state(NOS)
    assert state is not None
    assert (state.etag, state.last_modified, state.kept_days, state.title) == (
        None,
        None,
        None,
        "NOS",
    )


def test_a_link_no_browser_may_open_is_no_link_even_from_an_older_store(
    store: FeedStore,
) -> None:
    for number, junk in enumerate(["javascript:alert(1)", "https:evil.nl/a", "http://a b.nl/"]):
        store.save(NOS, "NOS", [item(f"junk-{number}", NOW, link=junk)], fetched_at=NOW)
    for article in store.articles():
        assert (article.link, article.file) == (None, NOS)
        assert {paragraph.file for paragraph in article.paragraphs} == {NOS}


def test_a_version_2_store_is_migrated_its_future_dates_counted_from_their_fetch(
    tmp_path: Path,
) -> None:
    path = tmp_path / "feeds.sqlite3"
    connection = sqlite3.connect(path)
    for statement in (*MIGRATIONS[0], *MIGRATIONS[1]):
        connection.execute(statement)
    connection.execute("PRAGMA user_version = 2")
    fetched = NOW.timestamp()
    for guid, published in [("ahead", NOW + timedelta(days=3)), ("dated", NOW)]:
        connection.execute(
            "INSERT INTO items (guid, feed_url, source, title, link, published, blocks_json,"
            " fetched) VALUES (?, ?, 'NOS', 'Kop', NULL, ?, '[[\"body\",\"Tekst.\"]]', ?)",
            (guid, NOS, published.timestamp(), fetched),
        )
    connection.execute("INSERT INTO feeds (url, title, etag) VALUES (?, 'NOS', '\"v1\"')", (NOS,))
    connection.commit()
    connection.close()

    with FeedStore.open(path) as store:
        by_guid = {article.guid: article for article in store.articles()}
        assert (by_guid["ahead"].published, by_guid["ahead"].dated_ahead) == (
            NOW,
            NOW + timedelta(days=3),
        )
        assert (by_guid["dated"].published, by_guid["dated"].dated_ahead) == (NOW, None)
        state = store.feed_state(NOS)
        # Under which retention those validators were had is not known: not to be used.
        assert state is not None and (state.etag, state.kept_days) == ('"v1"', None)


def test_a_version_1_store_is_migrated_and_keeps_its_items(tmp_path: Path) -> None:
    path = tmp_path / "feeds.sqlite3"
    connection = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        connection.execute(statement)
    connection.execute("PRAGMA user_version = 1")
    connection.execute(
        "INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            "https://nos.nl/artikel/1",
            NOS,
            "NOS Nieuws",
            "Oud bericht",
            "https://nos.nl/artikel/1",
            NOW.timestamp(),
            '[["body","Uit versie 1."]]',
            NOW.timestamp(),
        ),
    )
    connection.commit()
    connection.close()

    with FeedStore.open(path) as store:
        [article] = store.articles()
        assert (article.title, article.paragraphs[0].text, article.cut) == (
            "Oud bericht",
            "Uit versie 1.",
            False,
        )
        assert article.published == NOW
        store.record_fetch(NOS, title="NOS Nieuws")  # the feeds table of version 2
        assert store.save(NOS, "NOS Nieuws", [item("https://nos.nl/artikel/1", NOW)]) == 0
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_store_from_a_newer_version_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "feeds.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE items_v9 (guid TEXT PRIMARY KEY, everything TEXT)")
    connection.execute("INSERT INTO items_v9 VALUES ('a', 'future data')")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 7}")
    connection.commit()
    connection.close()
    before = path.read_bytes()

    with pytest.raises(StoreError) as refused:
        FeedStore.open(path)
    message = str(refused.value)
    assert str(path) in message
    assert "newer" in message
    assert f"schema version {SCHEMA_VERSION + 7}" in message
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_gives_store_error_and_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "feeds.sqlite3"
    path.write_bytes(b"Dit is geen database, maar de gebruiker wil het bestand houden.\n" * 100)
    before = path.read_bytes()

    with pytest.raises(StoreError, match="not a database") as refused:
        FeedStore.open(path)
    assert str(path) in str(refused.value)
    assert path.read_bytes() == before


def test_another_programs_database_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "feeds.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (text TEXT)")
    connection.commit()
    connection.close()

    with pytest.raises(StoreError, match="not a feed store"):
        FeedStore.open(path)


@pytest.mark.parametrize("stored", ["1e300", "9e999", "'morgen'", "x'00'"])
def test_a_wait_no_server_asked_for_asks_nothing(store: FeedStore, stored: str) -> None:
    """record_fetch never stores a wait longer than MAX_RETRY_AFTER; a value beyond it (or
    no number: text, a blob), from damage or another program, raised before (#13)."""
    store.record_fetch(NOS, error="HTTP 429", fetched_at=NOW, retry_at=NOW + timedelta(hours=1))
    store.record_fetch(NOS_BUITENLAND, error="HTTP 429", fetched_at=NOW)
    with sqlite3.connect(store.path) as connection:
        connection.execute(f"UPDATE feeds SET retry_at = {stored} WHERE url = ?", (NOS_BUITENLAND,))
    longest = timedelta(seconds=MAX_RETRY_AFTER)
    assert store.asked_to_wait(NOW, longest) == {NOS: NOW + timedelta(hours=1)}


def test_a_refresh_with_an_unreadable_wait_has_an_outcome_for_every_feed(
    tmp_path: Path,
) -> None:
    """One stored wait of 1e300 raised OverflowError out of the refresh: no outcomes (#13)."""
    body = (FIXTURES / "feeds" / "rss2_full.xml").read_bytes()
    with FeedServer() as server, FeedStore.open(tmp_path / "feeds.sqlite3") as store:
        urls = [server.add(f"/{name}.xml", Route(body)) for name in ("nos", "nu")]
        store.record_fetch(urls[0], error="HTTP 429", fetched_at=NOW)
        with sqlite3.connect(store.path) as connection:
            connection.execute("UPDATE feeds SET retry_at = 1e300")
        subscriptions = [Subscription(url) for url in urls]
        outcomes = list(refresh_feeds(subscriptions, store, FeedSettings(timeout=5.0), NOW))
    assert [outcome.status for outcome in outcomes] == [Status.NEW, Status.NEW]


def test_a_damaged_store_gives_store_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "feeds.sqlite3"
    with FeedStore.open(path) as store:
        store.save(NOS, "NOS", [item(f"g{n}", NOW, text="x" * 500) for n in range(200)])
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    damaged = bytearray(path.read_bytes())
    damaged[page_size:] = b"\xa5" * (len(damaged) - page_size)  # all but the first page
    path.write_bytes(bytes(damaged))

    # Only the header page is intact: the store may open, but reading it must fail cleanly.
    with pytest.raises(StoreError) as failed, FeedStore.open(path) as store:
        store.articles()
    assert str(path) in str(failed.value)


# A child process saves one batch (committed), then stalls half-way through a second batch
# inside save()'s transaction, after enough rows to spill into the write-ahead log.
_KILLED_WRITER = """
import os, sys, time
from collections.abc import Sequence
from pathlib import Path
from reader.feeds.items import Block, FeedItem
from reader.feeds.store import FeedStore
from reader.model import ParagraphKind

store = FeedStore.open(Path(sys.argv[1]))
wal = sys.argv[1] + "-wal"

def item(batch, n):
    return FeedItem(f"{batch}-{n}", f"Titel {n}", None, None,
                    (Block(ParagraphKind.BODY, "tekst " * 200),))

store.save("https://feed/committed", "Committed", [item("committed", n) for n in range(500)])
committed_wal = os.path.getsize(wal)

class StallingBatch(Sequence):
    def __len__(self):
        return 6000
    def __getitem__(self, n):
        if n == 5000:
            print(store._connection.in_transaction, committed_wal, os.path.getsize(wal),
                  flush=True)
            time.sleep(120)
        if n >= len(self):
            raise IndexError(n)
        return item("uncommitted", n)

store.save("https://feed/uncommitted", "Uncommitted", StallingBatch())
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_process_killed_mid_save_leaves_the_committed_batch_only(tmp_path: Path) -> None:
    path = tmp_path / "feeds.sqlite3"
    writer = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(path)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        ready = writer.stdout.readline().split()
        assert ready, writer.stderr.read() if writer.stderr else "the writer said nothing"
        in_transaction, committed_wal, stalled_wal = ready
        assert in_transaction == "True"
        # Uncommitted rows reached the log on disk: recovery must leave them out.
        assert int(stalled_wal) > int(committed_wal)
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.kill()
        writer.communicate()

    with FeedStore.open(path) as store:
        assert store.feed_counts() == {"https://feed/committed": 500}
        assert len(store.articles(feed="https://feed/committed")) == 500
        assert store.articles(feed="https://feed/uncommitted") == []
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# -- articles changed in place are read again by when they changed (review, point 2) -------


def test_an_item_changed_in_place_is_read_again_by_when_it_changed(store: FeedStore) -> None:
    """`fetched` stays when the item was first stored; `changed_since` finds a correction."""
    first_stored = NOW - timedelta(hours=3)
    store.save(NOS, "NOS", [item("a", NOW, title="Kop"), item("b", NOW)], fetched_at=first_stored)
    assert [a.guid for a in store.articles(changed_since=NOW - timedelta(minutes=1))] == []
    # The same story again, its headline corrected: from this reader's refresh or another's.
    store.save(NOS, "NOS", [item("a", NOW, title="Kop, verbeterd"), item("b", NOW)], fetched_at=NOW)
    [corrected] = store.articles(changed_since=NOW - timedelta(minutes=1))
    assert (corrected.guid, corrected.title) == ("a", "Kop, verbeterd")
    assert corrected.fetched == first_stored  # still when it was first stored
    # Unchanged, it is not read again.
    store.save(NOS, "NOS", [item("a", NOW, title="Kop, verbeterd")], fetched_at=NOW + timedelta(1))
    assert store.articles(changed_since=NOW + timedelta(hours=1)) == []
    assert sorted(a.guid for a in store.articles(changed_since=first_stored)) == ["a", "b"]


def _version_3_store(path: Path, rows: int) -> None:
    connection = sqlite3.connect(path)
    for statement in (*MIGRATIONS[0], *MIGRATIONS[1], *MIGRATIONS[2]):
        connection.execute(statement)
    connection.execute("PRAGMA user_version = 3")
    connection.executemany(
        "INSERT INTO items (guid, feed_url, source, title, link, published, blocks_json,"
        " fetched) VALUES (?, ?, 'NOS', 'Kop', NULL, ?, '[[\"body\",\"Tekst.\"]]', ?)",
        [
            (f"g{n}", NOS, (NOW - timedelta(hours=n)).timestamp(), (NOW - timedelta(n)).timestamp())
            for n in range(rows)
        ],
    )
    connection.commit()
    connection.close()


def test_a_version_3_store_is_migrated_each_item_changed_when_it_was_fetched(
    tmp_path: Path,
) -> None:
    path = tmp_path / "feeds.sqlite3"
    _version_3_store(path, rows=5)
    with FeedStore.open(path) as store:
        assert store.count() == 5
        since_two_days = store.articles(changed_since=NOW - timedelta(days=2))
        assert sorted(a.guid for a in since_two_days) == ["g0", "g1", "g2"]
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert check.execute("SELECT count(*) FROM items WHERE changed = fetched").fetchone() == (5,)


def test_a_migration_that_fails_half_way_leaves_the_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.feeds import schema

    path = tmp_path / "feeds.sqlite3"
    _version_3_store(path, rows=50)
    # The step to version 4 breaks after its own statements ran (a full disk, a bug).
    broken = (*MIGRATIONS[:3], (*MIGRATIONS[3], "INSERT INTO no_such_table VALUES (1)"))
    monkeypatch.setattr(schema, "MIGRATIONS", broken)
    with pytest.raises(StoreError) as failed:
        FeedStore.open(path)
    assert str(path) in str(failed.value)
    assert "version 4" in str(failed.value)
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == 3
    columns = [row[1] for row in check.execute("PRAGMA table_info(items)")]
    assert "changed" not in columns  # all of the step undone, not only its last statement
    assert check.execute("SELECT count(*) FROM items").fetchone() == (50,)
    check.close()
    monkeypatch.undo()
    with FeedStore.open(path) as store:  # and the next nieuwslezer migrates it whole
        assert store.count() == 50


# Schema version 6: tombstones, and a retention that keeps the starred (issue #15).

V5_STORE = REPO / "tests" / "fixtures" / "stores" / "v5.sqlite"  # made by make_v5.py


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("items", "feeds")
        }
    finally:
        connection.close()


def test_the_real_version_5_store_is_migrated_keeping_every_row(tmp_path: Path) -> None:
    fixture = V5_STORE.read_bytes()
    path = tmp_path / "feeds.sqlite3"
    path.write_bytes(fixture)
    before = _rows(path)
    assert len(before["items"]) == 4 and len(before["feeds"]) == 2

    for _ in range(2):  # and opening it again changes nothing
        with FeedStore.open(path) as store:
            assert {a.guid for a in store.articles()} == {row[0] for row in before["items"]}
            [undated] = [a for a in store.articles() if a.guid == "https://nos.nl/l/2"]
            assert undated.cut and undated.title == "GENÈVE: overleg hervat"
            state = store.feed_state(NOS)
            assert state is not None and state.etag == '"abc"' and state.kept_days == 90
        check = sqlite3.connect(path)
        assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
        assert check.execute("SELECT count(*) FROM removed").fetchone()[0] == 0
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        check.close()
        assert _rows(path) == before
    assert V5_STORE.read_bytes() == fixture


def test_the_retention_never_removes_a_starred_item(store: FeedStore) -> None:
    old = NOW - timedelta(days=100)
    store.save(NOS, "NOS", [item("starred", old), item("not starred", old)], fetched_at=old)

    assert store.prune(now=NOW, keep_guids={"starred", "elsewhere"}) == 1
    assert [a.guid for a in store.articles()] == ["starred"]
    assert store.prune(now=NOW) == 1, "unstarred, it goes"


def test_an_item_the_retention_removed_does_not_come_back_while_its_feed_lists_it(
    store: FeedStore,
) -> None:
    long_ago = NOW - timedelta(days=100)
    store.save(NOS, "NOS", [item("undated")], fetched_at=long_ago)
    store.save(NOS, "NOS", [item("undated"), item("kept", NOW)], fetched_at=NOW)
    assert store.prune(now=NOW) == 1

    # Undated, it would count as fetched now: without a tombstone it came back as new.
    assert store.save(NOS, "NOS", [item("undated"), item("kept", NOW)], fetched_at=NOW) == 0
    assert [a.guid for a in store.articles()] == ["kept"]
    # Another feed listing the same story does not bring it back either.
    assert store.save(NOS_BUITENLAND, "NOS", [item("undated")], fetched_at=NOW) == 0

    # Once its feed no longer lists it, the tombstone goes: listed again, it is a new item.
    store.save(NOS, "NOS", [item("kept", NOW)], fetched_at=NOW)
    assert store.save(NOS, "NOS", [item("undated")], fetched_at=NOW) == 1


def test_an_empty_fetch_does_not_bring_pruned_items_back(store: FeedStore) -> None:
    long_ago = NOW - timedelta(days=100)
    store.save(NOS, "NOS", [item("undated")], fetched_at=long_ago)
    assert store.prune(now=NOW) == 1
    store.save(NOS, "NOS", [], fetched_at=NOW)  # the feed listed nothing, once
    assert store.save(NOS, "NOS", [item("undated")], fetched_at=NOW + timedelta(hours=1)) == 0
    assert store.articles() == []


def test_a_tombstone_of_a_feed_no_longer_fetched_goes_after_a_year(store: FeedStore) -> None:
    long_ago = NOW - timedelta(days=100)
    store.save(NOS, "NOS", [item("undated")], fetched_at=long_ago)
    store.prune(now=NOW)
    store.prune(now=NOW + timedelta(days=365))
    assert store.save(NOS, "NOS", [item("undated")], fetched_at=NOW) == 0, "kept a year"
    store.prune(now=NOW + timedelta(days=367))
    assert store.save(NOS, "NOS", [item("undated")], fetched_at=NOW) == 1


def test_the_reader_and_refresh_keep_what_the_library_stars(tmp_path: Path) -> None:
    from reader.feeds.reading import Pruned, prune_keeping_stars
    from reader.library.state import Library, Starred

    old = NOW - timedelta(days=100)
    with FeedStore.open(tmp_path / "feeds.sqlite3") as store:
        store.save(NOS, "NOS", [item("starred", old), item("a", old), item("b", old)], old)
        [starred] = [a for a in store.articles() if a.guid == "starred"]
        with Library.open(tmp_path / "library.sqlite") as library:  # beside the store
            library.star(Starred.of(starred))
        assert prune_keeping_stars(store, FeedSettings(), NOW) == Pruned(2)
        assert [a.guid for a in store.articles()] == ["starred"]


def test_no_article_is_removed_while_the_stars_cannot_be_read(tmp_path: Path) -> None:
    from reader.feeds.reading import prune_keeping_stars

    library = tmp_path / "library.sqlite"
    library.write_bytes(b"geen database" * 100)
    old = NOW - timedelta(days=100)
    with FeedStore.open(tmp_path / "feeds.sqlite3") as store:
        store.save(NOS, "NOS", [item("maybe starred", old)], old)
        pruned = prune_keeping_stars(store, FeedSettings(), NOW)
        assert (pruned.removed, pruned.later) == (0, False)
        assert pruned.skipped is not None and str(library) in pruned.skipped
        assert "none older than keep_days is removed" in pruned.skipped
        assert [a.guid for a in store.articles()] == ["maybe starred"]
        skipped: list[str] = []
        list(refresh_feeds([], store, FeedSettings(), NOW, on_prune_skipped=skipped.append))
        assert skipped == [pruned.skipped]


def test_reading_the_feeds_says_why_nothing_was_removed() -> None:
    from reader.feeds.reading import read_feeds
    from reader.model import Severity

    old = NOW - timedelta(days=100)
    with FeedStore.open() as store:
        store.save(NOS, "NOS", [item("old", old)], old)
    library = data_dir() / "library.sqlite"
    library.write_bytes(b"geen database" * 100)
    read = read_feeds(None, NOW)
    assert read.store is not None and read.removed == 0
    [problem] = [p for p in read.problems if str(library) in p.message]
    assert problem.severity is Severity.WARNING and "none older than" in problem.message
    assert [a.guid for a in read.store.articles()] == ["old"]
    read.store.close()
