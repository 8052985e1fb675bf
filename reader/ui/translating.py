"""The English beside the Dutch: what the reader has asked to have translated, the worker that
asks the service, and the message that brings each result."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from reader.model import Article, CorpusTickerItem, ParagraphKind
from reader.text import make_visible
from reader.translate.result import Failed, TranslationResult

if TYPE_CHECKING:  # loaded on the first `t`: not on the way to the first frame
    from reader.translate.service import TranslationService

Shown = Article | CorpusTickerItem


class TranslationArrived(Message):
    """The English of one text of `item` (or why there is none)."""

    def __init__(self, item: Shown, text: str, result: TranslationResult) -> None:
        super().__init__()
        self.item = item
        self.text = text
        self.result = result


def texts_of(item: Shown | None) -> list[str]:
    """The texts of an article or ticker item that get an English version, in reading order."""
    if isinstance(item, Article):
        paragraphs = [p.text for p in item.paragraphs if p.kind is not ParagraphKind.SUBHEADING]
        return list(dict.fromkeys([item.title, *paragraphs]))
    if isinstance(item, CorpusTickerItem):
        return [item.text]
    return []


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

    def forget_failures(self, texts: list[str]) -> list[str]:
        """Drop the failed results of these texts, so they are asked again; returns them."""
        failed = [t for t in texts if isinstance(self._results.get(t), Failed)]
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

    def action_translate(self) -> None:
        on = self.reader.translation_of is None
        self.reader.set_translation(self.translations.get if on else None)
        if on:
            # The pending markers are painted first: the first translation imports its
            # libraries (~0.15 s of Python) in the worker, which would slow this frame.
            self.call_after_refresh(self._request_translation)

    def action_retry_translation(self) -> None:
        if self._translator is not None:
            self._translator.resume()
        self.translations.forget_failures(texts_of(self.reader.shown))
        if self.reader.translation_of is None:
            self.action_translate()
        else:
            self.reader.refresh_translation()
            self._request_translation()

    def _request_translation(self) -> None:
        """Translate what the reading pane shows and this run has not yet."""
        item = self.reader.shown
        missing = self.translations.missing(texts_of(item))
        if item is not None and missing:
            self.translate_in_worker(item, missing)

    def _translator_service(self) -> TranslationService:
        from reader.translate.service import service_for

        with self._translator_lock:
            if self._translator is None:
                self._translator = service_for(self.translation_settings)
            return self._translator

    @work(thread=True, exclusive=True, group="translate", exit_on_error=False)
    def translate_in_worker(self, item: Shown, texts: list[str]) -> None:
        worker = get_current_worker()
        service = self._translator_service()
        for index, result in service.translate_many(texts, stop=lambda: worker.is_cancelled):
            if worker.is_cancelled:
                return
            self.post_message(TranslationArrived(item, texts[index], result))
        if service.cache.problem:
            self.call_from_thread(self._warn_cache, service.cache.problem)

    def _warn_cache(self, problem: str) -> None:
        if problem not in self._startup_problems:
            self._startup_problems.append(problem)
            self.notify(
                make_visible(problem), title="Translation cache", severity="warning", markup=False
            )

    def on_translation_arrived(self, message: TranslationArrived) -> None:
        """Keep the result; show it only if its article is still the one on screen."""
        self.translations.add(message.text, message.result)
        if message.item is self.reader.shown and self.reader.translation_of is not None:
            self.reader.refresh_translation()
