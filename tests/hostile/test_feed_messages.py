"""What the reader says of the feeds when something hostile happened (#13, points 3, 11, 15):
the end of a refresh tells the feeds that failed from those not asked (their server asked to
wait), a store's error text shows its control characters escaped, and `d` lists every settings
problem, [feeds] and [translation] alike, each once, with config.toml's path once.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

import reader.feeds.refresh
from reader.config import default_config_path
from reader.feeds.store import FeedStore, StoreError
from reader.feeds.subscriptions import add_subscription
from reader.model import Severity
from reader.translate.config import load_settings
from reader.ui.app import build_app
from tests.conftest import SEEDS
from tests.feed_server import FeedServer, Route
from tests.hostile.test_damaged_store import diagnostics_shown, notices, settled
from tests.ui.test_feeds import feed_reader

# A data folder may be named anything: an escape that would retitle the terminal, a bidi
# override that would reverse what follows.
HOSTILE_PATH = "/data/\x1b]0;pwned\x07\u202eevil"


@pytest.fixture
def servers() -> Iterator[tuple[FeedServer, FeedServer]]:
    with FeedServer() as first, FeedServer(host="127.0.0.2") as second:
        yield first, second


def subscribed_to_a_waiting_server(server: FeedServer, feeds: int) -> list[str]:
    """`feeds` feeds of `server` subscribed to, the server having asked (on the last one's
    refresh, with Retry-After) to wait an hour: their addresses."""
    urls = [server.add(f"/{number}.xml", Route(status=404)) for number in range(feeds)]
    for url in urls:
        add_subscription(url)
    now = datetime.now(UTC)
    with FeedStore.open() as store:
        store.record_fetch(
            urls[-1], error="HTTP 429", fetched_at=now, retry_at=now + timedelta(hours=1)
        )
    return urls


async def test_feeds_not_asked_are_told_apart_from_feeds_that_failed(
    servers: tuple[FeedServer, FeedServer],
) -> None:
    """One feed fails (404); four are not asked, as their server asked to wait (a Retry-After
    kept in the store from an earlier refresh)."""
    failing, waiting = servers
    add_subscription(failing.add("/gone.xml", Route(status=404)))
    busy = subscribed_to_a_waiting_server(waiting, 4)
    async with feed_reader() as (app, pilot):
        assert notices(app)[-1] == (
            "0 new articles from 5 feeds; 1 feed failed, 4 not asked: their server asked to"
            " wait. Press d for the list."
        )
        assert list(app._notifications)[-1].severity == "warning"  # something went wrong
        shown = await diagnostics_shown(app, pilot)
        severities = {file: severity for file, severity, _ in shown}
        assert severities[failing.url("/gone.xml")] == str(Severity.ERROR)
        assert [severities[url] for url in busy] == [str(Severity.WARNING)] * 4
    assert sum(waiting.hits.values()) == 0


async def test_feeds_only_not_asked_are_no_alarm(servers: tuple[FeedServer, FeedServer]) -> None:
    subscribed_to_a_waiting_server(servers[1], 2)
    async with feed_reader() as (app, _):
        assert notices(app)[-1] == (
            "0 new articles from 2 feeds; 2 feeds not asked: their server asked to wait."
            " Press d for the list."
        )
        assert list(app._notifications)[-1].severity == "information"


@pytest.mark.parametrize("when", ["before any feed", "reading the store again"])
async def test_a_store_error_is_notified_with_its_controls_escaped(
    servers: tuple[FeedServer, FeedServer], monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    server, _ = servers
    add_subscription(server.add("/gone.xml", Route(status=404)))
    add_subscription(server.add("/weg.xml", Route(status=404)))
    async with feed_reader() as (app, pilot):
        failure = StoreError(f"feed store {HOSTILE_PATH}/feeds.sqlite3: reading failed")

        def fails(*args: object, **kwargs: object) -> object:
            raise failure

        def fails_at_once(*args: object, **kwargs: object) -> Iterator[object]:
            raise failure
            yield  # a generator, as refresh_feeds is: it fails once iterated

        if when == "before any feed":
            monkeypatch.setattr(reader.feeds.refresh, "refresh_feeds", fails_at_once)
        else:
            monkeypatch.setattr(FeedStore, "articles", fails)
        await pilot.press("R")
        await settled(pilot)
        notice = notices(app)[-1]
        assert "Something went wrong" not in str(list(app._notifications)[-1].title)
        assert "\\x1b]0;pwned\\x07\\u202eevil" in notice, notice
        assert not any(character in notice for character in "\x1b\x07\u202e")


async def diagnostics_with_config(text: str) -> list[tuple[str, str, str]]:
    """What `d` lists in a reader started as `nieuwslezer` starts it, with this config.toml."""
    config = default_config_path()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text, "utf-8")
    settings, problems = load_settings()
    app = build_app([SEEDS], settings, problems, feeds=True)
    async with app.run_test(size=(130, 36), notifications=True) as pilot:
        await settled(pilot)
        return await diagnostics_shown(app, pilot)


async def test_d_lists_the_translation_settings_problems_too_each_path_once() -> None:
    config = default_config_path()
    shown = await diagnostics_with_config(
        "[feeds]\nkeep_days = 0.5\n[translation]\ntimeout = nan\n"
    )
    assert sorted(shown) == [
        (
            str(config),
            "warning",
            "[feeds] keep_days must be a whole number of days from 1 to 36500 (not 0.5); using 90",
        ),
        (
            str(config),
            "warning",
            "[translation] timeout must be a number of seconds from 1 to 120 (not nan); using 10",
        ),
    ]


async def test_a_config_file_that_cannot_be_read_is_listed_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NIEUWSLEZER_TRANSLATOR_TIMEOUT", "soon")
    config = default_config_path()
    shown = await diagnostics_with_config("[feeds\n")
    shown.sort(key=lambda row: row[0] != "environment")
    assert [file for file, *_ in shown] == ["environment", str(config)]
    assert shown[0][2].startswith("NIEUWSLEZER_TRANSLATOR_TIMEOUT must be a number of seconds")
    assert shown[1][2].startswith("not read (")
    assert str(config) not in shown[1][2]
    assert os.environ["NIEUWSLEZER_TRANSLATOR_TIMEOUT"] == "soon"
