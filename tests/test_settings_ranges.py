"""Settings out of range are reported, naming the file and the setting, and the default used:
a bad setting never empties the feed store, and never ends in a traceback."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.feeds.items import Block, FeedItem
from reader.feeds.settings import FeedSettings, load_feed_settings
from reader.feeds.store import FeedStore
from reader.model import ParagraphKind
from reader.translate.config import ConfigError, load_settings
from reader.translate.result import BackendError
from tests.conftest import nieuwslezer_command

NOT_NUMBERS = ["inf", "-inf", "nan", "true", '"90"', "[1]"]


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("value", ["0.5", "0", "-1", "36501", "1000000000", "1e300", *NOT_NUMBERS])
def test_keep_days_out_of_range_is_reported_and_the_default_kept(
    tmp_path: Path, value: str
) -> None:
    path = config(tmp_path, f"[feeds]\nkeep_days = {value}\n")
    settings, problems = load_feed_settings(path)
    assert settings.keep_days == 90
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{path}: [feeds] keep_days must be a whole number of days from 1 to 36500 (not "
    )
    assert problems[0].endswith("); using 90")


@pytest.mark.parametrize(
    ("setting", "value", "expected"),
    [
        ("timeout", "1e300", "a number of seconds from 1 to 120"),
        ("timeout", "0", "a number of seconds from 1 to 120"),
        ("timeout", "121", "a number of seconds from 1 to 120"),
        *(("timeout", value, "a number of seconds from 1 to 120") for value in NOT_NUMBERS),
        ("max_parallel", "0", "a whole number of feeds from 1 to 100"),
        ("max_parallel", "2.5", "a whole number of feeds from 1 to 100"),
        ("max_parallel", "1000000000", "a whole number of feeds from 1 to 100"),
        ("max_parallel", "inf", "a whole number of feeds from 1 to 100"),
        ("refresh_on_start", "1", "true or false"),
        ("refresh_on_start", '"yes"', "true or false"),
    ],
)
def test_every_feeds_setting_out_of_range_is_reported(
    tmp_path: Path, setting: str, value: str, expected: str
) -> None:
    path = config(tmp_path, f"[feeds]\n{setting} = {value}\n")
    settings, problems = load_feed_settings(path)
    assert settings == FeedSettings()
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}: [feeds] {setting} must be {expected} (not ")
    default = {"timeout": "10", "max_parallel": "20", "refresh_on_start": "true"}[setting]
    assert problems[0].endswith(f"); using {default}")


def test_settings_in_range_are_taken_as_they_are(tmp_path: Path) -> None:
    path = config(
        tmp_path,
        "[feeds]\nkeep_days = 36500\ntimeout = 2.5\nmax_parallel = 100\nrefresh_on_start = false\n",
    )
    assert load_feed_settings(path) == (FeedSettings(36500, False, 2.5, 100), [])
    path = config(tmp_path, "[feeds]\nkeep_days = 1\ntimeout = 120\nmax_parallel = 1.0\n")
    settings, problems = load_feed_settings(path)
    assert (settings.keep_days, settings.timeout, settings.max_parallel) == (1, 120, 1)
    assert problems == []
    assert isinstance(settings.max_parallel, int)


@pytest.mark.parametrize("value", ["1e300", "inf", "nan", "0", "-5", "121", "true", '"10"'])
def test_a_translation_timeout_out_of_range_is_reported_naming_the_file(
    tmp_path: Path, value: str
) -> None:
    path = config(tmp_path, f"[translation]\ntimeout = {value}\n")
    settings, problems = load_settings(config_path=path)
    assert settings.timeout == 10
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{path}: [translation] timeout must be a number of seconds from 1 to 120 (not "
    )
    assert problems[0].endswith("); using 10")


@pytest.mark.parametrize("value", ["1e300", "inf", "nan", "0", "ten"])
def test_a_translation_timeout_from_the_environment_is_checked_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("NIEUWSLEZER_TRANSLATOR_TIMEOUT", value)
    path = config(tmp_path, "[translation]\ntimeout = 30\n")
    settings, problems = load_settings(config_path=path)
    assert settings.timeout == 10
    assert problems == [
        f"NIEUWSLEZER_TRANSLATOR_TIMEOUT must be a number of seconds from 1 to 120 (not {value!r});"
        " using 10"
    ]
    monkeypatch.setenv("NIEUWSLEZER_TRANSLATOR_TIMEOUT", "2.5")
    assert load_settings(config_path=config(tmp_path, ""))[0].timeout == 2.5


@pytest.mark.parametrize("url", ["localhost:5000", "http://", "http://host/a b", "file:///tmp/x"])
def test_a_translator_address_that_is_no_web_address_is_refused_naming_it(
    tmp_path: Path, url: str
) -> None:
    # From the config file: said, and translation is off (each paragraph says why) rather
    # than the program refusing to start, or another service getting the text.
    path = config(tmp_path, f'[translation]\nbackend = "libre"\nurl = "{url}"\n')
    settings, problems = load_settings(config_path=path)
    assert problems[0].startswith(
        f"{path}: [translation] url must be an http:// or https:// address (not {url!r}: it "
    )
    assert problems[0].endswith("; nothing is translated until it is fixed")
    with pytest.raises(BackendError, match=r"no translator: .*url must be an http"):
        settings.make_backend().translate("Het kabinet valt.", "nl", "en")
    # From the command line: a usage error.
    settings, _ = load_settings(backend="libre", url=url, config_path=path)
    with pytest.raises(ConfigError, match="translator address") as refused:
        settings.make_backend()
    assert repr(url) in str(refused.value)


def test_keep_days_below_one_day_never_empties_the_store() -> None:
    """`keep_days = 0.5` was read as 0 days: `nieuwslezer export` alone removed every article."""
    config_dir = Path(os.environ["NIEUWSLEZER_CONFIG_DIR"])
    config_dir.mkdir(parents=True)
    (config_dir / "config.toml").write_text("[feeds]\nkeep_days = 0.5\n", encoding="utf-8")
    store_path = Path(os.environ["NIEUWSLEZER_DATA_DIR"], "feeds.sqlite3")
    now = datetime.now(UTC)
    text = (Block(ParagraphKind.BODY, "Het kabinet valt."),)
    with FeedStore.open(store_path) as store:
        store.save("https://example.nl/feed", "Voorbeeld", [FeedItem("1", "Kop", None, now, text)])
    for command in (["export"], ["refresh"]):
        result = subprocess.run(
            [*nieuwslezer_command(), *command], capture_output=True, text=True, timeout=60
        )
        assert "Traceback" not in result.stderr
    with FeedStore.open(store_path) as store:
        assert store.feed_counts() == {"https://example.nl/feed": 1}


def test_a_settings_problem_is_listed_under_config_toml_not_feeds_toml() -> None:
    from reader.config import default_config_path
    from reader.feeds.reading import read_feeds

    default_config_path().parent.mkdir(parents=True, exist_ok=True)
    default_config_path().write_text("[feeds]\nkeep_days = 0.5\n", encoding="utf-8")
    problems = read_feeds(None).problems
    assert [Path(d.file).name for d in problems] == ["config.toml"]
