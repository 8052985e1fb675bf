"""Translation core against a real local server: adapters, failures, pause, cache, detection."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from reader.translate.backends import BatchBackend, GoogleBackend, LibreBackend
from reader.translate.cache import TranslationCache
from reader.translate.config import ConfigError, TranslationSettings, load_settings
from reader.translate.detect import language_of
from reader.translate.result import Failed, NotDutch, Translated
from reader.translate.service import TranslationService, batches_of
from tests.translate_server import translate_server

DUTCH = "Noord-Korea heeft inmiddels 10.000 militairen naar Rusland gestuurd, schat het Pentagon."
ENGLISH = "The Dutch government has announced new measures to curb rising energy prices."


def service(backend, tmp_path: Path, **options) -> TranslationService:  # type: ignore[no-untyped-def]
    options.setdefault("backoff", 0.01)
    return TranslationService(backend, TranslationCache(tmp_path / "cache.sqlite3"), **options)


def test_google_adapter_translates_through_the_page(tmp_path: Path) -> None:
    with translate_server() as (url, state):
        result = service(GoogleBackend(url=url + "m"), tmp_path).translate(DUTCH)
    assert result == Translated(f"EN:{DUTCH}")
    (request,) = state.requests
    assert (request["sl"], request["tl"]) == ("nl", "en")


def test_google_gets_long_paragraphs_in_pieces_under_5000_characters(tmp_path: Path) -> None:
    long = " ".join([DUTCH] * 80)  # about 7,000 characters
    with translate_server() as (url, state):
        result = service(GoogleBackend(url=url + "m"), tmp_path).translate(long)
    assert isinstance(result, Translated)
    assert len(state.requests) >= 2
    assert all(len(r["q"]) < 5000 for r in state.requests)
    assert "".join(r["q"] for r in state.requests).replace(" ", "") == long.replace(" ", "")


def test_libre_adapter_sends_dutch_as_source_and_the_key_only_when_given(tmp_path: Path) -> None:
    with translate_server() as (url, state):
        with_key = LibreBackend(url=url, api_key="geheim")
        assert service(with_key, tmp_path).translate(DUTCH) == Translated(f"EN:{DUTCH}")
        without = LibreBackend(url=url)
        service(without, tmp_path / "other").translate(DUTCH + " Nog een zin.")
    first, second = state.requests
    assert (first["path"], first["source"], first["target"]) == ("/translate", "nl", "en")
    assert first["api_key"] == "geheim" and "api_key" not in second
    assert "geheim" not in repr(with_key)


def test_a_stalled_server_times_out(tmp_path: Path) -> None:
    with translate_server(mode="slow") as (url, _):
        backend = LibreBackend(url=url, timeout=0.3)
        result = service(backend, tmp_path, retries=0).translate(DUTCH)
    assert result == Failed("timed out after 0.3 s", retryable=True)


@pytest.mark.parametrize(
    ("mode", "reason", "requests"),
    [
        ("500", "server error 500", 3),
        ("429", "rate limited by the service", 3),
        ("garbage", "the service's answer held no translation", 3),
        ("403", "the service refused the API key", 1),
        ("400", "the service refused the request (400)", 1),
    ],
)
def test_failures_have_a_short_reason_and_retry_when_it_may_help(
    tmp_path: Path, mode: str, reason: str, requests: int
) -> None:
    with translate_server(mode=mode) as (url, state):
        result = service(LibreBackend(url=url, api_key="k"), tmp_path).translate(DUTCH)
    assert isinstance(result, Failed) and result.reason == reason
    assert len(state.requests) == requests


def test_no_connection(tmp_path: Path) -> None:
    with translate_server() as (url, _):
        pass  # stopped: nothing listens there any more
    result = service(LibreBackend(url=url), tmp_path, retries=0).translate(DUTCH)
    assert result == Failed("no connection to the translation service", retryable=True)


def test_repeated_failures_pause_the_backend_instead_of_costing_a_request_each(
    tmp_path: Path,
) -> None:
    with translate_server(mode="500") as (url, state):
        translator = service(LibreBackend(url=url), tmp_path, retries=0, pause_after=3)
        for index in range(3):
            assert isinstance(translator.translate(f"{DUTCH} ({index})"), Failed)
        paused = translator.translate(DUTCH + " (3)")
        assert len(state.requests) == 3
        assert isinstance(paused, Failed) and paused.reason.startswith("paused")
        state.mode = "ok"
        translator.resume()
        assert isinstance(translator.translate(DUTCH + " (4)"), Translated)


def test_cache_serves_again_in_this_run_and_the_next_and_never_stores_failures(
    tmp_path: Path,
) -> None:
    with translate_server(mode="500") as (url, state):
        assert isinstance(
            service(LibreBackend(url=url), tmp_path, retries=0).translate(DUTCH), Failed
        )
        state.mode = "ok"
        first = service(LibreBackend(url=url), tmp_path)
        assert first.translate(DUTCH) == Translated(f"EN:{DUTCH}")
        assert first.translate("  " + DUTCH.replace(" ", "  ") + " ") == Translated(
            f"EN:{DUTCH}", cached=True
        ), "white space does not make another paragraph"
        requests_before = len(state.requests)
        next_run = service(LibreBackend(url=url), tmp_path)
        assert next_run.translate(DUTCH) == Translated(f"EN:{DUTCH}", cached=True)
        assert len(state.requests) == requests_before, "zero requests from the cache"
    offline = service(LibreBackend(url=url), tmp_path)  # the server is gone
    assert offline.translate(DUTCH) == Translated(f"EN:{DUTCH}", cached=True)


def test_cache_is_keyed_on_the_backend(tmp_path: Path) -> None:
    with translate_server() as (url, state):
        service(LibreBackend(url=url), tmp_path).translate(DUTCH)
        service(GoogleBackend(url=url + "m"), tmp_path).translate(DUTCH)
    assert len(state.requests) == 2


def test_a_corrupt_cache_file_gives_a_message_and_an_uncached_run(tmp_path: Path) -> None:
    (tmp_path / "cache.sqlite3").write_bytes(b"this is not a database" * 100)
    with translate_server() as (url, _):
        translator = service(LibreBackend(url=url), tmp_path)
        assert translator.translate(DUTCH) == Translated(f"EN:{DUTCH}")
    assert translator.cache.problem and "unusable" in translator.cache.problem


def test_a_locked_cache_gives_a_message_and_an_uncached_run(tmp_path: Path) -> None:
    cache_file = tmp_path / "cache.sqlite3"
    TranslationCache(cache_file).stats()  # create it
    locker = sqlite3.connect(cache_file)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        with translate_server() as (url, _):
            translator = service(LibreBackend(url=url), tmp_path)
            assert translator.translate(DUTCH) == Translated(f"EN:{DUTCH}")
        assert translator.cache.problem and "locked" in translator.cache.problem
    finally:
        locker.rollback()
        locker.close()


def test_only_dutch_is_sent(tmp_path: Path) -> None:
    with translate_server() as (url, state):
        assert service(LibreBackend(url=url), tmp_path).translate(ENGLISH) == NotDutch("en")
    assert state.requests == []


def test_language_detection_on_news_text() -> None:
    gold = Path(__file__).parent / "data" / "highlight_gold.jsonl"
    dutch = [json.loads(line)["text"] for line in gold.read_text(encoding="utf-8").splitlines()]
    english = [
        ENGLISH,
        "Prime Minister Dick Schoof said on Tuesday that the cabinet would not resign.",
        "Heavy rain is expected across the Netherlands this weekend, the weather service said.",
        "The court sentenced the man to twelve years in prison for the attack in Rotterdam.",
        "Ajax beat Feyenoord 2-1 in a tense match at the Johan Cruijff Arena on Sunday.",
        "Shares of ASML rose sharply after the chipmaker reported record quarterly sales.",
    ]
    right = sum(language_of(t) == "nl" for t in dutch) + sum(
        language_of(t) == "en" for t in english
    )
    assert right / (len(dutch) + len(english)) >= 0.98


def test_google_gets_several_paragraphs_in_flight_each_answer_to_its_own(tmp_path: Path) -> None:
    """Google takes one text a request: a few at once, not one after another (#14)."""
    texts = [f"{DUTCH} Dit is alinea nummer {i}." for i in range(10)]
    with translate_server(latency=0.1) as (url, state):
        translator = service(GoogleBackend(url=url + "m"), tmp_path, concurrency=4)
        results = dict(translator.translate_many(texts))
    assert results == {i: Translated(f"EN:{text}") for i, text in enumerate(texts)}
    assert len(state.requests) == 10 and 2 <= state.most_in_flight <= 4


def test_libre_gets_an_article_s_paragraphs_in_one_request_each_answer_to_its_own(
    tmp_path: Path,
) -> None:
    """LibreTranslate takes a list in `q`: one request for all, answers mapped by position,
    each cached on its own (#14)."""
    texts = [f"{DUTCH} Dit is alinea nummer {i}." for i in range(10)]
    with translate_server() as (url, state):
        translator = service(LibreBackend(url=url, api_key="geheim"), tmp_path)
        results = dict(translator.translate_many(texts))
        (request,) = state.requests
        assert request["q"] == texts and request["api_key"] == "geheim"
        assert (request["source"], request["target"]) == ("nl", "en")
        again = service(LibreBackend(url=url), tmp_path).translate(texts[3])
        assert len(state.requests) == 1, "the cache holds each text on its own"
    assert results == {i: Translated(f"EN:{text}") for i, text in enumerate(texts)}
    assert again == Translated(f"EN:{texts[3]}", cached=True)


def test_libre_batches_are_cut_by_a_character_budget_and_sent_a_few_at_once(
    tmp_path: Path,
) -> None:
    """Under 5,000 characters a request (a server's usual limit counts all texts of a list);
    a paragraph over it goes alone, in pieces."""
    texts = [f"{DUTCH} Alinea {i}." for i in range(200)] + [" ".join([DUTCH] * 80)]
    with translate_server(latency=0.05) as (url, state):
        translator = service(LibreBackend(url=url), tmp_path, concurrency=4)
        results = dict(translator.translate_many(texts))
    assert all(isinstance(results[i], Translated) for i in range(len(texts)))
    assert results[5] == Translated(f"EN:{texts[5]}")
    batches = [r["q"] for r in state.requests if isinstance(r["q"], list)]
    pieces = [r["q"] for r in state.requests if isinstance(r["q"], str)]
    assert all(sum(map(len, batch)) < 5000 for batch in batches)
    assert sorted(text for batch in batches for text in batch) == sorted(texts[:200])
    assert len(pieces) == 2 and all(len(piece) < 5000 for piece in pieces), "the long one"
    assert len(state.requests) <= 10 and 2 <= state.most_in_flight <= 4


def test_a_batch_over_a_server_s_lower_limit_is_asked_again_in_halves(tmp_path: Path) -> None:
    """A LibreTranslate started with `--char-limit 1000` refuses a batch of 4,000 characters
    (400): its halves are asked, down to what the server takes; each text gets its own
    English, none a failure."""
    texts = [f"{DUTCH} Alinea {i}." for i in range(40)]  # about 4,000 characters
    with translate_server() as (url, state):
        state.length_limit = 1000
        results = dict(service(LibreBackend(url=url), tmp_path).translate_many(texts))
    assert results == {i: Translated(f"EN:{text}") for i, text in enumerate(texts)}
    assert len(state.requests) <= 15, "halves, not a text a request"


def test_a_refused_batch_stops_being_halved_once_the_service_pauses(tmp_path: Path) -> None:
    """A server that refuses every request (a language it lacks: 400) is not asked once per
    text, and the texts not sent say the service pauses."""
    texts = [f"{DUTCH} Alinea {i}." for i in range(32)]
    with translate_server(mode="400") as (url, state):
        translator = service(LibreBackend(url=url), tmp_path, pause_after=3)
        results = dict(translator.translate_many(texts))
    refused = Failed("the service refused the request (400)", retryable=False)
    assert sum(result == refused for result in results.values()) == 3
    assert all(isinstance(result, Failed) and result.paused for result in results.values()
               if result != refused)  # fmt: skip
    assert len(state.requests) < 16


def test_a_batch_answered_with_the_wrong_count_fails_its_paragraphs_never_shifts(
    tmp_path: Path,
) -> None:
    """One answer too few would shift each translation onto the paragraph before it: the
    batch fails whole, the other batches are not touched, nothing of it is cached."""
    texts = [f"{DUTCH} Alinea {i}." for i in range(80)]
    first, second = (set(batch) for batch in batches_of(texts))
    assert first and second

    def one_too_few(asked: list[str]) -> list[str]:
        answers = [f"EN:{text}" for text in asked]
        return answers[1:] if asked[0] == texts[0] else answers

    with translate_server(answer_list=one_too_few) as (url, state):
        translator = service(LibreBackend(url=url), tmp_path)
        results = dict(translator.translate_many(texts))
    assert len(state.requests) == 2 + translator.retries, "the failed batch asked again"
    failed = Failed(f"the service answered {len(first) - 1} texts for {len(first)}", True)
    assert all(results[index] == failed for index in first)
    assert all(results[index] == Translated(f"EN:{texts[index]}") for index in second)
    cache = TranslationCache(tmp_path / "cache.sqlite3")
    assert all(cache.get("libre", "nl", "en", texts[index]) is None for index in first)


def test_any_batch_backend_answering_one_too_few_fails_its_batch_whole_never_shifts(
    tmp_path: Path,
) -> None:
    """The count is the service's check, whatever the backend: one answer too few fails the
    batch whole (retryable, asked again), no worker crashes, nothing shifts or is cached."""

    class OneTooFew:
        name = "fake"

        def __init__(self) -> None:
            self.asked: list[list[str]] = []

        def translate(self, text: str, source: str, target: str) -> str:
            return f"EN:{text}"

        def translate_batch(self, texts: list[str], source: str, target: str) -> list[object]:
            self.asked.append(list(texts))
            return [f"EN:{text}" for text in texts][1:]

    texts = [f"{DUTCH} Alinea {index}." for index in range(3)]
    backend = OneTooFew()
    assert isinstance(backend, BatchBackend)
    translator = service(backend, tmp_path)
    results = dict(translator.translate_many(texts))
    failed = Failed("the service answered 2 texts for 3", retryable=True)
    assert results == {index: failed for index in range(3)}
    assert backend.asked == [texts] * (1 + translator.retries), "the failed batch asked again"
    cache = TranslationCache(tmp_path / "cache.sqlite3")
    assert all(cache.get("fake", "nl", "en", text) is None for text in texts)


def test_settings_from_file_environment_and_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[translation]\nbackend = "libre"\nurl = "http://file"\napi_key = "k1"\n')
    settings, problems = load_settings(config_path=config)
    assert (settings.backend, settings.url, settings.api_key, problems) == (
        "libre",
        "http://file",
        "k1",
        [],
    )
    monkeypatch.setenv("NIEUWSLEZER_TRANSLATOR_URL", "http://env")
    settings, _ = load_settings(config_path=config)
    assert settings.url == "http://env"
    settings, _ = load_settings(config_path=config, backend="google", url="http://flag")
    assert (settings.backend, settings.url) == ("google", "http://flag")
    assert "k1" not in repr(settings)


def test_bad_settings_are_reported_not_raised(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[translation\nbackend = ")
    settings, problems = load_settings(config_path=config)
    assert settings.backend == "google" and "not read" in problems[0]
    with pytest.raises(ConfigError, match="needs the address"):
        TranslationSettings(backend="libre").make_backend()
    with pytest.raises(ConfigError, match="unknown translator"):
        TranslationSettings(backend="deepl").make_backend()


def test_libre_gets_a_paragraph_over_the_length_limit_in_pieces(tmp_path: Path) -> None:
    long = " ".join([DUTCH] * 80)  # about 7,000 characters; the server refuses over 5,000
    with translate_server() as (url, state):
        result = service(LibreBackend(url=url), tmp_path).translate(long)
    assert isinstance(result, Translated) and result.text.count("EN:") == len(state.requests) >= 2


def test_the_server_speaks_libretranslate_languages() -> None:
    import requests

    with translate_server() as (url, _):
        languages = requests.get(url + "languages", timeout=5).json()
    assert {"en", "nl"} <= {language["code"] for language in languages}


def test_tests_cannot_reach_beyond_loopback() -> None:
    import socket

    with pytest.raises(ConnectionRefusedError, match="may not connect"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
