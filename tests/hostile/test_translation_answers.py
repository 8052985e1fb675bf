"""Lying translation servers: an answer that is no translation, or far too long to be one, is a
failure with its reason; it is never cached, never exported as English, never laid out."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from reader.translate.backends import Backend, GoogleBackend, LibreBackend
from reader.translate.cache import TranslationCache
from reader.translate.result import Failed, Translated
from reader.translate.service import TranslationService
from tests.conftest import nieuwslezer_command
from tests.translate_server import translate_server

DUTCH = "Noord-Korea heeft inmiddels 10.000 militairen naar Rusland gestuurd, schat het Pentagon."


def service(backend: Backend, tmp_path: Path) -> TranslationService:
    cache = TranslationCache(tmp_path / "cache.sqlite3")
    return TranslationService(backend, cache, backoff=0.01)


def cached_entries(tmp_path: Path) -> int:
    return TranslationCache(tmp_path / "cache.sqlite3").stats()[0]


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (None, "the service answered no text (null)"),
        (42, "the service answered no text (a number)"),
        ({"error": "quota"}, "the service answered no text (an object)"),
        (["EN"], "the service answered no text (a list)"),
        ("", "the service answered an empty text"),
        ("   ", "the service answered an empty text"),
    ],
    ids=["null", "number", "object", "list", "empty", "blank"],
)
def test_a_libretranslate_answer_that_is_no_text_is_a_failure_never_cached(
    tmp_path: Path, answer: object, reason: str
) -> None:
    with translate_server(answer=answer) as (url, _):
        result = service(LibreBackend(url=url), tmp_path).translate(DUTCH)
    assert isinstance(result, Failed), f"{answer!r} was taken for a translation: {result}"
    assert result.reason == reason
    assert cached_entries(tmp_path) == 0


def test_an_empty_google_page_is_a_failure_never_cached(tmp_path: Path) -> None:
    with translate_server(answer="") as (url, _):
        result = service(GoogleBackend(url=url + "m"), tmp_path).translate(DUTCH)
    assert result == Failed("the service answered an empty text", retryable=True)
    assert cached_entries(tmp_path) == 0


@pytest.mark.parametrize("backend", ["libre", "google"])
def test_an_answer_far_longer_than_its_text_is_a_failure_never_cached(
    tmp_path: Path, backend: str
) -> None:
    """300 KB for a sentence: no translation is that; the reader would lay it out for seconds
    (5 MB of it, for minutes)."""
    with translate_server(answer="EN " * 100_000) as (url, state):
        chosen: Backend = (
            LibreBackend(url=url) if backend == "libre" else GoogleBackend(url=url + "m")
        )
        result = service(chosen, tmp_path).translate(DUTCH)
    assert isinstance(result, Failed), "a 300 KB answer was taken for a translation"
    assert result.reason.startswith("the service answered ")
    assert result.reason.endswith(f" characters for a text of {len(DUTCH)}: not a translation")
    assert not result.retryable and len(state.requests) == 1, "asked once: it would lie again"
    assert cached_entries(tmp_path) == 0


@pytest.mark.parametrize("megabytes", [5, 50])
def test_an_answer_of_megabytes_is_not_read_to_its_end(tmp_path: Path, megabytes: int) -> None:
    """The download stops at its bound: the answer is neither kept in memory nor parsed."""
    with translate_server(answer="x" * megabytes * 1_000_000) as (url, state):
        started = time.monotonic()
        result = service(LibreBackend(url=url), tmp_path).translate(DUTCH)
        took = time.monotonic() - started
    assert result == Failed("the service's answer is over 1 MB: not a translation", False)
    assert len(state.requests) == 1
    assert cached_entries(tmp_path) == 0
    assert took < 2, f"{took:.1f} s"


def test_a_long_text_s_honest_translation_passes_the_bound(tmp_path: Path) -> None:
    """The bound is relative to the text: a long paragraph's long English is welcome, and
    a short one ("Ja.") may well get a longer answer ("Yes, indeed.")."""
    long = " ".join([DUTCH] * 40)
    with translate_server() as (url, _):
        translator = service(LibreBackend(url=url), tmp_path)
        assert isinstance(translator.translate(long), Translated)
    with translate_server(answer="Yes, indeed, that is so.") as (url, _):
        assert service(LibreBackend(url=url), tmp_path / "short").translate("Ja.") == Translated(
            "Yes, indeed, that is so."
        )


class ListingBackend:
    """An in-process engine that answers whatever it is given: the rule holds for every
    backend, not only the two that go through deep-translator."""

    name = "listing"

    def __init__(self, answer: object) -> None:
        self.answer = answer

    def translate(self, text: str, source: str, target: str) -> str:
        return self.answer  # type: ignore[return-value]


@pytest.mark.parametrize(
    "answer", [None, 42, "", "x" * 100_000], ids=["null", "number", "empty", "100 KB"]
)
def test_the_rule_holds_for_any_backend(tmp_path: Path, answer: object) -> None:
    result = service(ListingBackend(answer), tmp_path).translate(DUTCH)
    assert isinstance(result, Failed)
    assert cached_entries(tmp_path) == 0


def test_a_cached_entry_that_breaks_the_rule_is_not_used(tmp_path: Path) -> None:
    """A cache written before the rule (or damaged) may hold "" or megabytes for a text:
    asked again instead of shown."""
    cache = TranslationCache(tmp_path / "cache.sqlite3")
    cache.put("libre", "nl", "en", DUTCH, "")
    cache.put("libre", "nl", "en", DUTCH + " Twee.", "x" * 1_000_000)
    with translate_server() as (url, state):
        translator = service(LibreBackend(url=url), tmp_path)
        assert translator.translate(DUTCH) == Translated(f"EN:{DUTCH}")
        assert translator.translate(DUTCH + " Twee.") == Translated(f"EN:{DUTCH} Twee.")
    assert len(state.requests) == 2


@pytest.mark.parametrize("answer", [None, "", "EN " * 100_000], ids=["null", "empty", "300 KB"])
def test_export_never_writes_a_lie_as_english(tmp_path: Path, answer: object) -> None:
    page = tmp_path / "page.txt"
    page.write_text(f"Kabinet besluit\nDEN HAAG (ANP) - {DUTCH}\n", encoding="utf-8")
    with translate_server(answer=answer) as (url, _):
        environment = {**os.environ, "NIEUWSLEZER_CACHE_DIR": str(tmp_path / "cache")}
        options = ["--translate", "--translator", "libre", "--translator-url", url]
        done = subprocess.run(
            [*nieuwslezer_command(), "export", *options, str(page)],
            capture_output=True,
            text=True,
            env=environment,
            timeout=60,
        )
    (record,) = [json.loads(line) for line in done.stdout.splitlines()]
    lead = record["paragraphs"][0]
    assert lead["english"] is None and lead["translation_error"].startswith("the service ")
    assert record["title_english"] is None
    entries = TranslationCache(tmp_path / "cache" / "translations.sqlite3").stats()[0]
    assert entries == 0


async def test_the_reader_says_why_and_stays_responsive_when_the_answer_is_a_lie(
    tmp_path: Path,
) -> None:
    """English on, against a server answering 300 KB a paragraph (an article's three in one
    answer): each paragraph says why it has no English, nothing is cached, and the interface is
    never held."""
    from tests.hostile.test_huge_text import KEY_SECONDS, Heartbeat
    from tests.ui.helpers import reader_app
    from tests.ui.test_translation import settled, write_pages

    folder = write_pages(tmp_path / "pages", 2)
    with translate_server(answer="EN " * 100_000) as (url, _):
        translator = service(LibreBackend(url=url), tmp_path)
        async with reader_app([folder], translator=translator) as (app, pilot):
            heartbeat = Heartbeat(app)
            await pilot.press("t")
            await settled(pilot)
            text = app.reader.text
            assert "⚠ not translated: the service answered 300,000 characters for a text" in text
            assert "EN EN" not in text
            await pilot.press("j")  # the next article: the service is paused, and says so
            await settled(pilot)
            assert "⚠ not translated: paused after repeated failures" in app.reader.text
            assert heartbeat.longest() < KEY_SECONDS, f"stalled {heartbeat.longest():.2f} s"
    assert cached_entries(tmp_path) == 0


# --- a deadline for the whole exchange: a trickle is timed out like a silence ---------------


def backend_for(kind: str, url: str, timeout: float) -> Backend:
    if kind == "libre":
        return LibreBackend(url=url, timeout=timeout)
    return GoogleBackend(url=url + "m", timeout=timeout)


@pytest.mark.parametrize("backend", ["libre", "google"])
@pytest.mark.parametrize("trickle", ["headers", "body"])
def test_a_trickling_server_times_out_within_the_time_out(
    tmp_path: Path, backend: str, trickle: str
) -> None:
    """A byte every 0.05 s never makes a read wait 1 s: requests would wait for the whole
    answer (seconds, minutes). The time-out bounds the paragraph, and a time-out is not tried
    again at once: that would double it (T asks again)."""
    with translate_server(trickle=trickle) as (url, state):
        started = time.monotonic()
        result = service(backend_for(backend, url, timeout=1), tmp_path).translate(DUTCH)
        took = time.monotonic() - started
    assert result == Failed("timed out after 1 s", retryable=True)
    assert took < 1.8, f"{took:.1f} s"
    assert len(state.requests) == 1
    assert cached_entries(tmp_path) == 0


def test_the_time_out_bounds_a_paragraph_sent_in_pieces(tmp_path: Path) -> None:
    """A paragraph over the request limit goes in pieces; they share its time-out."""
    long = " ".join([DUTCH] * 200)  # four or five pieces, 0.4 s each
    with translate_server(latency=0.4) as (url, state):
        started = time.monotonic()
        result = service(LibreBackend(url=url, timeout=1), tmp_path).translate(long)
        took = time.monotonic() - started
    assert result == Failed("timed out after 1 s", retryable=True)
    assert took < 1.8, f"{took:.1f} s"
    assert len(state.requests) == 3, "the third piece was cut short, and no more asked"


async def test_the_reader_stays_responsive_and_says_why_while_a_server_trickles(
    tmp_path: Path,
) -> None:
    from tests.hostile.test_huge_text import KEY_SECONDS, Heartbeat
    from tests.ui.helpers import reader_app
    from tests.ui.test_translation import settled, write_pages

    folder = write_pages(tmp_path / "pages", 2)
    with translate_server(trickle="headers") as (url, _):
        translator = service(LibreBackend(url=url, timeout=1), tmp_path)
        async with reader_app([folder], translator=translator) as (app, pilot):
            heartbeat = Heartbeat(app)
            started = time.monotonic()
            await pilot.press("t")
            await settled(pilot)
            took = time.monotonic() - started
            assert "⚠ not translated: timed out after 1 s" in app.reader.text
            assert "EN:" not in app.reader.text
            assert heartbeat.longest() < KEY_SECONDS, f"stalled {heartbeat.longest():.2f} s"
    assert took < 3, f"{took:.1f} s"
    assert cached_entries(tmp_path) == 0


# --- where a translation server may redirect -------------------------------------------


@pytest.mark.parametrize("backend", ["libre", "google"])
def test_a_public_translation_server_cannot_redirect_to_a_local_address(
    tmp_path: Path, public_127_0_0_2: None, backend: str
) -> None:
    with (
        translate_server() as (local, asked_locally),
        translate_server(redirect=local, host="127.0.0.2") as (public, _),
    ):
        result = service(backend_for(backend, public, timeout=2), tmp_path).translate(DUTCH)
    reason = "refused a redirect from a public server to the loopback address 127.0.0.1"
    assert result == Failed(reason, retryable=False)
    assert asked_locally.requests == []
    assert cached_entries(tmp_path) == 0


def test_a_local_translation_server_may_redirect_on_the_local_network(tmp_path: Path) -> None:
    """A LibreTranslate on the user's own machine is the normal case: a redirect there (to
    another port, behind a proxy of their own) is followed."""
    with translate_server() as (target, asked), translate_server(redirect=target) as (first, _):
        result = service(LibreBackend(url=first), tmp_path).translate(DUTCH)
    assert result == Translated(f"EN:{DUTCH}")
    assert len(asked.requests) == 1


# --- batches: LibreTranslate's list in `q` (#14) --------------------------------------------


def test_each_answer_of_a_batch_is_checked_on_its_own(tmp_path: Path) -> None:
    """An element that is no text, empty or far too long fails its own paragraph only; the
    others of the batch are translated and cached; the failures trying again may help are
    asked again (in a batch of their own), the lie of a length is not."""
    lies: dict[str, object] = {"null": None, "leeg": "", "lang": "x" * 100_000, "getal": 7}
    texts = {word: f"{DUTCH} Alinea {word}." for word in [*lies, "goed", "ook goed"]}

    def answers(asked: list[str]) -> list[object]:
        by_text = {text: word for word, text in texts.items()}
        return [lies.get(by_text[text], f"EN:{text}") for text in asked]

    with translate_server(answer_list=answers) as (url, state):
        translator = service(LibreBackend(url=url), tmp_path)
        results = dict(translator.translate_many(list(texts.values())))
    by_word = {word: results[index] for index, word in enumerate(texts)}
    assert by_word["null"] == Failed("the service answered no text (null)", retryable=True)
    assert by_word["getal"] == Failed("the service answered no text (a number)", retryable=True)
    assert by_word["leeg"] == Failed("the service answered an empty text", retryable=True)
    assert isinstance(by_word["lang"], Failed) and not by_word["lang"].retryable
    assert by_word["goed"] == Translated(f"EN:{texts['goed']}")
    assert by_word["ook goed"] == Translated(f"EN:{texts['ook goed']}")
    first, *again = [request["q"] for request in state.requests]
    assert first == list(texts.values())
    retried = {texts["null"], texts["leeg"], texts["getal"]}
    assert len(again) == 2 and all(set(batch) == retried for batch in again)
    assert cached_entries(tmp_path) == 2


@pytest.mark.parametrize(
    ("answer_list", "reason"),
    [
        (lambda asked: [f"EN:{text}" for text in asked][1:], "answered 2 texts for 3"),
        (lambda asked: [f"EN:{text}" for text in [*asked, "meer"]], "answered 4 texts for 3"),
        (lambda asked: [], "answered 0 texts for 3"),
        (lambda asked: "EN: alles", "answered no list of texts (a text)"),
        (lambda asked: None, "answered no list of texts (null)"),
        (lambda asked: {"0": "EN"}, "answered no list of texts (an object)"),
    ],
    ids=["one too few", "one too many", "none", "a text", "null", "an object"],
)
def test_a_batch_answered_with_the_wrong_count_or_shape_fails_whole_never_shifts(
    tmp_path: Path, answer_list: object, reason: str
) -> None:
    texts = [f"{DUTCH} Alinea {index}." for index in range(3)]
    with translate_server(answer_list=answer_list) as (url, _):  # type: ignore[arg-type]
        results = dict(service(LibreBackend(url=url), tmp_path).translate_many(texts))
    assert results == {index: Failed(f"the service {reason}", True) for index in range(3)}
    assert cached_entries(tmp_path) == 0
