"""Hostile settings (#13, point 3): every value of `[feeds]` and `[translation]` out of range
or of the wrong type is said, naming the key and what is used instead, and `refresh`, `export`
and the reader go on: no traceback, no stored article lost, the reader's feed keys kept.

Each configuration below holds a bad value for every key at once, so that a run of a command
checks them all; together they cover every value the issue lists."""

from __future__ import annotations

import gc
import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.cli import main
from reader.feeds.items import Block, FeedItem
from reader.feeds.store import FeedStore, default_store_path
from reader.feeds.subscriptions import add_subscription
from reader.model import ParagraphKind
from reader.translate.config import ConfigError, load_settings
from reader.translate.result import BackendError
from reader.ui.app import build_app
from reader.ui.feeds import FEED_ACTIONS
from tests.conftest import SEEDS
from tests.feed_server import FeedServer, Route

FEED_DEFAULTS = {
    "keep_days": "90",
    "max_parallel": "20",
    "timeout": "10",
    "refresh_on_start": "true",
}

# One bad value per key in each; "translation" is [translation] timeout.
CONFIGURATIONS = [
    {"keep_days": "0.5", "max_parallel": "inf", "timeout": "nan", "translation": "0"},
    {"keep_days": "1000000", "max_parallel": "0", "timeout": "inf", "translation": "-1"},
    {"keep_days": "1e20", "max_parallel": "2.5", "timeout": "0", "translation": "nan"},
    {"keep_days": "inf", "max_parallel": "-inf", "timeout": "-1", "translation": "inf"},
    {"keep_days": "nan", "max_parallel": "1e300", "timeout": "1e300", "translation": "1e300"},
    {
        "keep_days": '"90"',
        "max_parallel": "[1]",
        "timeout": '"10"',
        "refresh_on_start": '"yes"',
        "translation": "{ seconds = 10 }",
    },
    {"keep_days": "true", "max_parallel": "nan", "timeout": "121", "refresh_on_start": "1"},
]

STORED = "Het kabinet valt"  # the title of the article stored before each run
FEED = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Lokaal</title>
<item><title>Vers bericht</title><guid>vers-1</guid><pubDate>{date}</pubDate>
<description>Er kwamen 300 mensen.</description></item></channel></rss>"""


def write_config(settings: dict[str, str]) -> Path:
    path = Path(os.environ["NIEUWSLEZER_CONFIG_DIR"], "config.toml")
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["[feeds]", *(f"{k} = {v}" for k, v in settings.items() if k != "translation")]
    if "translation" in settings:
        lines += ["[translation]", f"timeout = {settings['translation']}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def said_for_each_key(text: str, settings: dict[str, str], config: Path) -> None:
    """`text` holds a warning naming each bad key of [feeds] and the default used."""
    for key, value in settings.items():
        if key == "translation":
            continue
        found = [line for line in text.splitlines() if f"{config}: [feeds] {key} must be" in line]
        assert found, f"no warning for {key} = {value} in {text!r}"
        assert found[0].endswith(f"; using {FEED_DEFAULTS[key]}"), found[0]


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    """A feed on a local server, subscribed to, and an article of another feed stored today."""
    now = datetime.now(UTC)
    body = FEED.format(date=now.strftime("%a, %d %b %Y %H:%M:%S +0000")).encode()
    with FeedServer() as server:
        add_subscription(server.add("/lokaal.xml", Route(body=body)))
        add_subscription("https://example.nl/feed")
        stored = FeedItem("1", STORED, None, now, (Block(ParagraphKind.BODY, "Het kabinet valt."),))
        with FeedStore.open() as store:
            store.save("https://example.nl/feed", "Voorbeeld", [stored])
        yield server


@pytest.mark.parametrize("settings", CONFIGURATIONS, ids=lambda s: ",".join(s.values()))
def test_refresh_says_each_bad_feeds_setting_and_keeps_the_store(
    feeds: FeedServer, capsys: pytest.CaptureFixture[str], settings: dict[str, str]
) -> None:
    config = write_config(settings)
    status = main(["refresh"])
    out, err = capsys.readouterr()
    said_for_each_key(err, settings, config)
    assert "Traceback" not in err
    assert re.search(r"^Lokaal.*: 1 new of 1 item$", out, re.MULTILINE)  # the default time-out
    assert status == 1  # example.nl is no loopback address: that feed fails, by itself
    with FeedStore.open() as store:
        assert store.feed_counts() == {"https://example.nl/feed": 1, feeds.url("/lokaal.xml"): 1}


@pytest.mark.parametrize("settings", CONFIGURATIONS, ids=lambda s: ",".join(s.values()))
def test_export_says_each_bad_feeds_setting_and_exports_every_stored_article(
    feeds: FeedServer, capsys: pytest.CaptureFixture[str], settings: dict[str, str]
) -> None:
    config = write_config(settings)
    assert main(["export"]) == 0
    out, err = capsys.readouterr()
    said_for_each_key(err, settings, config)
    assert [json.loads(line)["title"] for line in out.splitlines()] == [STORED]
    assert default_store_path().exists()


@pytest.mark.parametrize("settings", CONFIGURATIONS, ids=lambda s: ",".join(s.values()))
async def test_the_reader_says_each_bad_setting_and_keeps_its_feed_keys(
    feeds: FeedServer, settings: dict[str, str]
) -> None:
    config = write_config(settings)
    translation, problems = load_settings()
    assert translation.timeout == 10
    if "translation" in settings:
        (problem,) = problems
        assert problem.startswith(f"{config}: [translation] timeout must be a number of seconds")
        assert problem.endswith("); using 10")
    app = build_app([SEEDS], translation, problems, feeds=True, samples_until_feeds=True)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert app.is_running
        assert app.feeds_active and all(app.check_action(a, ()) for a in FEED_ACTIONS)
        titles = {article.title for article in app.feed_articles}
        assert {STORED, "Vers bericht"} <= titles
        said_for_each_key("\n".join(d.message for d in app.feed_diagnostics), settings, config)
        shown = [str(notification.message) for notification in app._notifications]
        assert any("[translation] timeout" in m for m in shown) == ("translation" in settings)
        assert not any("Something went wrong" in str(n.title) for n in app._notifications)


# -- [translation]: what the backend, its address and key may be ------------------------------


MUST_BE = '[translation] backend must be "google" or "libre"'


def translation_config(text: str) -> Path:
    path = Path(os.environ["NIEUWSLEZER_CONFIG_DIR"], "config.toml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"[translation]\n{text}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("backend = 42", f"{MUST_BE} (not 42)"),
        ('backend = "deepl"', f"{MUST_BE} (not 'deepl')"),
        ('backend = ["libre"]', f"{MUST_BE} (not ['libre'])"),
        (
            'backend = "libre"\nurl = 5000',
            "[translation] url must be an http:// or https:// address (not 5000)",
        ),
        (
            'backend = "libre"\nurl = "localhost:5000"',
            "[translation] url must be an http:// or https:// address (not 'localhost:5000':"
            " it is not an http:// or https:// address)",
        ),
        ('backend = "libre"', '[translation] backend is "libre", which needs the address of'),
    ],
)
def test_a_translation_setting_that_gives_no_translator_is_said_and_nothing_is_sent(
    text: str, problem: str
) -> None:
    """Neither the reader nor `export` refuses to start over a mistake in config.toml, and no
    other service is used instead: text meant for a LibreTranslate server of one's own must
    not go to Google. Each paragraph then fails, saying why."""
    config = translation_config(text)
    settings, problems = load_settings()
    assert any(p.startswith(f"{config}: {problem}") for p in problems), problems
    assert any(p.endswith("nothing is translated until it is fixed") for p in problems), problems
    backend = settings.make_backend()  # no ConfigError: that is for the command line's choice
    with pytest.raises(BackendError) as refused:
        backend.translate("Het kabinet valt.", "nl", "en")
    assert refused.value.reason.startswith("no translator: ")
    assert not refused.value.retryable


def test_the_translator_from_the_environment_is_checked_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NIEUWSLEZER_TRANSLATOR", "deepl")
    settings, problems = load_settings()
    assert problems[0].startswith(
        'NIEUWSLEZER_TRANSLATOR must be "google" or "libre" (not \'deepl\')'
    )
    monkeypatch.setenv("NIEUWSLEZER_TRANSLATOR", "LIBRE")
    monkeypatch.setenv("NIEUWSLEZER_TRANSLATOR_URL", "http://127.0.0.1:5000/")
    settings, problems = load_settings()
    assert (settings.backend, problems) == ("libre", [])


def test_an_api_key_that_is_no_text_is_said_and_none_used() -> None:
    config = translation_config('backend = "libre"\nurl = "http://127.0.0.1:5000/"\napi_key = 1234')
    settings, problems = load_settings()
    # The value is a key: kept out of the message.
    assert problems == [
        f"{config}: [translation] api_key must be text in quotes (not a number); using none"
    ]
    assert settings.api_key is None and settings.backend == "libre"


def test_the_command_line_s_choice_is_still_a_usage_error() -> None:
    translation_config('backend = "deepl"')
    settings, _ = load_settings(backend="libre")  # --translator libre, and no address anywhere
    with pytest.raises(ConfigError, match="needs the address of a LibreTranslate server"):
        settings.make_backend()
    settings, _ = load_settings(url="localhost:5000")
    with pytest.raises(ConfigError, match="'localhost:5000' is not usable"):
        settings.make_backend()


def test_export_translate_with_no_translator_exports_each_paragraph_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = translation_config('backend = "deepl"')
    page = tmp_path / "page.txt"
    page.write_text("Kop\nDEN HAAG (ANP) - Het kabinet valt.\n", encoding="utf-8")
    assert main(["export", "--translate", str(page)]) == 0
    out, err = capsys.readouterr()
    assert f"nieuwslezer: {config}: [translation] backend must be" in err
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record["paragraphs"][0]["english"] is None
    assert record["paragraphs"][0]["translation_error"].startswith("no translator: ")


async def test_the_reader_opens_with_no_translator_and_t_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    translation_config('backend = "deepl"')
    started: list[tuple[object, ...]] = []
    monkeypatch.setattr("reader.commands.read._not_a_terminal", lambda: None)
    monkeypatch.setattr("reader.ui.app.run_reader", lambda *args, **_: started.append(args) or 0)
    try:
        assert main([]) == 0  # it was exit 2: "unknown translator 'deepl'"
    finally:
        gc.enable()  # the reader turns it on once it has drawn, and it was not started
    ((paths, settings, problems),) = started
    app = build_app(paths, settings, problems)  # type: ignore[arg-type]
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("t")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        shown = [str(notification.message) for notification in app._notifications]
        assert any("[translation] backend must be" in message for message in shown), shown
        said = "not translated: no translator: config.toml: [translation] backend must be"
        assert said in app.reader.text
        assert not any("Something went wrong" in str(n.title) for n in app._notifications)
