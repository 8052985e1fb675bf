"""What the reader has asked to have translated, and the message that brings each result."""

from __future__ import annotations

from textual.message import Message

from reader.model import Article, CorpusTickerItem, ParagraphKind
from reader.translate.result import Failed, TranslationResult

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
