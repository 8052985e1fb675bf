"""A hostile store (#13, points 6, 7 and 13): damaged mid-file, its write lock held by another
program, in a folder that cannot be written. Each time the stored articles that can be read
are shown (reader, `export`, `feeds list`), what is wrong is said, and the file is left alone.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot

import reader.commands.refresh
import reader.feeds.store
import reader.feeds.store_file
import reader.ui.store_pruning
from reader.feeds.items import Block, FeedItem
from reader.feeds.reading import PRUNE_LATER, Pruned, prune_keeping_stars, read_feeds
from reader.feeds.refresh import Status, refresh_feeds
from reader.feeds.settings import FeedSettings
from reader.feeds.store import SCHEMA_VERSION, FeedStore, StoreError, default_store_path
from reader.feeds.subscriptions import Subscription, add_subscription
from reader.model import ParagraphKind, Severity
from reader.ui.app import ReaderApp, build_app
from reader.ui.feeds import CANNOT_REFRESH
from reader.ui.row_list import RowList
from reader.ui.screens import ListScreen
from tests.conftest import SEEDS, nieuwslezer_command
from tests.feed_server import FeedServer, Route
from tests.terminal import Terminal

RECENT = datetime.now(UTC) - timedelta(hours=1)
PER_FEED = 150
TEXT = "Het kabinet trekt 2,5 miljard euro extra uit voor woningbouw, aldus de minister. " * 8


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def fill(path: Path, feeds: list[str], *, old: int = 0) -> None:
    """PER_FEED recent items of each feed (about 1 KB each, so a page holds a few), `old` of
    them published 200 days ago (past the default 90 kept), each feed's fetch recorded."""
    with FeedStore.open(path) as store:
        for number, url in enumerate(feeds):
            items = [
                FeedItem(
                    f"{url}#{index}",
                    f"Bericht {number}-{index}",
                    f"https://example.nl/{number}/{index}",
                    RECENT - timedelta(days=200 if index < old else 0, minutes=index),
                    (Block(ParagraphKind.BODY, TEXT),),
                )
                for index in range(PER_FEED)
            ]
            store.save(url, f"Feed {number}", items, fetched_at=RECENT)
            store.record_fetch(url, title=f"Feed {number}", new_version=True, kept_days=90)


def damage(path: Path, seed: int = 13) -> None:
    """Random bytes over one 4 KB page in the middle of the file, as a bad sector would."""
    pages = path.stat().st_size // 4096
    noise = random.Random(seed).randbytes(4096)
    with path.open("r+b") as file:
        file.seek(pages // 2 * 4096)
        file.write(noise)
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as check:
        assert check.execute("PRAGMA quick_check(1)").fetchone() != ("ok",)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, *nieuwslezer_command(), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def subscribed_store(server: FeedServer, *, old: int = 0) -> tuple[Path, list[str]]:
    """Two feeds of the server subscribed to and stored (the server answers 404 for both:
    nothing here should ask it)."""
    feeds = [server.url("/a.xml"), server.url("/b.xml")]
    for url in feeds:
        add_subscription(url)
    fill(default_store_path(), feeds, old=old)
    return default_store_path(), feeds


# --- 6. a store damaged mid-file ------------------------------------------------------------


@pytest.fixture
def damaged(server: FeedServer) -> Path:
    """The subscribed store, damaged."""
    path, _ = subscribed_store(server)
    damage(path)
    return path


def test_a_damaged_store_is_read_as_far_as_it_can_be_and_never_written(tmp_path: Path) -> None:
    path = tmp_path / "feeds.sqlite3"
    fill(path, ["https://example.nl/a.xml", "https://example.nl/b.xml"])
    damage(path)
    before = digest(path)
    with FeedStore.open_to_read(path) as store:
        assert store.damage is not None
        assert store.cannot_write is not None and "is damaged" in store.cannot_write
        articles = store.articles()
        assert 0.9 * 2 * PER_FEED <= len(articles) < 2 * PER_FEED
        assert store.unreadable == 2 * PER_FEED - len(articles)
        times = [article.sort_time for article in articles]
        assert times == sorted(times, reverse=True)  # newest first, as always
        batches = [a for batch in store.iter_articles(batch_size=7) for a in batch]
        assert batches == articles
        assert sum(store.feed_counts().values()) >= len(articles)
        assert store.channel_titles() == {
            "https://example.nl/a.xml": "Feed 0",
            "https://example.nl/b.xml": "Feed 1",
        }
        with pytest.raises(StoreError, match="is damaged"):
            store.record_fetch("https://example.nl/a.xml", error="x")
    with pytest.raises(StoreError, match=r"is damaged.*left as it is"):
        FeedStore.open(path)
    assert digest(path) == before
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0


def test_whatever_page_is_damaged_the_store_is_read_or_refused_never_a_crash(
    tmp_path: Path,
) -> None:
    """Pages chosen at random (seeded), each overwritten with noise or zeros: the store
    opens to be read (or, for the first page, is refused as no database) and everything
    that reads it gives what it can."""
    whole = tmp_path / "whole.sqlite3"
    fill(whole, ["https://example.nl/a.xml", "https://example.nl/b.xml"])
    pages = whole.stat().st_size // 4096
    chosen = random.Random(13).sample(range(1, pages), 12)
    path = tmp_path / "feeds.sqlite3"
    for page, noise in [(0, bytes(4096)), *((p, random.Random(p).randbytes(4096)) for p in chosen)]:
        shutil.copyfile(whole, path)
        with path.open("r+b") as file:
            file.seek(page * 4096)
            file.write(noise)
        try:
            store = FeedStore.open_to_read(path)
        except StoreError as error:
            assert page == 0 and "is not a database" in str(error)
            continue
        with store:
            assert store.damage is not None
            articles = store.articles()
            assert all(isinstance(article.title, str) for article in articles)
            assert [a for batch in store.iter_articles() for a in batch] == articles
            assert sum(store.feed_counts().values()) >= len(articles)
            store.channel_titles(), store.feed_state("https://example.nl/a.xml")
            assert (store.damage_report() or "").startswith(f"feed store {path} is damaged")


def test_export_of_a_damaged_store_writes_what_it_can_read_and_fails(damaged: Path) -> None:
    path = damaged
    before = digest(path)
    result = run("export")
    assert result.returncode == 1
    assert f"nieuwslezer: feed store {path} is damaged" in result.stderr
    sources = [line for line in result.stdout.splitlines() if '"source": "Feed ' in line]
    assert len(sources) == len(result.stdout.splitlines())  # the feed articles, no samples
    assert 0.9 * 2 * PER_FEED <= len(sources) < 2 * PER_FEED
    assert digest(path) == before


def test_feeds_list_of_a_damaged_store_says_so_and_lists_what_it_read(damaged: Path) -> None:
    path = damaged
    result = run("feeds", "list")
    assert result.returncode == 1
    assert result.stderr.startswith(f"nieuwslezer: feed store {path} is damaged")
    rows = result.stdout.splitlines()
    assert [row.split("  ")[0] for row in rows] == ["Feed 0", "Feed 1"]
    assert all(" items, fetched " in row for row in rows), rows


def test_refresh_refuses_a_damaged_store(server: FeedServer, damaged: Path) -> None:
    path = damaged
    before = digest(path)
    result = run("refresh")
    assert result.returncode == 1
    assert f"feed store {path} is damaged" in result.stderr
    assert "move it away" in result.stderr
    assert server.hits == {}
    assert digest(path) == before


async def settled(pilot: Pilot[int]) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def notices(app: ReaderApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def diagnostics_shown(app: ReaderApp, pilot: Pilot[int]) -> list[tuple[str, str, str]]:
    await pilot.press("d")
    await pilot.pause()
    assert isinstance(app.screen, ListScreen)
    shown = [(d.file, str(d.severity), d.message) for d in app.screen.query_one(RowList).items]
    await pilot.press("escape")
    await pilot.pause()
    return shown


async def test_the_reader_shows_what_it_can_read_of_a_damaged_store(
    server: FeedServer, damaged: Path
) -> None:
    path = damaged
    before = digest(path)
    app = build_app([SEEDS], feeds=True)
    async with app.run_test(size=(130, 36), notifications=True) as pilot:
        await settled(pilot)
        assert 0.9 * 2 * PER_FEED <= len(app.feed_articles) < 2 * PER_FEED
        shown = await diagnostics_shown(app, pilot)
        assert any(
            file == str(path) and severity == "error" and "is damaged" in message
            for file, severity, message in shown
        ), shown
        assert any("of its articles could not be read" in message for *_, message in shown)
        await pilot.press("R")
        await pilot.pause()
        assert notices(app)[-1] == CANNOT_REFRESH
        assert not any("still loading" in notice for notice in notices(app))
    assert server.hits == {}  # not refreshed on start either: that would write to it
    assert digest(path) == before


async def test_reading_the_feeds_failing_leaves_R_to_read_them_again(
    server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug or a file that makes reading fail before the store is read: said in `d`, and R
    reads the feeds again rather than answering "still loading" for ever."""
    import reader.feeds.reading

    subscribed_store(server)
    real = reader.feeds.reading.load_feed_settings
    calls: list[int] = []

    def fails_once() -> tuple[FeedSettings, list[str]]:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the settings could not be read")
        return real()

    monkeypatch.setattr(reader.feeds.reading, "load_feed_settings", fails_once)
    app = build_app([SEEDS], feeds=True)
    async with app.run_test(size=(130, 36), notifications=True) as pilot:
        await settled(pilot)
        shown = await diagnostics_shown(app, pilot)
        assert any("the settings could not be read" in message for *_, message in shown), shown
        await pilot.press("R")
        await settled(pilot)
        assert not any("still loading" in notice for notice in notices(app)), notices(app)
        assert server.hits["/a.xml"] == 1  # refreshed: read again, then fetched


# --- 7. another program holding the write lock ----------------------------------------------


@contextmanager
def write_lock_held(path: Path) -> Iterator[None]:
    """Another connection (as another program would) holding the store's write lock."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.rollback()
        other.close()


def test_reading_does_not_wait_for_a_write_lock_held_elsewhere(server: FeedServer) -> None:
    path, _ = subscribed_store(server, old=10)
    with write_lock_held(path):
        start = time.monotonic()
        read = read_feeds(None)
        assert time.monotonic() - start < 2  # not the 5 s the store waits to write
        assert read.store is not None and read.prune_later
        assert [d.severity for d in read.problems] == [Severity.INFO]
        assert read.problems[0].message == PRUNE_LATER
        # What the retention would have removed is not read meanwhile.
        assert len(read.store.articles()) == 2 * (PER_FEED - 10)
        assert prune_keeping_stars(read.store, read.settings) == Pruned(0, later=True)
    assert prune_keeping_stars(read.store, read.settings) == Pruned(20)
    assert read.store.count() == 2 * (PER_FEED - 10)


def test_a_store_to_update_while_another_program_writes_is_read_as_it_is(
    server: FeedServer,
) -> None:
    """An older store is updated as it opens, which needs the write lock: held elsewhere, the
    store is read as it is, and said so, rather than not read at all."""
    path, _ = subscribed_store(server)
    with sqlite3.connect(path) as older:
        older.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    older.close()
    with write_lock_held(path):
        read = read_feeds(None)
    assert read.store is not None
    assert len(read.store.articles()) == 2 * PER_FEED
    assert read.store.cannot_write is not None
    assert "another program was writing to it" in read.store.cannot_write
    assert [d.severity for d in read.problems] == [Severity.WARNING]


def test_export_does_not_wait_for_a_write_lock_held_elsewhere(server: FeedServer) -> None:
    path, _ = subscribed_store(server, old=10)
    with write_lock_held(path):
        start = time.monotonic()
        result = run("export")
        took = time.monotonic() - start
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 2 * (PER_FEED - 10)
    assert took < 4.5, took  # the store's own wait is 5 s


def reader_that_prunes_again(
    server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, ReaderApp]:
    """A store with old articles, and a reader on it that does not refresh and tries the
    removal again every 0.2 s (not every minute) while it cannot be done."""
    path, _ = subscribed_store(server, old=10)
    config = Path(os.environ["NIEUWSLEZER_CONFIG_DIR"]) / "config.toml"
    config.write_text("[feeds]\nrefresh_on_start = false\n", encoding="utf-8")
    monkeypatch.setattr(reader.ui.store_pruning, "PRUNE_RETRY_SECONDS", 0.2)
    return path, build_app([SEEDS], feeds=True)


async def test_the_reader_removes_old_articles_once_the_lock_is_released(
    server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, app = reader_that_prunes_again(server, monkeypatch)
    with ExitStack() as lock:
        lock.enter_context(write_lock_held(path))
        async with app.run_test(size=(130, 36), notifications=True) as pilot:
            await settled(pilot)
            assert len(app.feed_articles) == 2 * (PER_FEED - 10)
            assert PRUNE_LATER in [d.message for d in app.feed_diagnostics]
            assert not any("problem" in notice for notice in notices(app))
            await pilot.pause(0.6)  # tried while the lock is still held: to be tried again
            assert PRUNE_LATER in [d.message for d in app.feed_diagnostics]
            lock.close()
            for _ in range(30):
                if PRUNE_LATER not in [d.message for d in app.feed_diagnostics]:
                    break
                await pilot.pause(0.1)
            assert PRUNE_LATER not in [d.message for d in app.feed_diagnostics]
            assert "20 stored articles older than 90 days removed" in notices(app)[-1]
            assert len(app.feed_articles) == 2 * (PER_FEED - 10)
    with FeedStore.open(path) as store:
        assert store.count() == 2 * (PER_FEED - 10)


async def test_a_retried_removal_says_why_it_removed_nothing_when_the_stars_cannot_be_read(
    server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tried again once the lock is free, the removal finds the library (the stars) unreadable
    meanwhile: nothing is removed, and the reader says why, as it does on the first try."""
    path, app = reader_that_prunes_again(server, monkeypatch)
    with ExitStack() as lock:
        lock.enter_context(write_lock_held(path))
        async with app.run_test(size=(130, 36), notifications=True) as pilot:
            await settled(pilot)
            assert PRUNE_LATER in [d.message for d in app.feed_diagnostics]
            # Another program put something that is no library in its place (the reader's own
            # connection goes on with the file it opened).
            library = path.with_name("library.sqlite")
            library.unlink()
            library.mkdir()
            lock.close()
            for _ in range(30):
                if any("is not a file" in notice for notice in notices(app)):
                    break
                await pilot.pause(0.1)
            assert any(f"library {library} is not a file" in n for n in notices(app)), notices(app)
            assert library.is_dir()
    with FeedStore.open(path) as store:
        assert store.count() == 2 * PER_FEED, "nothing removed: a starred one could be old"


@contextmanager
def write_lock_held_for(path: Path, seconds: float) -> Iterator[None]:
    """The write lock held elsewhere from now for `seconds` (or till the block ends)."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    released = threading.Lock()

    def release() -> None:
        with released:
            if other.in_transaction:
                other.rollback()

    timer = threading.Timer(seconds, release)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        release()
        other.close()


def recent_feed(name: str, count: int = 3) -> bytes:
    """An RSS document of `count` items published in the last hours."""
    items = "".join(
        f"<item><title>{name} {index}</title><guid>{name}-{index}</guid>"
        f"<link>https://example.nl/{name}/{index}</link>"
        f"<pubDate>{format_datetime(RECENT - timedelta(minutes=index), usegmt=True)}</pubDate>"
        f"<description>Nieuws {index}</description></item>"
        for index in range(count)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>'
        f"{items}</channel></rss>"
    ).encode()


@pytest.fixture
def short_store_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """The store waits 0.3 s, not 5, for a lock another program holds (before it opens)."""
    monkeypatch.setattr(reader.feeds.store_file, "BUSY_TIMEOUT_SECONDS", 0.3)
    monkeypatch.setattr(reader.feeds.store, "BUSY_TIMEOUT_SECONDS", 0.3)


def serving_feeds(server: FeedServer) -> tuple[Path, list[str]]:
    """The subscribed store (10 old items a feed), its two feeds served with 3 new items each."""
    path, feeds = subscribed_store(server, old=10)
    server.add("/a.xml", Route(recent_feed("Alfa")))
    server.add("/b.xml", Route(recent_feed("Bravo")))
    return path, feeds


def test_a_refresh_goes_on_while_another_program_holds_the_write_lock(
    server: FeedServer, short_store_wait: None
) -> None:
    """The removal of old items waits for nobody: the refresh fetches and stores the feeds
    once the lock is free, and the removal is said to be still to do."""
    path, feeds = serving_feeds(server)
    server.latency = 1.5  # the lock is released at 0.8 s, while the feeds are fetched
    pruned: list[tuple[int, bool]] = []
    with FeedStore.open(path) as store, write_lock_held_for(path, 0.8):
        outcomes = list(
            refresh_feeds(
                [Subscription(url) for url in feeds],
                store,
                FeedSettings(timeout=5.0),
                on_pruned=lambda *told: pruned.append(told),
            )
        )
        assert pruned == [(0, True)]
        assert sorted((o.status, o.new_items) for o in outcomes) == [(Status.NEW, 3)] * 2
        # The old items are still stored, and not read, till the removal is done.
        assert store.count() == 2 * (PER_FEED + 3)
        assert len(store.articles()) == 2 * (PER_FEED - 10 + 3)


def test_while_the_lock_stays_held_each_feed_fails_as_its_own(
    server: FeedServer, short_store_wait: None
) -> None:
    path, feeds = serving_feeds(server)
    with FeedStore.open(path) as store, write_lock_held_for(path, 60):
        start = time.monotonic()
        outcomes = list(
            refresh_feeds([Subscription(url) for url in feeds], store, FeedSettings(timeout=5.0))
        )
        assert time.monotonic() - start < 4
    assert len(outcomes) == 2
    for outcome in outcomes:
        assert outcome.status is Status.FAILED
        assert outcome.reason is not None and "database is locked" in outcome.reason
        assert "removing old items" not in outcome.reason
    assert server.hits == {"/a.xml": 1, "/b.xml": 1}


def test_refresh_command_goes_on_while_another_program_holds_the_write_lock(
    server: FeedServer, short_store_wait: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = serving_feeds(server)
    server.latency = 1.5
    with write_lock_held_for(path, 0.8):
        assert reader.commands.refresh.run([]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        "nieuwslezer: another program is writing to the feed store: the items older than"
        " 90 days are removed at a later refresh"
    ]
    assert out.splitlines()[-1] == (
        f"2 feeds: 6 new items (2 read, 0 unchanged, 0 failed); {2 * (PER_FEED + 3)} items stored"
    )


async def test_the_reader_refreshes_while_another_program_holds_the_write_lock(
    server: FeedServer, short_store_wait: None
) -> None:
    path, _ = serving_feeds(server)
    config = Path(os.environ["NIEUWSLEZER_CONFIG_DIR"]) / "config.toml"
    config.write_text("[feeds]\nrefresh_on_start = false\n", encoding="utf-8")
    server.latency = 1.5
    app = build_app([SEEDS], feeds=True)
    async with app.run_test(size=(130, 36), notifications=True) as pilot:
        await settled(pilot)
        with write_lock_held_for(path, 0.8):
            await pilot.press("R")
            await settled(pilot)
        assert notices(app)[-1] == "6 new articles from 2 feeds.", notices(app)
        titles = {article.title for article in app.feed_articles}
        assert {"Alfa 0", "Bravo 2"} <= titles
        assert len(app.feed_articles) == 2 * (PER_FEED - 10 + 3)
        assert PRUNE_LATER in [d.message for d in app.feed_diagnostics]


# --- 13. a data folder that cannot be written ----------------------------------------------


def as_another_user() -> tuple[str, ...]:
    """A prefix that runs a command without root's power to write anywhere (root ignores
    file modes): a user namespace, where the files stay ours but modes count."""
    if os.geteuid() != 0:
        return ()
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "--user", "true"]).returncode != 0:
        pytest.skip("running as root without user namespaces: file modes cannot be tested")
    return (unshare, "--user")


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    modes = {path: path.stat().st_mode for path in [folder, *folder.iterdir()]}
    for path in modes:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


def test_a_read_only_data_folder_is_read_and_said_to_be(server: FeedServer) -> None:
    prefix = as_another_user()
    path, _ = subscribed_store(server)
    before = digest(path)
    with read_only(path.parent):
        listed = run("feeds", "list", prefix=prefix)
        exported = run("export", prefix=prefix)
        refreshed = run("refresh", prefix=prefix)
    assert listed.returncode == 0, listed.stderr
    rows = listed.stdout.splitlines()
    assert all(f"{PER_FEED} items, fetched " in row for row in rows), rows
    assert f"feed store {path} can only be read" in listed.stderr
    assert "refreshing is impossible" in listed.stderr
    assert exported.returncode == 0, exported.stderr
    assert len(exported.stdout.splitlines()) == 2 * PER_FEED
    assert refreshed.returncode == 1
    assert f"feed store {path} cannot be written" in refreshed.stderr
    assert "cannot be refreshed" in refreshed.stderr
    assert server.hits == {}
    assert digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["feeds.sqlite3"]


def test_the_reader_on_a_read_only_data_folder_shows_the_articles(server: FeedServer) -> None:
    prefix = as_another_user()
    path, _ = subscribed_store(server)
    with read_only(path.parent):
        terminal = Terminal([*prefix, *nieuwslezer_command()], columns=130, lines=36)
        try:
            assert terminal.wait_for(lambda text: "Bericht 0-0" in text), terminal.text()
            assert terminal.wait_for(lambda text: "problem with the feeds" in text)
            terminal.send("R")
            assert terminal.wait_for(lambda text: "refreshing is" in text), terminal.text()
        finally:
            terminal.send("q")
            terminal.wait_exit()
    assert server.hits == {}
