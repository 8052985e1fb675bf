"""Subscriptions: presets, feeds.toml kept safe, OPML from other readers in and out."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import tempfile
import time
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, NoReturn

import pytest

from reader.feeds import subscriptions as subscriptions_module
from reader.feeds.subscriptions import (
    PRESETS,
    Subscription,
    SubscriptionError,
    add_subscription,
    add_subscriptions,
    default_subscriptions_path,
    feed_names,
    find_subscription,
    load_subscriptions,
    parse_opml,
    remove_subscription,
    resolve,
    save_subscriptions,
    to_opml,
)
from reader.paths import config_dir
from reader.text import make_visible
from tests.conftest import REPO, nieuwslezer_command

OPML_FIXTURES = REPO / "tests" / "fixtures" / "opml"
NOS = "https://feeds.nos.nl/nosnieuwsalgemeen"

AWKWARD_TITLES = [
    'Het "Journaal"',
    "C:\\nieuws\\ en \\u00e9 letterlijk",
    "Één café — Noord\u2011Holland 🇳🇱 日本語 עברית",
    "twee\nregels\tmet tab\rterug",
    "'''drie enkele''' en \"\"\"drie dubbele\"\"\"",
    "# geen commentaar = geen sleutel [[feed]]",
    "DEL\x7fteken en \x01 besturing",
    "",
]


def test_presets_resolve_by_name_and_urls_as_themselves() -> None:
    assert resolve("nos") == Subscription(NOS, "NOS Nieuws")
    assert resolve(" NU ") == Subscription("https://www.nu.nl/rss/Algemeen", "NU.nl")
    assert resolve("nos-buitenland").url == "https://feeds.nos.nl/nosnieuwsbuitenland"
    assert resolve("https://example.nl/feed.xml") == Subscription("https://example.nl/feed.xml")
    assert set(PRESETS) == {"nos", "nos-buitenland", "nos-binnenland", "nu", "nu-buitenland"}


@pytest.mark.parametrize("wrong", ["nieuws", "nos.nl/rss", "ftp://example.nl/feed", "", "http://"])
def test_neither_a_preset_nor_an_address_is_refused_listing_the_presets(wrong: str) -> None:
    with pytest.raises(SubscriptionError) as refused:
        resolve(wrong)
    assert all(name in str(refused.value) for name in PRESETS)


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("http://h/\udc85x", "text that is not UTF-8 (U+DC85)"),
        ("http://h/\x1b[2Jx", "a control character (U+001B)"),
        ("http://h/a\nb", "a control character (U+000A)"),
        ("http://h/a b", "white space (U+0020)"),
        ("http://h/a\u00a0b", "white space (U+00A0)"),
        ("http://h/\u202ex", "an invisible formatting character (U+202E)"),
    ],
)
def test_an_address_with_what_no_address_may_hold_is_refused_saying_what(
    address: str, problem: str
) -> None:
    """Such an address was saved (a lone surrogate then failed writing feeds.toml with a
    traceback) and failed every refresh."""
    with pytest.raises(SubscriptionError) as refused:
        add_subscription(address)
    # Shown as the reader shows names: a byte that is not UTF-8 as "\x85", not "\udc85" (#13).
    assert str(refused.value).startswith(f"'{make_visible(address)}' is neither")
    assert "\\udc85" not in str(refused.value)
    assert f"it holds {problem}" in str(refused.value)
    assert not default_subscriptions_path().exists()


@pytest.mark.parametrize("address", ["http://h/\x1bx", "http://h/a b", "http:///feed"])
def test_such_an_address_in_feeds_toml_is_reported_and_left_out(
    tmp_path: Path, address: str
) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(f"[[feed]]\nurl = {json.dumps(address)}\n", encoding="utf-8")
    subscriptions, problems = load_subscriptions(path)
    assert subscriptions == []
    assert problems[0].startswith(f"{path}: feed 1: url {address!r} is not a feed address: it ")


def test_add_list_and_remove_in_the_config_folder() -> None:
    assert default_subscriptions_path() == config_dir() / "feeds.toml"
    assert load_subscriptions() == ([], [])  # no file yet

    assert add_subscription("nos") == (PRESETS["nos"], True)
    assert add_subscription("nos") == (PRESETS["nos"], False)
    assert add_subscription(NOS + "/")[1]  # only an exact URL is the same feed
    tweakers = Subscription("https://tweakers.net/feeds/mixed.xml", "Tweakers")
    assert add_subscription(tweakers.url, title="Tweakers") == (tweakers, True)
    assert load_subscriptions() == ([PRESETS["nos"], Subscription(NOS + "/"), tweakers], [])

    assert remove_subscription("nos") == PRESETS["nos"]  # by preset name
    assert remove_subscription("TWEAKERS") == tweakers  # by title, in any case
    assert remove_subscription(NOS + "/") == Subscription(NOS + "/")  # by address
    assert load_subscriptions() == ([], [])
    with pytest.raises(SubscriptionError, match="not subscribed"):
        remove_subscription("nos")


NOS_BUITENLAND = "https://feeds.nos.nl/nosnieuwsbuitenland"
NU = "https://www.nu.nl/rss/Algemeen"


def test_each_feed_gets_a_name_of_its_own() -> None:
    """Titles are for show and may clash; each feed is told apart by what differs."""
    subscriptions = [
        Subscription(NOS, "NOS Nieuws"),
        Subscription(NOS_BUITENLAND),  # its channel is titled "NOS nieuws" too
        Subscription(NU),
        Subscription("https://nu.example.nl/rss", "NU.nl"),
        Subscription("https://tweakers.net/feeds/mixed.xml"),  # never fetched, no title
        Subscription("https://www.rtvnoord.nl/rss", "Eigen naam"),  # a title given wins
    ]
    titles = {
        NOS: "NOS Nieuws - Algemeen",
        NOS_BUITENLAND: "NOS nieuws",
        NU: "NU.nl",
        "https://www.rtvnoord.nl/rss": "RTV Noord",
        "https://oud.example.nl/nos": "NOS Nieuws",  # unsubscribed; its articles are stored
    }
    names = feed_names(subscriptions, titles)
    assert names == {
        NOS: "NOS Nieuws (feeds.nos.nl/nosnieuwsalgemeen)",
        NOS_BUITENLAND: "NOS nieuws (feeds.nos.nl/nosnieuwsbuitenland)",
        NU: "NU.nl (www.nu.nl)",
        "https://nu.example.nl/rss": "NU.nl (nu.example.nl)",
        "https://tweakers.net/feeds/mixed.xml": "https://tweakers.net/feeds/mixed.xml",
        "https://www.rtvnoord.nl/rss": "Eigen naam",
    }
    # Feeds of stored articles are named after the subscriptions, without renaming them.
    stored = ["https://oud.example.nl/nos", NU, "https://zonder.example.nl/titel"]
    assert feed_names(subscriptions, titles, stored) == {
        **names,
        "https://oud.example.nl/nos": "NOS Nieuws (oud.example.nl)",
        "https://zonder.example.nl/titel": "https://zonder.example.nl/titel",
    }
    assert feed_names(subscriptions[2:], titles)[NU] == "NU.nl (www.nu.nl)"
    assert feed_names(subscriptions[3:], titles)["https://nu.example.nl/rss"] == "NU.nl"


def test_names_stay_unique_whatever_the_titles() -> None:
    subscriptions = [
        Subscription("https://a.nl/rss", "Nieuws"),
        Subscription("http://a.nl/rss", "Nieuws"),
        Subscription("https://a.nl/rss/", "nieuws"),
        Subscription("https://b.nl/", "Nieuws (a.nl/rss)"),  # one name as another's
    ]
    names = feed_names(subscriptions, {})
    assert len({name.casefold() for name in names.values()}) == 4
    assert names == {
        "https://a.nl/rss": "Nieuws (https://a.nl/rss)",
        "http://a.nl/rss": "Nieuws (http://a.nl/rss)",
        "https://a.nl/rss/": "nieuws (https://a.nl/rss/)",
        "https://b.nl/": "Nieuws (a.nl/rss)",
    }
    assert feed_names(subscriptions, {}) == names  # the same every time


def test_naming_many_feeds_of_one_title_reads_each_address_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """300 feeds sharing a title: the hosts of the group are counted once, not once for each
    of its feeds (which took 21 s in a refresh that named them after each feed)."""
    split = subscriptions_module.urlsplit
    calls = 0

    def counted(url: str) -> object:
        nonlocal calls
        calls += 1
        return split(url)

    monkeypatch.setattr(subscriptions_module, "urlsplit", counted)
    subscriptions = [
        Subscription(f"https://{'nos.nl' if n % 2 else f'n{n}.nl'}/rss/{n}", "NOS Nieuws")
        for n in range(300)
    ]
    names = feed_names(subscriptions, {})
    assert len({name.casefold() for name in names.values()}) == 300
    assert names["https://nos.nl/rss/7"] == "NOS Nieuws (nos.nl/rss/7)"
    assert names["https://n8.nl/rss/8"] == "NOS Nieuws (n8.nl)"
    assert calls <= 300


def test_a_feed_is_found_by_any_name_feeds_list_shows() -> None:
    subscriptions = [
        Subscription(NOS, "NOS Nieuws"),
        Subscription(NOS_BUITENLAND),
        Subscription(NU),
        Subscription("https://www.nu.nl/rss/Buitenland"),
    ]
    titles = {NOS_BUITENLAND: "NOS Nieuws", NU: "NU.nl - Article Feed"}
    found = lambda wanted: find_subscription(subscriptions, wanted, titles)  # noqa: E731
    assert found("nu.nl - article feed") == subscriptions[2]  # its channel's title, any case
    assert found(NU) == subscriptions[2]
    assert found(" nos-buitenland ") == found(NOS_BUITENLAND) == subscriptions[1]
    assert found("NOS Nieuws (feeds.nos.nl/nosnieuwsbuitenland)") == subscriptions[1]
    with pytest.raises(SubscriptionError) as ambiguous:
        found("NOS Nieuws")
    assert str(ambiguous.value) == (
        "'NOS Nieuws' is the title of several feeds:"
        f" 'NOS Nieuws (feeds.nos.nl/nosnieuwsalgemeen)' ({NOS}),"
        f" 'NOS Nieuws (feeds.nos.nl/nosnieuwsbuitenland)' ({NOS_BUITENLAND});"
        " name one by its address or by the name `nieuwslezer feeds list` shows"
    )
    with pytest.raises(SubscriptionError, match=r"not subscribed to 'NU\.nl'"):
        found("NU.nl")
    add_subscriptions(subscriptions)
    assert remove_subscription("NU.nl - Article Feed", channel_titles=titles) == subscriptions[2]


def test_the_file_is_plain_toml_with_one_feed_table_each() -> None:
    add_subscription("nu")
    add_subscription("nos-binnenland")
    document = tomllib.loads(default_subscriptions_path().read_text(encoding="utf-8"))
    assert document == {
        "feed": [
            {"url": "https://www.nu.nl/rss/Algemeen", "title": "NU.nl"},
            {"url": "https://feeds.nos.nl/nosnieuwsbinnenland"},
        ]
    }


def test_awkward_titles_survive_a_round_trip_through_the_file(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    subscriptions = [
        Subscription(f"https://example.nl/{number}", title)
        for number, title in enumerate(AWKWARD_TITLES)
    ]
    save_subscriptions(subscriptions, path)
    assert load_subscriptions(path) == (subscriptions, [])
    assert [feed.get("title") for feed in tomllib.loads(path.read_text("utf-8"))["feed"]] == (
        AWKWARD_TITLES
    )


def test_a_broken_file_is_reported_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    broken = '[[feed]]\nurl = "https://feeds.nos.nl/nosnieuwsalgemeen\ntitle = NOS\n'
    path.write_text(broken, encoding="utf-8")

    subscriptions, problems = load_subscriptions(path)
    assert subscriptions == []
    assert len(problems) == 1
    assert str(path) in problems[0]
    with pytest.raises(SubscriptionError) as refused_add:
        add_subscription("nu", path=path)
    with pytest.raises(SubscriptionError) as refused_remove:
        remove_subscription(NOS, path=path)
    for refused in (refused_add, refused_remove):
        assert str(path) in str(refused.value)
        assert "left unchanged" in str(refused.value)
    assert path.read_text(encoding="utf-8") == broken


def test_a_bad_entry_is_left_out_and_reported_and_blocks_changes(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    text = (
        '[[feed]]\nurl = "https://www.nu.nl/rss/Algemeen"\n\n'
        '[[feed]]\nurl = "feeds.nos.nl"\n\n'
        '[[feed]]\nurl = "https://example.nl/feed"\ntitle = 3\n\n'
        '[[feed]]\nurl = "https://example.nl/other"\ncolour = "red"\n'
    )
    path.write_text(text, encoding="utf-8")

    subscriptions, problems = load_subscriptions(path)
    assert subscriptions == [Subscription("https://www.nu.nl/rss/Algemeen")]
    assert [problem.split(": ")[1] for problem in problems] == ["feed 2", "feed 3", "feed 4"]
    assert all(problem.startswith(str(path)) for problem in problems)
    with pytest.raises(SubscriptionError, match="left unchanged"):
        add_subscription("nos", path=path)
    assert path.read_text(encoding="utf-8") == text


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "feeds.toml"
    add_subscription("nos", path=path)
    before = path.read_bytes()

    def disk_full(source: str, target: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(subscriptions_module.os, "replace", disk_full)
    with pytest.raises(SubscriptionError, match="cannot be written"):
        add_subscription("nu", path=path)
    assert path.read_bytes() == before
    assert [child.name for child in tmp_path.iterdir()] == ["feeds.toml"]


def test_a_file_object_that_cannot_be_made_leaks_no_descriptor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mkstemp's descriptor is the file object's to close once there is one; before that,
    _write_atomically's (#13: it leaked when wrapping it failed)."""
    path = tmp_path / "feeds.toml"
    made: list[int] = []
    real_mkstemp = tempfile.mkstemp

    def mkstemp(**arguments: Any) -> tuple[int, str]:
        descriptor, name = real_mkstemp(**arguments)
        made.append(descriptor)
        return descriptor, name

    def no_file_object(*arguments: object, **keywords: object) -> NoReturn:
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(subscriptions_module.tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(subscriptions_module, "open", no_file_object, raising=False)
    with pytest.raises(SubscriptionError, match="cannot be written"):
        add_subscription("nos", path=path)
    assert len(made) == 1
    with pytest.raises(OSError, match="Bad file descriptor"):
        os.fstat(made[0])
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_leaves_no_temporary_file_however_often_it_is_tried(tmp_path: Path) -> None:
    """A real failed write: no byte may be written (as on a full disk), so the write fails,
    and so does the close that flushes what is left (#13: a 0-byte .feeds.toml.*.tmp was
    left behind by each try)."""

    def no_room() -> None:  # in the child: writing a byte fails with EFBIG, as ENOSPC would
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))

    config = tmp_path / "config"
    environment = {**os.environ, "NIEUWSLEZER_CONFIG_DIR": str(config)}
    for _ in range(2):
        added = subprocess.run(
            [*nieuwslezer_command(), "feeds", "add", "nos"],
            capture_output=True,
            text=True,
            env=environment,
            preexec_fn=no_room,
            timeout=60,
        )
        assert added.returncode == 1
        assert f"{config / 'feeds.toml'}: cannot be written" in added.stderr
    assert list(config.iterdir()) == []


def test_opml_from_newsboat() -> None:
    path = OPML_FIXTURES / "newsboat.opml"
    assert parse_opml(path.read_bytes(), str(path)) == (
        [
            Subscription(NOS, "NOS Nieuws - Algemeen"),
            Subscription("https://www.nu.nl/rss/Algemeen", "NU - Algemeen"),
            Subscription("https://tweakers.net/feeds/mixed.xml", "Tweakers Mixed RSS Feed & meer"),
            Subscription("https://www.vrt.be/vrtnws/nl.rss.articles.xml", "VRT NWS \u2013 Nieuws"),
            Subscription("https://example.nl/zonder-titel.xml"),
        ],
        [],
    )


def test_opml_from_nom_with_nested_categories() -> None:
    path = OPML_FIXTURES / "nom.opml"
    subscriptions, problems = parse_opml(path.read_bytes(), str(path))
    assert problems == []
    assert subscriptions == [
        Subscription("https://feeds.nos.nl/nosnieuwsbuitenland", "NOS Buitenland"),
        Subscription("https://www.nu.nl/rss/Buitenland", "NU.nl Buitenland"),  # `text` only
        Subscription("https://www.rtvnoord.nl/rss/index.xml", "RTV Noord"),  # three deep
        Subscription("https://tweakers.net/feeds/mixed.xml", "Tweakers"),
    ]  # the repeated NOS feed once; the category outlines and the page link not at all

    path_to_config = config_dir() / "feeds.toml"
    assert add_subscriptions(subscriptions) == subscriptions
    assert add_subscriptions(subscriptions) == []
    assert load_subscriptions(path_to_config) == (subscriptions, [])


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"<rss version='2.0'><channel/></rss>", "not an OPML file (its root element is <rss>)"),
        (b"<opml><body><outline xmlUrl='x'></body></opml>", "not well-formed XML"),
        (b"", "not well-formed XML"),
        (b"\x89PNG\r\n\x1a\n", "not well-formed XML"),
        (b"<opml><body><outline text='Map'/></body></opml>", "no feeds in it"),
    ],
)
def test_what_is_not_an_opml_list_of_feeds_is_a_problem_naming_the_file(
    data: bytes, expected: str
) -> None:
    subscriptions, problems = parse_opml(data, "export.opml")
    assert subscriptions == []
    assert len(problems) == 1
    assert problems[0].startswith("export.opml")
    assert expected in problems[0]


def test_an_outline_that_is_no_web_feed_is_reported_with_its_line() -> None:
    data = (
        b'<opml version="1.0"><body>\n'
        b'<outline text="Script" xmlUrl="exec:~/bin/nieuws.sh"/>\n'
        b'<outline text="Kapot" xmlUrl="https://nos.nl/&#10;feed"/>\n'
        b'<outline text="Omgekeerd" xmlUrl="https://nos.nl/&#x202e;feed"/>\n'
        b'<outline text="NOS" xmlUrl="https://feeds.nos.nl/nosnieuwsalgemeen"/>\n'
        b"</body></opml>"
    )
    assert parse_opml(data, "export.opml") == (
        [Subscription(NOS, "NOS")],
        [
            "export.opml:2: 'exec:~/bin/nieuws.sh' left out: it is not an http:// or https://"
            " address",
            "export.opml:3: 'https://nos.nl/\\nfeed' left out: it holds a control character"
            " (U+000A)",
            "export.opml:4: 'https://nos.nl/\\u202efeed' left out: it holds an invisible"
            " formatting character (U+202E)",
        ],
    )


def test_billion_laughs_is_refused_before_anything_is_expanded() -> None:
    path = OPML_FIXTURES / "billion_laughs.opml"
    data = path.read_bytes()
    for encoded in (data, data.decode().replace("?>", ' encoding="UTF-16"?>', 1).encode("utf-16")):
        start = time.perf_counter()
        subscriptions, problems = parse_opml(encoded, str(path))
        assert time.perf_counter() - start < 1
        assert subscriptions == []
        assert len(problems) == 1
        assert "document type" in problems[0]
        assert problems[0].startswith(str(path))


def test_an_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("geheim wachtwoord", encoding="utf-8")
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE opml [<!ENTITY stolen SYSTEM "{secret.as_uri()}">]>\n'
        '<opml version="2.0"><body>'
        '<outline text="&stolen;" xmlUrl="https://example.nl/feed"/></body></opml>'
    ).encode()
    subscriptions, problems = parse_opml(data, "evil.opml")
    assert subscriptions == []
    assert "geheim" not in " ".join(problems)
    assert "document type" in problems[0]


def test_an_undeclared_entity_is_malformed_not_expanded() -> None:
    data = b'<opml><body><outline text="&xxe;" xmlUrl="https://example.nl/f"/></body></opml>'
    assert parse_opml(data, "evil.opml")[1][0].startswith("evil.opml: not well-formed XML")


def test_opml_export_is_opml_2_that_reads_back_the_same() -> None:
    subscriptions = [
        PRESETS["nos"],
        Subscription("https://example.nl/feed?a=1&b=<2>", 'Titel & "quotes" <tags>'),
        *(
            Subscription(f"https://example.nl/{number}", title or None)
            for number, title in enumerate(AWKWARD_TITLES)
        ),
        Subscription("https://example.nl/zonder-titel"),
    ]
    exported = to_opml(subscriptions)

    root = ET.fromstring(exported.encode())
    assert root.tag == "opml"
    assert root.get("version") == "2.0"
    assert root.findtext("head/title") == "nieuwslezer feeds"
    outlines = root.findall("body/outline")
    assert [outline.get("xmlUrl") for outline in outlines] == [s.url for s in subscriptions]
    assert all(outline.get("type") == "rss" and outline.get("text") for outline in outlines)

    # XML 1.0 cannot hold the control character U+0001 at all, so it is dropped.
    expected = [
        Subscription(s.url, s.title.replace("\x01", "") if s.title else None) for s in subscriptions
    ]
    assert parse_opml(exported.encode(), "export.opml") == (expected, [])
