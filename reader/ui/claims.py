"""Who claims which number: `c` for what the reading pane shows, `C` over the articles listed,
both in a worker that shows how far it got and that Esc stops; and opening the article of a
chosen claim. Claims ready while a dialog is open (`?`, `d`, `s`) show once it closes, not on
top of it: collecting them again could take long, and Esc on them should lead back to the
reader, not to the dialog."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.worker import Worker, get_current_worker

from reader.model import Article, CorpusTickerItem
from reader.text import make_visible
from reader.ui.documents import shown_paragraphs
from reader.ui.feed_reading import in_full
from reader.ui.sources import ALL_SOURCES

if TYPE_CHECKING:  # loaded on first use: not on the way to the first frame
    from reader.ui.claims_screen import ClaimRow

CLAIMS_LIMIT = 2000  # articles `C` reads at most: 100,000 would take minutes
PROGRESS_EVERY = 0.25  # seconds between reports of how far collecting got; none before
_TITLE_QUOTE = 60  # characters of a ticker item quoted in the claims' title


class ClaimsProgress(Message):
    """A claims worker has read `read` of `total` paragraphs (of every article it reads)."""

    def __init__(self, worker: Worker[None], read: int, total: int) -> None:
        super().__init__()
        self.worker = worker
        self.read = read
        self.total = total


class ClaimsCollected(Message):
    """A claims worker is done: its title and rows, or None when stopped or failed."""

    def __init__(
        self,
        worker: Worker[None],
        found: tuple[str, list[ClaimRow]] | None,
        of_ticker_item: bool = False,
    ) -> None:
        super().__init__()
        self.worker = worker
        self.found = found
        self.of_ticker_item = of_ticker_item  # its claims open no article


class _Reporter:
    """The core's progress and stop callbacks for the worker running them."""

    def __init__(self, app: ClaimsMixin, total: int) -> None:
        self.app = app
        self.total = total
        self.worker: Worker[None] = get_current_worker()
        self.next_report = time.monotonic() + PROGRESS_EVERY  # a quick one shows none

    def progress(self, read: int) -> None:
        # After each paragraph, sleep(0) hands the GIL to the interface whenever it wants
        # it, as the loader does, so a key pressed meanwhile waits for no switch interval.
        time.sleep(0)
        now = time.monotonic()
        if now >= self.next_report:
            self.next_report = now + PROGRESS_EVERY
            self.app.post_message(ClaimsProgress(self.worker, read, self.total))

    def stop(self) -> bool:
        return self.worker.is_cancelled


class ClaimsMixin:
    """The reader's `c` and `C`.

    A part of ReaderApp, as FeedsMixin is; messages are handled by their on_* names."""

    def _init_claims(self) -> None:
        self.claims_progress = ""
        """How far the claims worker got ("collecting claims… 12% (Esc stops)"), while it
        runs; the title line shows it."""
        self._claims_worker: Worker[None] | None = None  # the one whose result is wanted
        # Claims that came while a dialog was open: title, rows, whether they open articles.
        self._claims_waiting: tuple[str, list[ClaimRow], bool] | None = None
        self._watching_screens = False  # for the dialog to close

    def action_claims(self) -> None:
        """The claims of what the reading pane shows: an article, or a ticker item."""
        shown = self.reader.shown
        if shown is None:
            self.notify("Open an article or a ticker item first.", markup=False)
            return
        self._claims_waiting = None  # asked anew
        self._claims_worker = self.collect_claims_of(shown)

    def action_corpus_claims(self) -> None:
        """Claims over the articles listed (one source, a filter), the newest first."""
        listed = self.articles.visible_items
        chosen = listed[:CLAIMS_LIMIT]
        if len(listed) > CLAIMS_LIMIT:
            self.notify(
                f"Collecting the claims of the first {CLAIMS_LIMIT:,} of {len(listed):,} "
                "articles listed (s or / narrows the list)…",
                markup=False,
            )
            scope = f"{len(chosen):,} articles"
        elif self.source != ALL_SOURCES:  # as listed now: the worker's end may be later
            scope = f"the articles of {make_visible(self.source or 'the saved pages')}"
        else:
            scope = "all articles"
        self._claims_waiting = None  # asked anew
        self._claims_worker = self.collect_corpus_claims(chosen, scope)

    def cancel_claims(self) -> bool:
        """Stop collecting claims, if a worker is at it (Esc); whether one was."""
        worker = self._claims_worker
        if worker is None or worker.is_finished:
            return False
        worker.cancel()
        self._claims_worker = None
        self._set_claims_progress("")
        self.notify("Stopped collecting claims.", markup=False)
        return True

    # A description of its own: Textual would otherwise build one from the arguments' repr on
    # the interface thread (0.27 s for a page of 83,000 paragraphs).
    @work(thread=True, exclusive=True, group="claims", exit_on_error=False, description="claims")
    def collect_claims_of(self, shown: Article | CorpusTickerItem) -> None:
        from reader.highlight.claims import article_claims, ticker_article

        if isinstance(shown, CorpusTickerItem):
            article = ticker_article(shown)
            what = f"the ticker item “{_quoted(shown.text)}”"
        else:
            article = shown
            what = f"“{_quoted(shown.title)}”"  # a headline of megabytes made the title
        reporter = _Reporter(self, len(article.paragraphs))
        found = None
        try:
            claims: list[ClaimRow] = list(
                article_claims(article, progress=reporter.progress, stop=reporter.stop)
            )
            found = (f"Claims in {what} ({len(claims):,})", claims)
        finally:  # stopped or failed too: the progress shown must go
            of_ticker_item = isinstance(shown, CorpusTickerItem)
            self.post_message(ClaimsCollected(reporter.worker, found, of_ticker_item))

    # A description of its own: Textual would otherwise build one from the arguments' repr on
    # the interface thread (0.27 s for a page of 83,000 paragraphs).
    @work(thread=True, exclusive=True, group="claims", exit_on_error=False, description="claims")
    def collect_corpus_claims(self, articles: list[Article], scope: str) -> None:
        from reader.highlight.claims import corpus_claims

        reporter = _Reporter(self, 0)
        found = None
        try:
            if self._store is not None:  # the list's light rows in full (ui/feed_reading.py)
                articles = in_full(articles, self._store)
            reporter.total = sum(len(article.paragraphs) for article in articles)
            groups = corpus_claims(articles, progress=reporter.progress, stop=reporter.stop)
            rows: list[ClaimRow] = []
            for group, claims in groups.items():
                words = sorted({claim.counted for claim in claims if claim.counted})
                rows.append(f"{group} ({', '.join(words)})" if words != [group] else group)
                rows.extend(claims)
            total = sum(len(claims) for claims in groups.values())
            unattributed = sum(not c.sources for claims in groups.values() for c in claims)
            count = f"{total:,}, {unattributed:,} not attributed" if unattributed else f"{total:,}"
            found = (f"Who claims what, {scope} ({count})", rows)
        finally:  # stopped or failed too: the progress shown must go
            self.post_message(ClaimsCollected(reporter.worker, found))

    def on_claims_progress(self, message: ClaimsProgress) -> None:
        if message.worker is self._claims_worker:
            # Short, to fit the title line at 80 columns beside the counts.
            done = message.read * 100 // max(message.total, 1)
            self._set_claims_progress(f"collecting claims… {done}% (Esc stops)")

    def on_claims_collected(self, message: ClaimsCollected) -> None:
        if message.worker is not self._claims_worker:  # stopped, or another c or C since
            return
        self._claims_worker = None
        self._set_claims_progress("")
        if message.found is None:
            return
        title, rows = message.found
        if len(self.screen_stack) > 1:  # a dialog is open: not on top of it, but after it
            self._claims_waiting = (title, rows, not message.of_ticker_item)
            if not self._watching_screens:
                self._watching_screens = True
                self.screen_change_signal.subscribe(self, self._show_waiting_claims)
            self.notify("Claims ready: they show when this dialog closes.", markup=False)
            return
        self._show_claims(title, rows, opens_articles=not message.of_ticker_item)

    def _show_waiting_claims(self, _: object) -> None:
        if self._claims_waiting is not None and len(self.screen_stack) == 1:
            (title, rows, opens_articles), self._claims_waiting = self._claims_waiting, None
            self._show_claims(title, rows, opens_articles)

    def _set_claims_progress(self, progress: str) -> None:
        if progress != self.claims_progress:
            self.claims_progress = progress
            self._update_counts()

    def _show_claims(self, title: str, rows: Sequence[ClaimRow], opens_articles: bool) -> None:
        from reader.ui.claims_screen import claims_screen

        chosen = self._open_claim if opens_articles else self._back_to_reading
        self.push_screen(claims_screen(title, rows), chosen)

    def _open_claim(self, claim: ClaimRow | None) -> None:
        """Open the article of a chosen claim at its paragraph."""
        from reader.highlight.claims import Claim

        if not isinstance(claim, Claim):
            return
        self.select_article(claim.article)
        self._open(claim.article)
        self.reader.scroll_to_paragraph(claim.paragraph_index)
        self.reader.focus()
        shown = len(shown_paragraphs(claim.article))
        if claim.paragraph_index >= shown:
            self.notify(
                f"That is paragraph {claim.paragraph_index + 1:,}: the reading pane shows the "
                f"first {shown:,} of this page (nieuwslezer export writes all).",
                markup=False,
            )

    def _back_to_reading(self, claim: ClaimRow | None) -> None:
        """A ticker item's claim: the item is open already, in full."""
        if claim is not None:
            self.reader.focus()


def _quoted(text: str) -> str:
    """A text as the claims' title quotes it: its first _TITLE_QUOTE characters."""
    quoted = make_visible(text[: _TITLE_QUOTE + 1])
    return quoted[: _TITLE_QUOTE - 1] + "…" if len(quoted) > _TITLE_QUOTE else quoted
