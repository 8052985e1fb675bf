"""Loading the corpus into the reader: a few files before the first frame, the rest in a
worker batch by batch; what was loaded and what went wrong (the counts, `d`)."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import chain, count, islice
from pathlib import Path

from textual import work
from textual.content import Content
from textual.message import Message
from textual.worker import Worker, WorkerState

from reader.config import default_config_path
from reader.corpus import (
    find_page_files,
    is_small_load,
    load_found,
    load_in_batches,
    ticker_newest_first,
)
from reader.model import Corpus, Diagnostic, Severity
from reader.present import plural
from reader.text import make_visible
from reader.ui.sources import ALL_SOURCES, shows

# Up to this many files and bytes load before the first frame (a few milliseconds); more
# load in a worker, batch by batch, while the interface runs.
INLINE_LOAD_FILES = 32
INLINE_LOAD_BYTES = 512 * 1024
FIRST_BATCH = 50  # files in the first batch a worker shows, read at full speed


class CorpusLoaded(Message):
    """The loader has read more of the corpus (`complete` on the last batch)."""

    def __init__(self, corpus: Corpus, complete: bool) -> None:
        super().__init__()
        self.corpus = corpus
        self.complete = complete


def problems_summary(diagnostics: Sequence[Diagnostic]) -> str:
    """ "1 file skipped", "2 warnings in 1 file", "1 file skipped, 3 warnings in 2 files"."""
    skipped = len({d.file for d in diagnostics if d.severity is Severity.ERROR})
    warnings = [d for d in diagnostics if d.severity is Severity.WARNING]
    parts = [f"{plural(skipped, 'file')} skipped"] if skipped else []
    if warnings:
        warned = len({d.file for d in warnings})
        parts.append(plural(len(warnings), "warning"))
        if len(warnings) > 1:  # "1 warning in 1 file" says it twice
            parts[-1] += f" in {plural(warned, 'file')}"
    return ", ".join(parts)


def setting_diagnostic(problem: str) -> Diagnostic:
    """A settings problem, which names where it comes from, as a diagnostic: of config.toml,
    or of an environment variable (its name starts the message)."""
    config = str(default_config_path())
    return Diagnostic(config if problem.startswith(f"{config}: ") else "environment", 0, problem)


def without_its_file(diagnostic: Diagnostic) -> Diagnostic:
    """The diagnostic as `d` lists it: a message that starts with the diagnostic's file (a
    setting's, for the command line) without it, as the file column shows it."""
    message = diagnostic.message.removeprefix(f"{diagnostic.file}: ")
    return diagnostic if message == diagnostic.message else replace(diagnostic, message=message)


class LoadingMixin:
    """The reader's loading: the corpus, the counts in the title, and the problems found.

    A part of ReaderApp, as FeedsMixin is; messages are handled by their on_* names."""

    def load_corpus(self) -> None:
        """Load a few small files at once, so the first frame shows them; more in a worker."""
        found = find_page_files(self.paths)
        head = list(islice(found, INLINE_LOAD_FILES + 1))
        if is_small_load(head, INLINE_LOAD_FILES, INLINE_LOAD_BYTES):
            self.on_corpus_loaded(CorpusLoaded(load_found(head), complete=True))
        else:
            self.load_in_worker(chain(head, found))

    @work(
        thread=True,
        exclusive=True,
        group="load",
        exit_on_error=False,
        description="Loading the pages",
    )
    def load_in_worker(self, found: Iterable[Path | Diagnostic]) -> None:
        files = count(1)

        def let_the_interface_run() -> None:
            # Past the first batch, sleep(0) after each file hands the GIL to the UI thread
            # whenever it wants it, so a long load never makes the interface wait.
            if next(files) > FIRST_BATCH:
                time.sleep(0)

        corpus = Corpus()
        for corpus in load_in_batches(
            found, first_batch=FIRST_BATCH, after_each_file=let_the_interface_run
        ):
            self.post_message(CorpusLoaded(corpus, complete=False))
        self.post_message(CorpusLoaded(corpus, complete=True))

    def on_corpus_loaded(self, message: CorpusLoaded) -> None:
        self.corpus = message.corpus
        self.loading_corpus = not message.complete
        self._show_articles()
        self._show_ticker()
        self._update_counts()
        if self.reader.shown is None:
            self._open(self.articles.highlighted or self.ticker.highlighted)
        if message.complete:
            self._announce_problems()
            # The corpus and the widgets live as long as the app: exempt them from the
            # cyclic garbage collector, whose full passes over them paused a key for ~50 ms.
            gc.freeze()

    def _show_articles(self) -> None:
        """The article list: feed articles newest first, then the pages; one source, if chosen."""
        pages = self.corpus.articles if self.shows_pages else ()
        every = [*self.feed_articles, *pages]
        chosen = self.chosen_feed
        self.articles.set_items(
            every if chosen == ALL_SOURCES else [a for a in every if shows(chosen, a)]
        )
        source = self.source
        title = "Articles" if source == ALL_SOURCES else f"Articles · {source or 'Saved pages'}"
        self.query_one("#articles-pane").border_title = Content(make_visible(title))

    def _show_ticker(self) -> None:
        """The ticker of the pages, when they are shown (the samples are not beside feeds); its
        pane only while it has items or may get some."""
        ticker = self.corpus.ticker if self.shows_pages else ()
        self.ticker.set_items(ticker_newest_first(ticker))
        sections = {item.section for item in ticker if item.section}
        ticker_title = f"Meer uit {sections.pop()}" if len(sections) == 1 else "Ticker"
        pane = self.query_one("#ticker-pane")
        pane.border_title = Content(make_visible(ticker_title))
        # Feeds have no ticker: an empty pane would take half the column from the articles.
        has_ticker = bool(ticker) or self.loading_corpus
        pane.display = has_ticker
        self.query_one("#lists").set_class(not has_ticker, "-no-ticker")
        if not has_ticker and self.ticker.has_focus:
            self.articles.focus()

    def _update_counts(self) -> None:
        corpus = self.corpus
        pages = corpus.articles if self.shows_pages else ()
        counts = f"{plural(len(pages) + len(self.feed_articles), 'article')} · "
        counts += plural(len(corpus.ticker) if self.shows_pages else 0, "ticker item")
        counts += self.unread_total_note()  # before the work going on, which comes and goes
        if self.loading_corpus:
            counts += f" · loading… {corpus.files_read:,} files read"
        if self.refresh_progress:
            counts += f" · refreshing {self.refresh_progress}…"
        if self.claims_progress:
            counts += f" · {self.claims_progress}"
        self.sub_title = counts
        self._update_pane_titles()

    def unread_total_note(self) -> str:
        """For the header, after the counts: " · 12 unread" (LibraryMixin's; none here)."""
        return ""

    def _announce_problems(self) -> None:
        corpus = self.corpus
        if corpus.is_empty:
            self._open(None)
        worth_telling = [d for d in corpus.diagnostics if d.severity is not Severity.INFO]
        if not worth_telling:
            return
        skipped = any(d.severity is Severity.ERROR for d in worth_telling)
        self.notify(
            f"{problems_summary(worth_telling)}. Press d for the list.",
            title="Some files had problems",
            severity="error" if skipped else "warning",
            timeout=8,
            markup=False,
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a failed worker becomes a message on screen."""
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            self.notify(
                make_visible(f"{event.worker.name}: {type(error).__name__}: {error}"),
                title="Something went wrong",
                severity="error",
                timeout=15,
                markup=False,
            )
            if event.worker.group == "load":
                self.loading_corpus = False
                self._update_counts()

    def action_diagnostics(self) -> None:
        self.clear_notifications()  # the announcement pointed here; it has done its job
        from reader.ui.screens import diagnostics_screen

        # The settings' problems too ([translation], said once at start; [feeds] are among
        # the feeds'), each once: a config.toml that cannot be read is both tables' problem.
        settings = [setting_diagnostic(problem) for problem in self._startup_problems]
        every = [*settings, *self.feed_diagnostics, *self.corpus.diagnostics]
        diagnostics = list(dict.fromkeys(map(without_its_file, every)))
        self.push_screen(diagnostics_screen(diagnostics), self._open_file_of)

    def _open_file_of(self, diagnostic: Diagnostic | None) -> None:
        """Open the article of the file a chosen diagnostic is about, if it has one; for a
        feed, list its articles."""
        if diagnostic is None:
            return
        if self.is_feed(diagnostic.file):
            self.show_source(diagnostic.file)
            return
        for article in self.corpus.articles:
            if article.file == diagnostic.file:
                self.articles.select_item(article)
                self._open(article)
                self.reader.focus()
                return
        self.notify("That file holds no article to open.", markup=False)
