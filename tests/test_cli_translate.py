"""`export --translate` and `nieuwslezer cache`, run as a user runs them, with a local server."""

from __future__ import annotations

import json
import os
import subprocess

from tests.conftest import SEEDS, nieuwslezer_command
from tests.translate_server import translate_server


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*nieuwslezer_command(), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=os.environ.copy(),
        timeout=120,
    )


def test_export_translate_adds_english_through_the_backend_and_the_cache() -> None:
    page = str(SEEDS / "003_cab50403b27c31fc.txt")
    with translate_server() as (url, state):
        first = run("export", "--translate", "--translator", "libre", "--translator-url", url, page)
        assert first.returncode == 0, first.stderr
        sent = len(state.requests)
        again = run("export", "--translate", "--translator", "libre", "--translator-url", url, page)
    assert again.stdout == first.stdout
    assert len(state.requests) == sent, "the second export comes from the cache"
    records = [json.loads(line) for line in first.stdout.splitlines()]
    article = records[0]
    assert article["title_english"] == f"EN:{article['title']}"
    assert all(p["english"] == f"EN:{p['text']}" for p in article["paragraphs"])
    assert all(r["english"] == f"EN:{r['text']}" for r in records[1:])
    assert "translating:" in first.stderr and f"/{len(state.texts)} paragraphs" in first.stderr
    assert sent == 1, "an article's texts and its page's ticker items go in one request"


def test_export_translate_of_the_samples_takes_at_most_10_requests() -> None:
    """LibreTranslate takes a list in `q`: the samples' 57 texts, one request each before
    #14, go in batches."""
    with translate_server() as (url, state):
        result = run("export", "--translate", "--translator", "libre", "--translator-url", url)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    paragraphs = [p for record in records for p in record.get("paragraphs", [])]
    assert paragraphs and all(p["english"] == f"EN:{p['text']}" for p in paragraphs)
    assert len(state.texts) >= 50 and len(state.requests) <= 10


def test_export_translate_reports_failures_and_still_exports() -> None:
    page = str(SEEDS / "003_cab50403b27c31fc.txt")
    with translate_server(mode="403") as (url, _):
        result = run(
            "export", "--translate", "--translator", "libre", "--translator-url", url, page
        )
    assert result.returncode == 0
    article = json.loads(result.stdout.splitlines()[0])
    assert article["title_english"] is None
    assert article["title_translation_error"] == "the service refused the API key"
    assert "could not be translated" in result.stderr


def test_libre_without_url_is_a_usage_error() -> None:
    result = run("export", "--translate", "--translator", "libre", str(SEEDS))
    assert result.returncode == 2 and "needs the address" in result.stderr


def test_cache_shows_entries_and_clears() -> None:
    page = str(SEEDS / "001_febc59f7181d7d7e.txt")
    with translate_server() as (url, _):
        run("export", "--translate", "--translator", "libre", "--translator-url", url, page)
    shown = run("cache")
    assert shown.returncode == 0
    assert "translations.sqlite3" in shown.stdout and " translations, " in shown.stdout
    entries = int(shown.stdout.splitlines()[1].split()[0])
    assert entries >= 5
    cleared = run("cache", "--clear")
    assert f"removed {entries} translations" in cleared.stdout
    assert run("cache").stdout.splitlines()[1].startswith("0 translations")


def test_export_without_translate_sends_nothing() -> None:
    with translate_server() as (url, state):
        os.environ["NIEUWSLEZER_TRANSLATOR_URL"] = url
        try:
            result = run("export", str(SEEDS))
        finally:
            del os.environ["NIEUWSLEZER_TRANSLATOR_URL"]
    assert result.returncode == 0 and state.requests == []
    assert "english" not in result.stdout
