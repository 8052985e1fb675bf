"""The translation service: detection, cache, backend, retries, a pause after repeated failure.

Thread-safe: the UI's workers and `export --translate` call it from several threads at once,
a bounded number of requests in flight. A backend that takes several texts in a request
(LibreTranslate) gets them in batches, cut by a character budget; the others (Google) get
one text a request, a few at once. The cache stays per text.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from reader.translate.backends import (
    MAX_REQUEST_CHARS,
    Backend,
    BatchBackend,
    Refused,
    TimedOut,
)
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
# Texts in one batch: LibreTranslate servers may set a limit on it (`--batch-limit`); their
# character limit is the other bound, MAX_REQUEST_CHARS of text in all.
BATCH_TEXTS = 50


@dataclass
class TranslationService:
    backend: Backend
    cache: TranslationCache
    concurrency: int = 4  # requests in flight at once (a paragraph, or a batch of them)
    # Further attempts after a retryable failure, with growing waits; not after a time-out,
    # which would take as long again: the time-out bounds a request (T asks again).
    retries: int = 2
    backoff: float = 0.5  # seconds before the first retry; doubled for each next one
    pause_after: int = 3  # paragraphs failed in a row (a batch's all count) before a pause
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
        known = self._known(text)
        return known if known is not None else self._ask(text)

    def _known(self, text: str) -> TranslationResult | None:
        """What a text comes to without asking the backend (empty, not Dutch, cached, the
        backend paused), or None when it is to be sent."""
        if not text.strip():
            return Translated("")
        language = self._language(text)
        if language != DUTCH:
            return NotDutch(language)
        cached = self.cache.get(self.backend.name, DUTCH, TARGET, text)
        # A cache from before answers were checked may hold "" or megabytes: asked again.
        if cached is not None and is_translation(text, cached):
            return Translated(cached, cached=True)
        waiting = self.pause_left()
        if waiting > 0:
            return Failed(paused_reason(waiting), paused=True)
        return None

    def _ask(self, text: str) -> TranslationResult:
        """One text from the backend, retried while that may help."""
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
            self._count(failed=0)
            self.cache.put(self.backend.name, DUTCH, TARGET, text, english)
            return Translated(english)
        if sent:
            # Else nothing went anywhere (no translator is configured): each paragraph says
            # why, rather than "paused"; the pause spares a service that keeps failing.
            self._count(failed=1)
        return failure

    def _ask_batch(self, backend: BatchBackend, texts: list[str]) -> list[TranslationResult]:
        """Texts from the backend in one request, each answer checked on its own: an answer
        that is no translation fails its text only, retried while that may help; a failed
        request (or an answer of the wrong count) fails them all."""
        results: list[TranslationResult] = [Failed("not tried")] * len(texts)
        pending = list(range(len(texts)))
        for attempt in range(self.retries + 1):
            again: list[int] = []
            try:
                answers = backend.translate_batch([texts[i] for i in pending], DUTCH, TARGET)
                if len(answers) != len(pending):
                    # Mapped by position, one too few would shift every translation after
                    # it: whatever the backend, the request fails whole (and is asked again).
                    reason = f"the service answered {len(answers)} texts for {len(pending)}"
                    raise BackendError(reason, retryable=True)
            except BackendError as error:
                if isinstance(error, Refused) and attempt == 0 and len(texts) > 1:
                    raise  # perhaps over the server's limit: `_ask_in_halves` asks less
                for index in pending:
                    results[index] = Failed(error.reason, error.retryable)
                if error.retryable and not isinstance(error, TimedOut):
                    again = pending
            else:
                for index, answer in zip(pending, answers, strict=True):
                    try:
                        english = checked_answer(texts[index], answer)
                    except BackendError as error:
                        results[index] = Failed(error.reason, error.retryable)
                        if error.retryable:
                            again.append(index)
                        continue
                    self.cache.put(backend.name, DUTCH, TARGET, texts[index], english)
                    results[index] = Translated(english)
            pending = again
            if not pending:
                break
            if attempt < self.retries:
                self.sleep(self.backoff * 2**attempt)
        answered = any(isinstance(result, Translated) for result in results)
        self._count(failed=0 if answered else len(texts))
        return results

    def _ask_in_halves(self, backend: BatchBackend, texts: list[str]) -> list[TranslationResult]:
        """Texts from the backend in one request; refused as such, in two halves, and so on
        down to one text: a server may set a lower limit (`--char-limit 2000`) than the
        budget of a batch. Once the backend is paused, what is left is not sent."""
        waiting = self.pause_left()
        if waiting > 0:
            return [Failed(paused_reason(waiting), paused=True)] * len(texts)
        try:
            return self._ask_batch(backend, texts)
        except Refused:
            half = len(texts) // 2
            first = self._ask_in_halves(backend, texts[:half])
            return first + self._ask_in_halves(backend, texts[half:])

    def _count(self, *, failed: int) -> None:
        """Count paragraphs failed in a row (pausing the backend after `pause_after`), or,
        with none failed, a success."""
        with self._lock:
            if not failed:
                self._failures_in_a_row = 0
                return
            self._failures_in_a_row += failed
            if self._failures_in_a_row >= self.pause_after:
                self._paused_until = self.clock() + self.pause_seconds

    def translate_many(
        self, texts: Iterable[str], stop: Callable[[], bool] = lambda: False
    ) -> Iterator[tuple[int, TranslationResult]]:
        """Translate paragraphs, a few requests at once; yields (index, result) as each
        request is done: a batch's texts together, in batches for a backend that takes them.

        Once `stop()` is true (the reader moved on), paragraphs not yet sent are not sent."""
        texts = list(texts)
        batches = batches_of(texts) if isinstance(self.backend, BatchBackend) else None
        groups = batches if batches is not None else [[index] for index in range(len(texts))]
        pool = ThreadPoolExecutor(max_workers=self.concurrency)
        try:
            futures = {
                pool.submit(self._unless, stop, [texts[index] for index in group]): group
                for group in groups
            }
            for future in as_completed(futures):
                results = future.result()
                if results is not None:
                    yield from zip(futures[future], results, strict=True)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def _unless(self, stop: Callable[[], bool], texts: list[str]) -> list[TranslationResult] | None:
        if stop():
            return None
        backend = self.backend
        if len(texts) == 1 or not isinstance(backend, BatchBackend):
            return [self.translate(text) for text in texts]
        results: list[TranslationResult | None] = [self._known(text) for text in texts]
        to_send = [index for index, result in enumerate(results) if result is None]
        if to_send:
            answers = self._ask_in_halves(backend, [texts[index] for index in to_send])
            for index, result in zip(to_send, answers, strict=True):
                results[index] = result
        return [result for result in results if result is not None]


def batches_of(texts: list[str]) -> list[list[int]]:
    """The indexes of `texts` in batches, in order: under MAX_REQUEST_CHARS of text and at
    most BATCH_TEXTS texts each; a text over the budget alone (it goes in pieces)."""
    batches: list[list[int]] = []
    batch: list[int] = []
    size = 0
    for index, text in enumerate(texts):
        if batch and (size + len(text) >= MAX_REQUEST_CHARS or len(batch) >= BATCH_TEXTS):
            batches.append(batch)
            batch, size = [], 0
        batch.append(index)
        size += len(text)
    if batch:
        batches.append(batch)
    return batches


def service_for(settings: TranslationSettings) -> TranslationService:
    """The service the reader and `export --translate` use: the settings' backend, the
    user's cache. Raises ConfigError when the settings give no working backend."""
    return TranslationService(settings.make_backend(), TranslationCache())
