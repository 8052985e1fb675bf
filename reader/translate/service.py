"""The translation service: detection, cache, backend, retries, a pause after repeated failure.

Thread-safe: the UI's workers and `export --translate` call it from several threads at once,
a bounded number of paragraphs in flight.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from reader.translate.backends import Backend, TimedOut
from reader.translate.cache import TranslationCache
from reader.translate.config import TranslationSettings
from reader.translate.detect import DUTCH
from reader.translate.result import (
    BackendError,
    Failed,
    NotDutch,
    Translated,
    TranslationResult,
    checked_answer,
    is_translation,
    paused_reason,
)

TARGET = "en"


@dataclass
class TranslationService:
    backend: Backend
    cache: TranslationCache
    concurrency: int = 4  # paragraphs in flight at once
    # Further attempts after a retryable failure, with growing waits; not after a time-out,
    # which would take as long again: the time-out bounds a paragraph (T asks again).
    retries: int = 2
    backoff: float = 0.5  # seconds before the first retry; doubled for each next one
    pause_after: int = 3  # paragraphs failed in a row before the backend is paused
    pause_seconds: float = 60.0
    detect: Callable[[str], str] | None = None  # language_of, imported on first use
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _failures_in_a_row: int = 0
    _paused_until: float = 0.0

    def _language(self, text: str) -> str:
        if self.detect is None:
            from reader.translate.detect import language_of

            self.detect = language_of
        return self.detect(text)

    def pause_left(self) -> float:
        """Seconds until a pause after repeated failures is over; 0 when there is none."""
        with self._lock:
            return max(0.0, self._paused_until - self.clock())

    def resume(self) -> None:
        """Lift a pause (the reader asked to retry)."""
        with self._lock:
            self._failures_in_a_row = 0
            self._paused_until = 0.0

    def translate(self, text: str) -> TranslationResult:
        """One paragraph into English: from the cache, or from the backend."""
        if not text.strip():
            return Translated("")
        language = self._language(text)
        if language != DUTCH:
            return NotDutch(language)
        name = self.backend.name
        cached = self.cache.get(name, DUTCH, TARGET, text)
        # A cache from before answers were checked may hold "" or megabytes: asked again.
        if cached is not None and is_translation(text, cached):
            return Translated(cached, cached=True)
        waiting = self.pause_left()
        if waiting > 0:
            return Failed(paused_reason(waiting), paused=True)
        failure, sent = Failed("not tried"), True
        for attempt in range(self.retries + 1):
            try:
                # Whatever the backend: only a string that can be a translation is one.
                english = checked_answer(text, self.backend.translate(text, DUTCH, TARGET))
            except BackendError as error:
                failure, sent = Failed(error.reason, error.retryable), error.sent
                if not error.retryable or isinstance(error, TimedOut):
                    break
                if attempt < self.retries:
                    self.sleep(self.backoff * 2**attempt)
                continue
            with self._lock:
                self._failures_in_a_row = 0
            self.cache.put(name, DUTCH, TARGET, text, english)
            return Translated(english)
        if not sent:
            # Nothing went anywhere (no translator is configured): each paragraph says why,
            # rather than "paused"; the pause spares a service that keeps failing.
            return failure
        with self._lock:
            self._failures_in_a_row += 1
            if self._failures_in_a_row >= self.pause_after:
                self._paused_until = self.clock() + self.pause_seconds
        return failure

    def translate_many(
        self, texts: Iterable[str], stop: Callable[[], bool] = lambda: False
    ) -> Iterator[tuple[int, TranslationResult]]:
        """Translate paragraphs, a few at once; yields (index, result) as each one is done.

        Once `stop()` is true (the reader moved on), paragraphs not yet sent are not sent."""
        pool = ThreadPoolExecutor(max_workers=self.concurrency)
        try:
            futures = {pool.submit(self._unless, stop, text): i for i, text in enumerate(texts)}
            for future in as_completed(futures):
                result = future.result()
                if result is not None:
                    yield futures[future], result
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def _unless(self, stop: Callable[[], bool], text: str) -> TranslationResult | None:
        return None if stop() else self.translate(text)


def service_for(settings: TranslationSettings) -> TranslationService:
    """The service the reader and `export --translate` use: the settings' backend, the
    user's cache. Raises ConfigError when the settings give no working backend."""
    return TranslationService(settings.make_backend(), TranslationCache())
