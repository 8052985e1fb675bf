"""The English beside the Dutch: what the reader has asked to have translated, the worker that
asks the service, and the messages that bring the results.

Nothing is sent until the reader turns the English on (`t`). An article is sent once it has
stayed shown for a moment, so that a held `j` does not send every article it passes, and the
paragraphs of an article left behind are not sent at all. A pause of the service after
repeated failures counts down in the reading pane's legend (its paragraphs say only that they
wait: a countdown in each would lay out every paragraph every second) and is followed by a
new try on its own. Esc stops all of it until `T`.
"""

from __future__ import annotations

import math
import threading
import time
from typing import TYPE_CHECKING

from textual import work
from textual.css.query import NoMatches
from textual.message import Message
from textual.timer import Timer
from textual.worker import Worker, get_current_worker

from reader.model import Article, CorpusTickerItem, ParagraphKind
from reader.present import plural
from reader.text import make_visible
from reader.translate.result import Failed, TranslationResult
from reader.ui.documents import (
    MAX_TITLE_SHOWN,
    STOPPED,
    has_title,
    shown_paragraphs,
    shown_part,
)

if TYPE_CHECKING:  # loaded on the first `t`: not on the way to the first frame
    from reader.translate.service import TranslationService

Shown = Article | CorpusTickerItem

SETTLE_SECONDS = 0.3  # an item shown this long is translated; one passed by sooner is not
# Seconds between the worker's batches of results: each repaints the pane, which costs a page of
# 1,000 paragraphs ~0.1 s, so a long page's come less often.
RESULTS_EVERY = 0.25
RESULTS_EVERY_PER_TEXT = 0.001
PAUSE_TICK = 1.0  # seconds between repaints of a pause's countdown (the legend only)
# What a paragraph the pause keeps from being sent shows, whatever the seconds left: the
# same text each second, so that the countdown repaints the legend and no paragraph.
PAUSED = Failed("paused after repeated failures", retryable=True, paused=True)


class TranslationsArrived(Message):
    """The English of some texts of `item` (or why there is none), and how far the worker
    that sends `item`'s texts got; `finished` with its last batch."""

    def __init__(
        self,
        worker: Worker[None],
        item: Shown,
        results: list[tuple[str, TranslationResult]],
        done: int,
        total: int,
        finished: bool = False,
    ) -> None:
        super().__init__()
        self.worker = worker
        self.item = item
        self.results = results
        self.done = done
        self.total = total
        self.finished = finished


def texts_of(item: Shown | None) -> list[str]:
    """The texts of an article or ticker item that get an English version, in reading order:
    those the reading pane shows (a page of 83,000 paragraphs shows its first 1,000), as far
    as it shows them (of a paragraph of 6 MB, its first 10,000 characters)."""
    if isinstance(item, Article):
        shown = shown_paragraphs(item)
        paragraphs = [shown_part(p.text) for p in shown if p.kind is not ParagraphKind.SUBHEADING]
        title = (
            [shown_part(item.title, MAX_TITLE_SHOWN)] if has_title(item) else []
        )  # not "(untitled)"
        return list(dict.fromkeys([*title, *paragraphs]))
    if isinstance(item, CorpusTickerItem):
        return [shown_part(item.text)]
    return []


def is_paused(result: TranslationResult | None) -> bool:
    return isinstance(result, Failed) and result.paused


class Translations:
    """The results this run has, by text (the disk cache keeps them across runs)."""

    def __init__(self) -> None:
        self._results: dict[str, TranslationResult] = {}

    def get(self, text: str) -> TranslationResult | None:
        """The result for a text, or None while it is pending."""
        return self._results.get(text)

    def add(self, text: str, result: TranslationResult) -> None:
        self._results[text] = result

    def missing(self, texts: list[str]) -> list[str]:
        return [text for text in texts if text not in self._results]

    def forget_failures(self, texts: list[str], retryable_only: bool = False) -> list[str]:
        """Drop the failed results of these texts (or only those that trying again may
        help), so they are asked again; returns them."""
        failed = [
            text
            for text in texts
            if isinstance(result := self._results.get(text), Failed)
            and (result.retryable or not retryable_only)
        ]
        for text in failed:
            del self._results[text]
        return failed


class TranslationMixin:
    """The reader's `t` and `T`: the English asked for in a worker, shown as it arrives.

    A part of ReaderApp, as FeedsMixin is; messages are handled by their on_* names."""

    def _init_translation(self, translator: TranslationService | None) -> None:
        self.translations = Translations()
        self._translator = translator  # made on the first `t` unless handed in
        self._translator_lock = threading.Lock()
        self._translation_worker: Worker[None] | None = None  # the one whose progress shows
        self._translating: Shown | None = None  # the item that worker sends
        self._settle_timer: Timer | None = None  # translates the item shown, once it stays
        self._pause_timer: Timer | None = None  # counts a pause down, then tries again
        self._cache_problems_shown: set[str] = set()  # each said once a run

    @property
    def english_on(self) -> bool:
        return self.reader.translation_of is not None

    def action_translate(self) -> None:
        if self.english_on:
            self.reader.set_translation(None)
            self._stop_translating()
            return
        self.reader.set_translation(self._english_of)
        # The pending markers are painted first: the first translation imports its
        # libraries (~0.15 s of Python) in the worker, which would slow this frame.
        self.call_after_refresh(self._translate_shown)

    def action_retry_translation(self) -> None:
        if not self.english_on:  # nothing is sent before the reader asks for English
            self.notify("English is off: press t to translate.", markup=False)
            return
        if self._translator is not None:
            self._translator.resume()
        self.translations.forget_failures(texts_of(self.reader.shown))
        self.reader.refresh_translation()
        self._translate_shown(anew=True)

    def cancel_translation(self) -> bool:
        """Stop sending the shown item's paragraphs (Esc): the worker at it, the send that
        waits for the item to stay shown, the new try at the end of a pause. Whether any of
        them was to send something. The paragraphs not sent say so, and `T` sends them."""
        texts = texts_of(self.reader.shown)
        to_stop = self.translations.missing(texts)
        to_stop += [text for text in texts if is_paused(self.translations.get(text))]
        waiting = self._settle_timer is not None or self._pause_timer is not None
        sending = self._translation_worker is not None or (bool(to_stop) and waiting)
        if not sending:
            return False
        self._stop_translating()
        stopped = Failed(STOPPED, retryable=False)  # T sends them; the end of a pause not
        for text in to_stop:
            self.translations.add(text, stopped)
        self.reader.refresh_translation()
        self.notify("Stopped translating: T sends the rest.", markup=False)
        return True

    def _stop_translating(self) -> None:
        for timer in (self._settle_timer, self._pause_timer):
            if timer is not None:
                timer.stop()
        self._settle_timer = self._pause_timer = None
        self._forget_worker()

    def _forget_worker(self) -> None:
        if self._translation_worker is not None:
            self._translation_worker.cancel()
        self._translation_worker = self._translating = None
        self.reader.set_english_status("")

    def _request_translation(self) -> None:
        """Another item is shown with the English on: what was sent for the one before
        stops, and this one is sent once it has stayed shown for a moment."""
        if self._translating is not self.reader.shown:
            self._forget_worker()
        if self._settle_timer is not None:
            self._settle_timer.stop()
        self._settle_timer = self.set_timer(SETTLE_SECONDS, self._translate_shown)

    def _translate_shown(self, anew: bool = False) -> None:
        """Send what the reading pane shows and this run has no English for yet; `anew`: also
        when a worker sends it already (the texts it was given are not all there is to send)."""
        self._settle_timer = None
        if anew:
            self._forget_worker()
        item = self.reader.shown
        if item is None or not self.english_on:
            return
        texts = texts_of(item)
        self._mind_the_pause(texts)
        missing = self.translations.missing(texts)
        if missing and self._translating is not item:
            self._translation_worker = self.translate_in_worker(item, missing)
            self._translating = item
            self._show_progress(0, len(missing))

    def _english_of(self, text: str) -> TranslationResult | None:
        """The reading pane's lookup: a paragraph the pause keeps back says so, the seconds
        left are in the legend."""
        result = self.translations.get(text)
        return PAUSED if is_paused(result) else result

    def _mind_the_pause(self, texts: list[str]) -> bool:
        """A pause of the service counted down on screen while it lasts; once it is over, the
        texts it kept from being sent are asked again, and those that failed before it if
        trying again may help (True: there are such texts to send)."""
        if self._translator is None or not any(is_paused(self.translations.get(t)) for t in texts):
            return False
        if self._translator.pause_left() <= 0:
            return bool(self.translations.forget_failures(texts, retryable_only=True))
        if self._pause_timer is None:
            self._pause_timer = self.set_interval(PAUSE_TICK, self._tick_pause)
        self._show_pause(self._translator.pause_left())
        return False

    def _show_pause(self, seconds_left: float) -> None:
        if self._translation_worker is None:  # a worker's progress has the legend first
            self.reader.set_english_status(f"paused, trying again in {math.ceil(seconds_left)} s")

    def _tick_pause(self) -> None:
        """Repaint the seconds left in the legend; at the end, send again."""
        try:
            shown = self.reader.shown
        except NoMatches:  # a last tick while the app closes: no pane left to paint
            if self._pause_timer is not None:
                self._pause_timer.stop()
            self._pause_timer = None
            return
        texts = texts_of(shown) if self.english_on else []
        paused = self._translator is not None and any(
            is_paused(self.translations.get(text)) for text in texts
        )
        if paused and self._translator is not None and self._translator.pause_left() > 0:
            self._show_pause(self._translator.pause_left())
            return
        if self._pause_timer is not None:
            self._pause_timer.stop()
        self._pause_timer = None
        if self._translation_worker is None:
            self.reader.set_english_status("")
        if paused:  # over: sent again, pending meanwhile
            self._translate_shown(anew=True)
            self.reader.refresh_translation()

    def _translator_service(self) -> TranslationService:
        from reader.translate.service import service_for

        with self._translator_lock:
            if self._translator is None:
                self._translator = service_for(self.translation_settings)
            return self._translator

    # A description of its own: Textual's is the repr of the arguments, which for a page of
    # 83,000 paragraphs took 0.27 s of the interface's time.
    @work(
        thread=True,
        exclusive=True,
        group="translate",
        exit_on_error=False,
        description="translating the item shown",
    )
    def translate_in_worker(self, item: Shown, texts: list[str]) -> None:
        worker: Worker[None] = get_current_worker()
        batch: list[tuple[str, TranslationResult]] = []
        every = max(RESULTS_EVERY, RESULTS_EVERY_PER_TEXT * len(texts))
        # A short article's first result shows at once; a long page's after `every` too: its
        # pane is still being laid out with the pending markers meanwhile.
        done, sent_at = 0, time.monotonic() if every > RESULTS_EVERY else 0.0
        try:
            service = self._translator_service()
            for index, result in service.translate_many(texts, stop=lambda: worker.is_cancelled):
                if worker.is_cancelled:
                    return
                batch.append((texts[index], result))
                done += 1
                if time.monotonic() - sent_at >= every:
                    self.post_message(TranslationsArrived(worker, item, batch, done, len(texts)))
                    batch, sent_at = [], time.monotonic()
            if service.cache.problem:
                self.call_from_thread(self._warn_cache, service.cache.problem)
        finally:  # stopped or failed too: the progress shown must go
            message = TranslationsArrived(worker, item, batch, done, len(texts), finished=True)
            self.post_message(message)

    def _show_progress(self, done: int, total: int) -> None:
        status = f"translating {done:,} / {plural(total, 'paragraph')} (Esc stops)"
        self.reader.set_english_status(status)

    def _warn_cache(self, problem: str) -> None:
        if problem not in self._cache_problems_shown:
            self._cache_problems_shown.add(problem)
            self.notify(
                make_visible(problem), title="Translation cache", severity="warning", markup=False
            )

    def on_translations_arrived(self, message: TranslationsArrived) -> None:
        """Keep the results; show them only if their item is still the one on screen."""
        for text, result in message.results:
            # A failure does not overwrite what is known: Esc's "stopped" stays until T.
            if not (isinstance(result, Failed) and self.translations.get(text) is not None):
                self.translations.add(text, result)
        current = message.worker is self._translation_worker
        if current:
            if message.finished:
                self._translation_worker = self._translating = None
                self.reader.set_english_status("")
            else:
                self._show_progress(message.done, message.total)
        if message.item is self.reader.shown and self.english_on:
            if message.results:
                self.reader.refresh_translation()
            # Only the worker still wanted goes on: one Esc stopped (or another item's) must
            # not send again when the pause it met is over.
            if current and message.finished and self._mind_the_pause(texts_of(message.item)):
                self._translate_shown(anew=True)  # a pause met, and over already
