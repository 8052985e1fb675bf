"""`nieuwslezer feeds ...`, `refresh` and `export` with feeds, run as a user runs them.

Each test has its own config, cache and data folders (tests/conftest.py); feeds come from a
local server. Times in the sample feeds are from November 2024, so the tests that refresh
keep items for a century (`[feeds] keep_days` in config.toml) rather than the default 90 days.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.feeds.subscriptions import Subscription, parse_opml, to_opml
from reader.library.index import SearchIndex
from tests.conftest import nieuwslezer_command
from tests.feed_server import FeedServer, Route
from tests.translate_server import translate_server

FIXTURES = Path(__file__).parent / "fixtures"
FEEDS = FIXTURES / "feeds"
OPML = FIXTURES / "opml"
ETAG = '"nos-1"'


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*nieuwslezer_command(), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def installed_seeds() -> str:
    """The samples as the installed command finds them (in a wheel, inside the package; the
    tests' own `reader` may be the checkout's)."""
    where = subprocess.run(
        [sys.executable, "-c", "from reader.resources import seeds_dir; print(seeds_dir())"],
        capture_output=True, text=True, check=True, cwd=Path.home(),
    )  # fmt: skip
    return where.stdout.strip()


def config_dir() -> Path:
    return Path(os.environ["NIEUWSLEZER_CONFIG_DIR"])


def store_path() -> Path:
    return Path(os.environ["NIEUWSLEZER_DATA_DIR"]) / "feeds.sqlite3"


def feeds_toml() -> Path:
    return config_dir() / "feeds.toml"


@pytest.fixture
def server() -> Iterator[FeedServer]:
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "config.toml").write_text("[feeds]\nkeep_days = 36500\ntimeout = 5\n")
    with FeedServer() as running:
        running.add_file("/nos.xml", FEEDS / "rss2_full.xml", etag=ETAG)
        running.add_file("/nu.xml", FEEDS / "rss2_summary_cut.xml")
        yield running


def subscribe(*feeds: str) -> None:
    for feed in feeds:
        added = run("feeds", "add", feed)
        assert added.returncode == 0, added.stderr


def without_addresses(lines: list[str], *feeds: str) -> list[str]:
    """The lines of a first refresh without the address each feed done while another was
    still untitled is given with (which is done first varies from run to run)."""
    for feed in feeds:
        lines = [line.replace(f" ({feed}): ", ": ") for line in lines]
    return lines


# --- feeds: subscriptions ----------------------------------------------------------------


def test_presets_are_listed_with_their_addresses() -> None:
    result = run("feeds", "presets")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["nos", "https://feeds.nos.nl/nosnieuwsalgemeen", "NOS", "Nieuws"]
    assert any(line.split()[:2] == ["nu", "https://www.nu.nl/rss/Algemeen"] for line in lines)


def test_without_subscriptions_list_and_refresh_say_how_to_add_one() -> None:
    for command in (("feeds", "list"), ("refresh",)):
        result = run(*command)
        assert result.returncode == 0, result.stderr
        assert "no subscriptions" in result.stdout
        assert "nieuwslezer feeds add" in result.stdout
    assert not store_path().exists()


def test_add_list_and_remove() -> None:
    added = run("feeds", "add", "nos")
    assert added.returncode == 0, added.stderr
    assert "added NOS Nieuws (https://feeds.nos.nl/nosnieuwsalgemeen)" in added.stdout
    again = run("feeds", "add", "NOS")
    assert again.returncode == 0
    assert "already subscribed to https://feeds.nos.nl/nosnieuwsalgemeen" in again.stdout
    url = "https://www.omroepbrabant.nl/rss"
    assert run("feeds", "add", url, "--title", "Omroep Brabant").returncode == 0
    assert run("feeds", "add", "https://example.nl/feed.xml").returncode == 0
    listed = run("feeds", "list")
    assert listed.returncode == 0, listed.stderr
    assert [line.split("  ")[0] for line in listed.stdout.splitlines()] == [
        "NOS Nieuws",
        "Omroep Brabant",
        "(no title yet)",
    ]
    assert all(line.endswith("never fetched") for line in listed.stdout.splitlines())
    assert url in listed.stdout
    assert "removed Omroep Brabant" in run("feeds", "remove", "omroep brabant").stdout
    assert run("feeds", "remove", "nos").returncode == 0
    assert run("feeds", "remove", "https://example.nl/feed.xml").returncode == 0
    assert "no subscriptions" in run("feeds", "list").stdout
    missing = run("feeds", "remove", "nos")
    assert missing.returncode == 1
    assert "not subscribed to 'nos'" in missing.stderr
    assert not store_path().exists()


@pytest.mark.parametrize("feed", ["ftp://example.nl/feed.xml", "nos.nl/rss", "bbc"])
def test_adding_what_is_no_feed_address_is_a_usage_error(feed: str) -> None:
    result = run("feeds", "add", feed)
    assert result.returncode == 2
    assert f"{feed!r} is neither a feed address" in result.stderr
    assert "presets: nos" in result.stderr
    assert not feeds_toml().exists()


def test_usage_errors_exit_2() -> None:
    assert run("feeds").returncode == 2
    assert run("feeds", "subscribe", "nos").returncode == 2
    assert run("feeds", "add", "nos", "--title", " ").returncode == 2
    assert run("refresh", "--now").returncode == 2
    helped = run("--help")
    assert "nieuwslezer feeds COMMAND" in helped.stdout and "nieuwslezer refresh" in helped.stdout


def test_a_feeds_toml_that_cannot_be_read_is_reported_and_left_alone() -> None:
    config_dir().mkdir(parents=True)
    feeds_toml().write_text("[[feed]\nurl = ")
    for command in (("feeds", "add", "nos"), ("feeds", "list"), ("feeds", "export"), ("refresh",)):
        result = run(*command)
        assert result.returncode == 1, command
        assert f"{feeds_toml()}: cannot be read" in result.stderr
        assert "no subscriptions" not in result.stdout
    assert feeds_toml().read_text() == "[[feed]\nurl = "


# --- feeds: OPML in and out --------------------------------------------------------------


def test_import_from_newsboat_and_nom() -> None:
    newsboat = run("feeds", "import", str(OPML / "newsboat.opml"))
    assert newsboat.returncode == 0, newsboat.stderr
    assert newsboat.stdout.splitlines()[-1] == (
        f"{OPML / 'newsboat.opml'}: 5 added, 0 already subscribed"
    )
    nom = run("feeds", "import", str(OPML / "nom.opml"))
    assert nom.returncode == 0, nom.stderr
    # Tweakers was in both; nom lists NOS Buitenland twice.
    assert nom.stdout.splitlines()[-1] == f"{OPML / 'nom.opml'}: 3 added, 1 already subscribed"
    assert "added RTV Noord (https://www.rtvnoord.nl/rss/index.xml)" in nom.stdout
    names = [line.split("  ")[0] for line in run("feeds", "list").stdout.splitlines()]
    assert names == [
        "NOS Nieuws - Algemeen",
        "NU - Algemeen",
        "Tweakers Mixed RSS Feed & meer",
        "VRT NWS \u2013 Nieuws",
        "(no title yet)",
        "NOS Buitenland",
        "NU.nl Buitenland",
        "RTV Noord",
    ]
    again = run("feeds", "import", str(OPML / "newsboat.opml"))
    assert again.stdout.splitlines()[-1].endswith(": 0 added, 5 already subscribed")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "cannot be read (no such file or folder)"),
        ((OPML / "billion_laughs.opml").read_bytes(), "refused: it declares a document type"),
        ((FEEDS / "rss2_full.xml").read_bytes(), "not an OPML file (its root element is <rss>)"),
        (b'<opml version="2.0"><body><outline xmlUrl="https://nos.nl/', "not well-formed XML"),
        (b'<opml version="2.0"><body><outline text="Nieuws"/></body></opml>', "no feeds in it"),
    ],
)
def test_an_opml_file_that_gives_no_feeds_fails_naming_the_file(
    tmp_path: Path, content: bytes | None, problem: str
) -> None:
    file = tmp_path / "feeds.opml"
    if content is not None:
        file.write_bytes(content)
    result = run("feeds", "import", str(file))
    assert result.returncode == 1
    assert f"nieuwslezer: {file}: " in result.stderr and problem in result.stderr
    assert not feeds_toml().exists()


def test_export_writes_opml_that_imports_as_the_same_subscriptions(tmp_path: Path) -> None:
    run("feeds", "import", str(OPML / "newsboat.opml"))
    subscribe("nos-buitenland")
    run("feeds", "add", "https://example.nl/a?b=1&c=2", "--title", 'Quotes " & <tags>')
    exported = run("feeds", "export")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">'
    )
    subscriptions, problems = parse_opml(exported.stdout.encode(), "export")
    assert problems == []
    assert subscriptions[-1] == Subscription("https://example.nl/a?b=1&c=2", 'Quotes " & <tags>')
    assert Subscription("https://example.nl/zonder-titel.xml") in subscriptions
    opml = tmp_path / "backup.opml"
    opml.write_text(exported.stdout, encoding="utf-8")
    elsewhere = {"NIEUWSLEZER_CONFIG_DIR": str(tmp_path / "other-config")}
    imported = run("feeds", "import", str(opml), env=elsewhere)
    assert imported.returncode == 0, imported.stderr
    copy = (tmp_path / "other-config" / "feeds.toml").read_text(encoding="utf-8")
    assert copy == feeds_toml().read_text(encoding="utf-8")


def test_no_feeds_subcommand_goes_on_the_network_or_loads_its_libraries() -> None:
    code = """if True:
        import socket, sys

        def refuse(*args, **kwargs):
            raise AssertionError("network used")

        socket.socket.connect = socket.getaddrinfo = refuse
        from reader.cli import main
        status = main(sys.argv[1:])
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("requests", "feedparser")))
        sys.exit(status)
    """
    commands = (
        ["add", "nos"],
        ["import", str(OPML / "nom.opml")],
        ["list"],
        ["presets"],
        ["export"],
        ["remove", "nos"],
    )
    for command in commands:
        result = subprocess.run(
            [sys.executable, "-c", code, "feeds", *command],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1] == "[]", command


# --- refresh -----------------------------------------------------------------------------


def test_refresh_prints_a_line_per_feed_and_a_total(server: FeedServer) -> None:
    subscribe(server.url("/nos.xml"))
    run("feeds", "add", server.url("/nu.xml"), "--title", "NU")
    first = run("refresh")
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""
    lines = without_addresses(
        first.stdout.splitlines(), server.url("/nos.xml"), server.url("/nu.xml")
    )
    assert sorted(lines[:2]) == [
        "NOS Nieuws - Algemeen: 4 new of 4 items",
        "NU: 4 new of 4 items",  # the title given wins over the channel's
    ]
    assert lines[2:] == ["2 feeds: 8 new items (2 read, 0 unchanged, 0 failed); 8 items stored"]
    second = run("refresh")
    assert second.returncode == 0, second.stderr
    assert "NOS Nieuws - Algemeen: unchanged" in second.stdout.splitlines()
    assert "NU: 0 new of 4 items" in second.stdout.splitlines()
    assert server.not_modified["/nos.xml"] == 1
    listed = run("feeds", "list").stdout.splitlines()
    assert listed[0].startswith("NOS Nieuws - Algemeen  ")
    assert listed[1].startswith("NU  ")  # the title given wins over the channel's
    assert all(", fetched 20" in line and " 4 items" in line for line in listed)
    # Exported, a feed is named by its own title or, once fetched, by its channel's.
    exported = run("feeds", "export").stdout
    assert 'text="NOS Nieuws - Algemeen"' in exported
    assert 'text="NU"' in exported


def test_refresh_with_a_failing_feed_exits_1_and_says_why(server: FeedServer) -> None:
    server.add("/down.xml", Route(status=503))
    subscribe(server.url("/nos.xml"), server.url("/down.xml"))
    result = run("refresh")
    assert result.returncode == 1
    down = server.url("/down.xml")
    assert result.stderr.splitlines() == [f"{down}: error: HTTP 503 Service Unavailable"]
    assert without_addresses(result.stdout.splitlines(), server.url("/nos.xml")) == [
        "NOS Nieuws - Algemeen: 4 new of 4 items",
        "2 feeds: 4 new items (1 read, 0 unchanged, 1 failed); 4 items stored",
    ]
    listed = run("feeds", "list").stdout.splitlines()
    assert listed[1].endswith(", last error: HTTP 503 Service Unavailable")


def test_refresh_with_a_store_that_cannot_be_opened_fails_and_keeps_the_file(
    server: FeedServer,
) -> None:
    subscribe(server.url("/nos.xml"))
    store_path().parent.mkdir(parents=True)
    store_path().write_bytes(b"no database")
    result = run("refresh")
    assert result.returncode == 1
    assert f"feed store {store_path()} is not a database or is damaged" in result.stderr
    assert store_path().read_bytes() == b"no database"
    assert server.hits == {}


def keep_days(days: int) -> None:
    (config_dir() / "config.toml").write_text(f"[feeds]\nkeep_days = {days}\ntimeout = 5\n")


def test_refresh_says_what_the_retention_kept_out_and_brings_it_back_when_raised(
    server: FeedServer,
) -> None:
    """Raised retention: the server would answer 304 to the ETag had, and the items not kept
    before could never come back."""
    subscribe(server.url("/nos.xml"))
    keep_days(30)  # the sample feeds are from November 2024
    short = run("refresh")
    assert short.returncode == 0, short.stderr
    assert short.stdout.splitlines() == [
        "NOS Nieuws - Algemeen: 0 new of 4 items (4 older than 30 days, not kept)",
        "1 feed: 0 new items (1 read, 0 unchanged, 0 failed); 0 items stored",
    ]
    keep_days(36500)
    raised = run("refresh")
    assert raised.stdout.splitlines()[0] == "NOS Nieuws - Algemeen: 4 new of 4 items"
    assert run("refresh").stdout.splitlines()[0] == "NOS Nieuws - Algemeen: unchanged"
    assert server.not_modified["/nos.xml"] == 1
    keep_days(30)
    shortened = run("refresh")
    assert shortened.stdout.splitlines()[-1] == (
        "1 feed: 0 new items (0 read, 1 unchanged, 0 failed); 0 items stored,"
        " 4 older than 30 days removed"
    )


def test_refresh_full_asks_no_server_only_for_changes(server: FeedServer) -> None:
    subscribe(server.url("/nos.xml"))
    assert run("refresh").returncode == 0
    full = run("refresh", "--full")
    assert full.returncode == 0, full.stderr
    assert full.stdout.splitlines()[0] == "NOS Nieuws - Algemeen: 0 new of 4 items"
    assert server.not_modified["/nos.xml"] == 0
    sent = [r.headers["If-None-Match"] for r in server.received if r.path == "/nos.xml"]
    assert sent == [None, None]
    assert "--full" in run("refresh", "--help").stdout


@pytest.mark.parametrize("again", [("feeds", "add"), ("feeds", "import")])
def test_a_feed_subscribed_to_again_is_fetched_whole(
    server: FeedServer, tmp_path: Path, again: tuple[str, str]
) -> None:
    """Its items may have been removed meanwhile: a 304 would keep them out for good."""
    url = server.url("/nos.xml")
    subscribe(url)
    assert run("refresh").returncode == 0
    removed = run("feeds", "remove", "NOS Nieuws - Algemeen")
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout == f"removed {url}\n"
    if again[1] == "add":
        assert run("feeds", "add", url).returncode == 0
    else:
        opml = tmp_path / "feeds.opml"
        opml.write_text(to_opml([Subscription(url)]), encoding="utf-8")
        assert run("feeds", "import", str(opml)).returncode == 0
    refreshed = run("refresh")
    assert refreshed.stdout.splitlines()[0] == "NOS Nieuws - Algemeen: 0 new of 4 items"
    assert server.not_modified["/nos.xml"] == 0


def test_subscribing_with_a_damaged_store_says_so_and_leaves_it_alone() -> None:
    store_path().parent.mkdir(parents=True)
    store_path().write_bytes(b"no database")
    for command in (("feeds", "add", "nos"), ("feeds", "remove", "NOS Nieuws")):
        result = run(*command)
        assert result.returncode == 0, result.stderr  # feeds.toml was changed all the same
        assert f"feed store {store_path()} is not a database" in result.stderr
    assert store_path().read_bytes() == b"no database"


def test_feeds_sharing_a_title_are_listed_counted_and_removed_apart(server: FeedServer) -> None:
    """Two feeds titled "NOS Nieuws - Algemeen", of 4 and 3 items: named and counted each by
    its own address; `remove` takes what `list` shows."""
    body = (FEEDS / "rss2_full.xml").read_bytes()
    body = body.replace(b"nos-25310", b"tweede-25310").replace(b"/artikel/", b"/tweede/")
    last_item = body.rindex(b"<item>")
    body = body[:last_item] + body[body.index(b"</item>", last_item) + len(b"</item>") :]
    server.add("/tweede.xml", Route(body))
    first, second = server.url("/nos.xml"), server.url("/tweede.xml")
    subscribe(first, second, server.url("/nu.xml"))
    assert run("refresh").returncode == 0
    first_name = f"NOS Nieuws - Algemeen ({first.partition('://')[2]})"
    second_name = f"NOS Nieuws - Algemeen ({second.partition('://')[2]})"
    listed = run("feeds", "list")
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("  ") for line in listed.stdout.splitlines()]
    assert [(row[0], row[-1].split(",")[0].strip()) for row in rows] == [
        (first_name, "4 items"),
        (second_name, "3 items"),
        ("NU - Algemeen", "4 items"),
    ]
    refreshed = run("refresh").stdout.splitlines()
    assert f"{first_name}: unchanged" in refreshed
    assert f"{second_name}: 0 new of 3 items" in refreshed
    # Exported, each feed's articles carry its own name.
    exported = [json.loads(line) for line in run("export").stdout.splitlines()]
    sources = Counter(record["source"] for record in exported if "source" in record)
    assert sources == {first_name: 4, second_name: 3, "NU - Algemeen": 4}
    ambiguous = run("feeds", "remove", "nos nieuws - algemeen")
    assert ambiguous.returncode == 1
    assert "is the title of several feeds" in ambiguous.stderr
    assert run("feeds", "remove", second_name).stdout == f"removed {second}\n"
    assert run("feeds", "remove", "NU - Algemeen").returncode == 0  # the channel's title
    # Alone with its title now: named by it, and removed by it.
    assert run("feeds", "list").stdout.startswith("NOS Nieuws - Algemeen  ")
    assert run("feeds", "remove", "NOS Nieuws - Algemeen").returncode == 0
    assert "no subscriptions" in run("feeds", "list").stdout


# --- export with the stored feed items ----------------------------------------------------


def test_export_without_feeds_is_the_samples_as_before() -> None:
    plain = run("export")
    samples = run("export", installed_seeds())
    assert plain.returncode == samples.returncode == 0
    assert (plain.stdout, plain.stderr) == (samples.stdout, samples.stderr)
    assert not store_path().exists()


def test_export_with_subscriptions_but_no_store_makes_no_store() -> None:
    assert run("feeds", "add", "nos").returncode == 0
    plain = run("export")
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout == run("export", installed_seeds()).stdout  # the samples, as before
    assert not store_path().exists()


def test_export_samples_adds_the_stored_feed_items_to_them(server: FeedServer) -> None:
    subscribe(server.url("/nos.xml"), server.url("/nu.xml"))
    assert run("refresh").returncode == 0
    samples = run("export", installed_seeds()).stdout.splitlines(keepends=True)
    exported = run("export", "--samples")
    assert exported.returncode == 0, exported.stderr
    lines = exported.stdout.splitlines(keepends=True)
    # The pages' records as before; the feed articles after the pages' articles.
    page_articles = [line for line in samples if line.startswith('{"type": "article"')]
    pages, feeds, ticker = (
        lines[: len(page_articles)],
        lines[len(page_articles) : len(page_articles) + 8],
        lines[len(page_articles) + 8 :],
    )
    assert pages + ticker == samples
    records = [json.loads(line) for line in feeds]
    assert {record["source"] for record in records} == {"NOS Nieuws - Algemeen", "NU - Algemeen"}
    newest = records[0]  # newest first, as stored
    assert newest == {
        "type": "article",
        "file": server.url("/artikel/2531004-weerbericht-morgen-kans-op-15-millimeter-regen"),
        "line": 0,
        "title": "Weerbericht: morgen kans op 15 millimeter regen",
        "place": None,
        "agencies": [],
        "source": "NOS Nieuws - Algemeen",
        "link": server.url("/artikel/2531004-weerbericht-morgen-kans-op-15-millimeter-regen"),
        "published": "2024-11-12T15:00:00+00:00",
        "guid": server.url("/artikel/2531004-weerbericht-morgen-kans-op-15-millimeter-regen"),
        "cut": False,
        "read": False,  # no library: nothing read or starred, nothing seen
        "starred": False,
        "first_seen": None,
        "paragraphs": [
            {
                "kind": "lead",
                "text": "Morgen valt er in het noorden van het land tot 15 millimeter regen,"
                " verwacht het KNMI.",
                "line": 0,
                "place": None,
                "agencies": [],
                "links": [],
            }
        ],
    }
    by_guid = {record["guid"]: record for record in records}
    assert by_guid["127.0.0.1/nos-2531001"]["paragraphs"][3]["links"] == [
        {
            "text": "onvoldoende",
            "href": "https://nos.nl/artikel/2530877-gemeenten-luiden-noodklok-over-woningbouw",
        }
    ]
    assert [by_guid[f"https://www.nu.nl/-/633410{n}/"]["cut"] for n in range(1, 5)] == [
        True,
        True,
        False,
        True,
    ]
    # With a PATH, only those files: the store is not read.
    assert run("export", installed_seeds()).stdout == "".join(samples)


def test_export_translate_translates_the_feed_items_too(server: FeedServer) -> None:
    subscribe(server.url("/nu.xml"))
    assert run("refresh").returncode == 0
    with translate_server() as (url, _):
        result = run("export", "--translate", "--translator", "libre", "--translator-url", url)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    feed_articles = [record for record in records if "source" in record]
    assert len(feed_articles) == 4
    for article in feed_articles:
        assert article["title_english"] == f"EN:{article['title']}"
        assert all(p["english"] == f"EN:{p['text']}" for p in article["paragraphs"])


def test_export_reports_a_store_it_cannot_read_and_exports_the_samples() -> None:
    store_path().parent.mkdir(parents=True)
    store_path().write_bytes(b"no database")
    result = run("export")
    assert result.returncode == 1  # a script must know the feed articles are missing (#13)
    assert result.stdout == run("export", installed_seeds()).stdout
    assert f"nieuwslezer: feed store {store_path()} is not a database" in result.stderr
    assert store_path().read_bytes() == b"no database"


def test_a_refresh_killed_half_way_leaves_a_store_that_works(server: FeedServer) -> None:
    """SIGKILL while one feed still hangs: what was stored stays, and the next run goes on."""
    import signal
    import sqlite3
    import time

    server.add("/hangs.xml", Route(hang=True))
    subscribe(server.url("/nos.xml"), server.url("/nu.xml"), server.url("/hangs.xml"))
    process = subprocess.Popen(
        [*nieuwslezer_command(), "refresh"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        done = [process.stdout.readline(), process.stdout.readline()]  # the two quick feeds
        assert all(" new of " in line for line in done), done
        time.sleep(0.2)  # well inside the hanging feed's 5 s time-out
        assert process.poll() is None
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    with sqlite3.connect(store_path()) as database:
        assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert database.execute("SELECT count(*) FROM items").fetchone() == (8,)
    server.add_file("/hangs.xml", FEEDS / "atom.xml")
    again = run("refresh")
    assert again.returncode == 0, again.stderr
    lines = without_addresses(again.stdout.splitlines(), server.url("/nos.xml"))
    assert "NOS Nieuws - Algemeen: unchanged" in lines  # with its address, if done before atom
    assert lines[-1].endswith("; 11 items stored")  # 8 kept, 3 new


def test_export_leaves_out_what_the_retention_removes_as_the_reader_does(
    server: FeedServer,
) -> None:
    subscribe(server.url("/nos.xml"))
    assert run("refresh").returncode == 0
    assert '"source": "NOS Nieuws - Algemeen"' in run("export").stdout
    # The sample feeds are from 2024: with 30 days kept, none of them is left.
    (config_dir() / "config.toml").write_text("[feeds]\nkeep_days = 30\n")
    assert run("export").stdout == run("export", installed_seeds()).stdout


# --- review of #12 ------------------------------------------------------------------------


def test_each_line_of_a_first_refresh_stays_true_of_the_feed_it_names(server: FeedServer) -> None:
    """Two feeds of one title, fetched for the first time: the line of the one done first
    gives its address (the other may bring the same title), the last names the feed as
    `feeds list` will from then on."""
    body = (FEEDS / "rss2_full.xml").read_bytes()
    body = body.replace(b"nos-25310", b"tweede-25310").replace(b"/artikel/", b"/tweede/")
    first, second = server.url("/nos.xml"), server.add("/tweede.xml", Route(body))
    subscribe(first, second)
    lines = run("refresh").stdout.splitlines()[:2]
    rows = [re.split(r"\s{2,}", line) for line in run("feeds", "list").stdout.splitlines()]
    listed = {url: name for name, url, *_ in rows}
    early, last = (first, second) if first in lines[0] else (second, first)
    assert lines == [
        f"NOS Nieuws - Algemeen ({early}): 4 new of 4 items",
        f"{listed[last]}: 4 new of 4 items",
    ]
    assert listed[last] == f"NOS Nieuws - Algemeen ({last.partition('://')[2]})"


def test_feeds_list_with_a_store_it_cannot_read_says_so_first_and_on_every_row() -> None:
    subscribe("nos", "https://example.nl/feed.xml")
    store_path().parent.mkdir(parents=True)
    store_path().write_bytes(b"no database")
    listed = subprocess.run(
        [*nieuwslezer_command(), "feeds", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # as a terminal shows them: the error before the rows
        text=True,
        timeout=60,
    )
    assert listed.returncode == 1
    error, *rows = listed.stdout.splitlines()
    assert error.startswith(f"nieuwslezer: feed store {store_path()} is not a database")
    assert len(rows) == 2
    assert all(row.endswith("store not read") for row in rows)
    assert rows[0].startswith("NOS Nieuws  ")
    assert not any("never fetched" in row or "no title yet" in row for row in rows)
    assert store_path().read_bytes() == b"no database"


def test_export_without_path_leaves_the_samples_out_once_feed_articles_are_stored(
    server: FeedServer,
) -> None:
    subscribe(server.url("/nos.xml"))
    samples = run("export", installed_seeds()).stdout
    assert run("refresh").returncode == 0
    exported = run("export")
    assert exported.returncode == 0, exported.stderr
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(records) == 4  # the reader shows these four, and no sample page or ticker
    assert {record["source"] for record in records} == {"NOS Nieuws - Algemeen"}
    with_samples = run("export", "--samples")
    assert with_samples.returncode == 0, with_samples.stderr
    assert with_samples.stdout.startswith(samples.partition('{"type": "ticker')[0])
    assert exported.stdout in with_samples.stdout
    assert "--samples" in run("export", "--help").stdout


def test_refresh_with_a_library_that_cannot_be_read_says_nothing_old_is_removed(
    server: FeedServer,
) -> None:
    """The library says which articles are starred: unread, the retention removes nothing
    (a starred article could be among the old ones), and `refresh` says so, keeping the file."""
    subscribe(server.url("/nos.xml"))
    library = store_path().parent / "library.sqlite"
    library.parent.mkdir(parents=True)
    library.write_bytes(b"no database")
    result = run("refresh")
    assert result.returncode == 0, result.stderr
    assert f"library {library} cannot be read" in result.stderr
    assert "none older than" in result.stderr
    assert library.read_bytes() == b"no database"


def test_refresh_indexes_what_it_stored_for_search(server: FeedServer) -> None:
    subscribe(server.url("/nos.xml"))
    assert run("refresh").returncode == 0
    with SearchIndex.open(store_path().parent / "search.sqlite") as index:
        assert index.problem is None
        assert index.count() == 4  # the feed's four items, searchable at once


def test_refresh_with_a_search_index_that_cannot_be_used_stores_all_the_same(
    server: FeedServer,
) -> None:
    subscribe(server.url("/nos.xml"))
    index = store_path().parent / "search.sqlite"
    index.parent.mkdir(parents=True)
    index.write_bytes(b"no database")
    result = run("refresh")
    assert result.returncode == 0
    assert "not indexed for search" in result.stderr
    assert index.read_bytes() == b"no database"
    assert "4 items stored" in result.stdout
