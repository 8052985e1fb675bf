"""The pause after repeated failures, on the service's own clock: how long it has left, what a
paragraph kept from being sent says, and sending again once it is over."""

from __future__ import annotations

from pathlib import Path

from reader.translate.backends import LibreBackend
from reader.translate.cache import TranslationCache
from reader.translate.config import NoTranslator
from reader.translate.result import Failed, Translated
from reader.translate.service import TranslationService
from tests.translate_server import translate_server


class Clock:
    """A monotonic clock the test moves on."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_pause_counts_down_on_the_services_clock_and_then_sends_again(tmp_path: Path) -> None:
    clock = Clock()
    with translate_server(mode="500") as (url, state):
        service = TranslationService(
            LibreBackend(url=url),
            TranslationCache(tmp_path / "cache.sqlite3"),
            retries=0,
            pause_after=2,
            pause_seconds=60,
            clock=clock,
        )
        assert service.pause_left() == 0
        for text in ("Eerste alinea over de begroting.", "Tweede alinea over de begroting."):
            assert not isinstance(service.translate(text), Translated)
        third = "Derde alinea over de begroting van het kabinet."
        paused = service.translate(third)
        assert paused == Failed(
            "paused after repeated failures; trying again in 60 s", retryable=True, paused=True
        )
        assert "T retries" not in paused.reason, "the key is the reader's to name"
        assert len(state.requests) == 2
        clock.now += 2.5
        assert service.pause_left() == 57.5
        later = service.translate(third)
        assert isinstance(later, Failed) and later.reason.endswith("trying again in 58 s")
        state.mode = "ok"
        clock.now += 60
        assert service.pause_left() == 0
        assert service.translate(third) == Translated(f"EN:{third}")


def test_failures_trying_again_cannot_fix_say_what_they_are_and_never_pause(
    tmp_path: Path,
) -> None:
    """No translator configured sends nothing: each paragraph says why, none says "paused"."""
    service = TranslationService(
        NoTranslator("config.toml: [translation] backend must be google or libre"),
        TranslationCache(tmp_path / "cache.sqlite3"),
        retries=0,
        pause_after=2,
        clock=Clock(),
    )
    results = [
        service.translate(f"Alinea {n} over de begroting van het kabinet.") for n in range(5)
    ]
    assert all(isinstance(result, Failed) and not result.paused for result in results)
    assert all(result.reason.startswith("no translator: ") for result in results)  # type: ignore[union-attr]
    assert service.pause_left() == 0
