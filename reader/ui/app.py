"""The Textual app: panes, keys, loading in a worker. It renders what the core produced."""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from functools import partial
from itertools import chain, count, islice
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from reader.corpus import find_page_files, is_small_load, load_found, load_in_batches
from reader.model import Article, Corpus, CorpusTickerItem, Diagnostic, Severity
from reader.present import plural
from reader.resources import styles_dir
from reader.text import make_visible
from reader.translate.config import TranslationSettings
from reader.ui.feeds import (
    ALL_SOURCES,
    ENDED_BADLY,
    FEED_ACTIONS,
    FeedsMixin,
    shows,
)
from reader.ui.key_bar import KeyBar
from reader.ui.reading_pane import ReadingPane
from reader.ui.row_list import RowList
from reader.ui.rows import article_row, ticker_row
from reader.ui.translating import Shown, TranslationArrived, Translations, texts_of

if TYPE_CHECKING:  # loaded on first use: not on the way to the first frame
    from reader.translate.service import TranslationService
    from reader.ui.claims_screen import ClaimRow
    from reader.ui.screens import KeyGroup

# Up to this many files and bytes load before the first frame (a few milliseconds); more
# load in a worker, batch by batch, while the interface runs.
INLINE_LOAD_FILES = 32
INLINE_LOAD_BYTES = 512 * 1024
FIRST_BATCH = 50  # files in the first batch a worker shows, read at full speed
CLAIMS_LIMIT = 2000  # articles `C` reads at most: 100,000 would take minutes


class CorpusLoaded(Message):
    """The loader has read more of the corpus (`complete` on the last batch)."""

    def __init__(self, corpus: Corpus, complete: bool) -> None:
        super().__init__()
        self.corpus = corpus
        self.complete = complete


class ReaderApp(FeedsMixin, App[int]):
    """Articles, ticker and reading pane over a corpus loaded in the background."""

    TITLE = "nieuwslezer"
    CSS_PATH = styles_dir() / "reader.tcss"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit", tooltip="Leave nieuwslezer"),
        Binding("question_mark", "help", "Help", id="help", tooltip="Show every key"),
        Binding("slash", "filter", "Filter", id="filter", tooltip="Filter the focused list"),
        Binding("n", "next_article", "Next", id="next", tooltip="Open the next article"),
        Binding(
            "p", "previous_article", "Prev", id="previous", tooltip="Open the previous article"
        ),
        Binding(
            "space,pagedown",
            "page_down",
            "Page down",
            show=False,
            id="page-down",
            tooltip="Scroll the reading pane one page down",
        ),
        Binding(
            "pageup",
            "page_up",
            "Page up",
            show=False,
            id="page-up",
            tooltip="Scroll the reading pane one page up",
        ),
        Binding(
            "d",
            "diagnostics",
            "Diagnostics",
            id="diagnostics",
            tooltip="List every problem found while loading",
        ),
        Binding(
            "t",
            "translate",
            "English",
            id="translate",
            tooltip="Show an English translation beside the Dutch, or not "
            "(sends the text to the translation service)",
        ),
        Binding(
            "T",
            "retry_translation",
            "Retry",
            show=False,
            id="retry-translation",
            tooltip="Translate again the paragraphs that failed",
        ),
        Binding(
            "c", "claims", "Claims", id="claims", tooltip="Who claims each number, in this article"
        ),
        Binding(
            "C",
            "corpus_claims",
            "All claims",
            show=False,
            id="corpus-claims",
            tooltip="Who claims which figure, over the articles listed, grouped by what is counted",
        ),
        Binding(
            "h",
            "toggle_highlighting",
            "Highlighting",
            show=False,
            id="highlighting",
            tooltip="Mark numbers and sources in the reading pane, or not",
        ),
        Binding("s", "sources", "Sources", id="sources", tooltip="Show one source at a time"),
        Binding(
            "r",
            "refresh_source",
            "Refresh",
            id="refresh",
            tooltip="Fetch the feed of the source shown (or of the article) again",
        ),
        Binding(
            "R",
            "refresh_all",
            "Refresh all",
            show=False,
            id="refresh-all",
            tooltip="Fetch every subscribed feed again",
        ),
        Binding(
            "o",
            "open_link",
            "Open link",
            show=False,
            id="open-link",
            tooltip="Open the article's page in the web browser",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            show=False,
            id="clear-filter",
            tooltip="Clear the focused list's filter",
        ),
    ]

    def __init__(
        self,
        paths: Sequence[Path],
        translation: TranslationSettings | None = None,
        problems: Sequence[str] = (),
        translator: TranslationService | None = None,
        feeds: bool = False,
    ) -> None:
        super().__init__()
        self.paths = list(paths)
        self._init_feeds(enabled=feeds)
        self.corpus = Corpus()
        self.loading_corpus = True
        self.translation_settings = translation or TranslationSettings()
        self.translations = Translations()
        self._translator = translator  # made on the first `t` unless handed in
        self._translator_lock = threading.Lock()
        self._startup_problems = list(problems)

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title-bar")
        with Horizontal(id="main"):
            with Vertical(id="lists"):
                yield from _list_pane(
                    "articles",
                    "Articles",
                    RowList(
                        article_row,
                        lambda a: f"{a.title} {a.dateline.place if a.dateline else ''}",
                        empty_text="No articles.",
                        id="articles",
                    ),
                )
                yield from _list_pane(
                    "ticker",
                    "Ticker",
                    RowList(
                        ticker_row,
                        lambda t: f"{t.dateline.place if t.dateline else ''} {t.text}",
                        empty_text="No ticker items.",
                        id="ticker",
                    ),
                )
            yield ReadingPane(id="reader")
        yield KeyBar()

    @property
    def articles(self) -> RowList[Article]:
        return self.query_one("#articles", RowList)

    @property
    def ticker(self) -> RowList[CorpusTickerItem]:
        return self.query_one("#ticker", RowList)

    @property
    def reader(self) -> ReadingPane:
        return self.query_one(ReadingPane)

    def on_mount(self) -> None:
        self.call_after_refresh(gc.enable)  # off while starting (reader.cli.main)
        self.sub_title = "loading…"
        for rows in (self.articles, self.ticker):
            self.watch(rows, "cursor", partial(self.preview, rows), init=False)
        self.articles.focus()
        self.load_corpus()
        if self.feeds_enabled:  # after the first frame, which it would otherwise slow
            self.call_after_refresh(self.open_feeds)
        for problem in self._startup_problems:
            self.notify(make_visible(problem), title="Settings", severity="warning", markup=False)

    # -- loading -------------------------------------------------------------------------

    def load_corpus(self) -> None:
        """Load a few small files at once, so the first frame shows them; more in a worker."""
        found = find_page_files(self.paths)
        head = list(islice(found, INLINE_LOAD_FILES + 1))
        if is_small_load(head, INLINE_LOAD_FILES, INLINE_LOAD_BYTES):
            self.show_corpus(CorpusLoaded(load_found(head), complete=True))
        else:
            self.load_in_worker(chain(head, found))

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
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

    @on(CorpusLoaded)
    def show_corpus(self, message: CorpusLoaded) -> None:
        corpus = self.corpus = message.corpus
        self.loading_corpus = not message.complete
        self._show_articles()
        self.ticker.set_items(corpus.ticker)
        sections = {item.section for item in corpus.ticker if item.section}
        ticker_title = f"Meer uit {sections.pop()}" if len(sections) == 1 else "Ticker"
        self.query_one("#ticker-pane").border_title = Content(make_visible(ticker_title))
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
        every = [*self.feed_articles, *self.corpus.articles]
        source = self.source
        self.articles.set_items(
            every if source == ALL_SOURCES else [a for a in every if shows(source, a)]
        )
        title = "Articles" if source == ALL_SOURCES else f"Articles · {source or 'Saved pages'}"
        self.query_one("#articles-pane").border_title = Content(make_visible(title))

    def _update_counts(self) -> None:
        corpus = self.corpus
        articles = len(corpus.articles) + len(self.feed_articles)
        counts = f"{plural(articles, 'article')} · "
        counts += plural(len(corpus.ticker), "ticker item")
        if self.loading_corpus:
            counts += f" · loading… {corpus.files_read:,} files read"
        if self.refresh_progress:
            counts += f" · refreshing {self.refresh_progress}…"
        self.sub_title = counts
        self._update_pane_titles()

    def _update_pane_titles(self) -> None:
        self._update_pane_title(self.articles)
        self._update_pane_title(self.ticker)

    def _update_pane_title(self, rows: RowList[Article] | RowList[CorpusTickerItem]) -> None:
        """Where the cursor is ("3 / 32"), and the filter with what it lets through."""
        shown = rows.visible_count
        position = f"{rows.cursor + 1 if shown else 0} / {shown}"
        if rows.filter_text:
            position = f"“{rows.filter_text}” · {position} of {len(rows.items)}"
        self.query_one(f"#{rows.id}-pane", ListPane).show_position(position)

    def _announce_problems(self) -> None:
        corpus = self.corpus
        if corpus.is_empty:
            self._open(None)
        worth_telling = [d for d in corpus.diagnostics if d.severity is not Severity.INFO]
        if not worth_telling:
            return
        skipped = sum(d.severity is Severity.ERROR for d in worth_telling)
        files = len({d.file for d in worth_telling})
        parts = [f"{plural(skipped, 'file')} skipped"] if skipped else []
        if len(worth_telling) > skipped:
            parts.append(f"{plural(len(worth_telling) - skipped, 'warning')}")
        self.notify(
            f"{', '.join(parts)} in {plural(files, 'file')}. Press d for the list.",
            title="Some files had problems",
            severity="error" if skipped else "warning",
            timeout=8,
            markup=False,
        )

    @on(Worker.StateChanged)
    def report_worker_failure(self, event: Worker.StateChanged) -> None:
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
        if event.worker.group == "refresh" and event.state in ENDED_BADLY:
            self._refresh_progress(None)  # else every later r and R would wait for it

    # -- selection -----------------------------------------------------------------------

    def preview(self, rows: RowList[Article] | RowList[CorpusTickerItem], _: int) -> None:
        """Show the item the cursor moved to, when that list is the one in use."""
        self._update_pane_title(rows)
        in_use = self.focused in (rows, self._filter_of(rows))
        if in_use or self.reader.shown is None:
            self._open(rows.highlighted)
            self.call_after_refresh(self._prepare_ahead, rows)

    def _prepare_ahead(self, rows: RowList[Article] | RowList[CorpusTickerItem]) -> None:
        # Once this key's frame is out: the next key the same way then shows what is ready,
        # ~3 ms sooner. Calls queued by keys that came meanwhile find it prepared.
        if self.reader.shown is rows.highlighted:
            self.reader.prepare(rows.ahead)

    @on(RowList.Selected, "#articles, #ticker")
    def open_selected(self, event: RowList.Selected) -> None:
        self._open(event.item)
        self.reader.focus()

    def _open(self, item: Article | CorpusTickerItem | None) -> None:
        if item is None:
            self.reader.show(None, self._nothing_to_read())
        else:
            self.reader.show(item)
            if self.reader.translation_of is not None:
                self._request_translation()

    def _nothing_to_read(self) -> str:
        if self.loading_corpus:
            return "Nothing to read yet: loading…"
        if self.source != ALL_SOURCES and not self.articles.items:
            failure = self.failures_by_name().get(self.source or "")
            why = f" Its last refresh failed: {failure}." if failure else ""
            return f"No articles from this source.{why} r refreshes it."
        if self.corpus.is_empty:
            return "No pages could be read. Press d to see why."
        return "Nothing matches the filter."

    def _step_article(self, step: int) -> None:
        articles = self.articles
        if not articles.visible_count:
            return
        current = self.reader.shown
        if isinstance(current, Article) and articles.highlighted is current:
            articles.cursor += step
        self._open(articles.highlighted)

    def action_next_article(self) -> None:
        self._step_article(+1)

    def action_previous_article(self) -> None:
        self._step_article(-1)

    def action_page_down(self) -> None:
        self.reader.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.reader.scroll_page_up(animate=False)

    # -- filtering -----------------------------------------------------------------------

    def _list_in_focus(self) -> RowList[Article] | RowList[CorpusTickerItem]:
        ticker = self.ticker
        return ticker if self.focused in (ticker, self._filter_of(ticker)) else self.articles

    def _filter_of(self, rows: RowList[Article] | RowList[CorpusTickerItem]) -> FilterInput | None:
        """The list's filter field; None until the first `/` mounts it."""
        fields = self.query(f"#{rows.id}-filter").results(FilterInput)
        return next(fields, None)

    async def action_filter(self) -> None:
        rows = self._list_in_focus()
        field = self._filter_of(rows)
        if field is None:  # made on first use: the first frame does not wait for it
            field = FilterInput(placeholder=f"filter {rows.id}", id=f"{rows.id}-filter")
            await self.query_one(f"#{rows.id}-pane").mount(field, before=rows)
        field.display = True
        field.focus()

    def _list_of(self, field: Input) -> RowList[Article] | RowList[CorpusTickerItem]:
        return self.articles if field.id == "articles-filter" else self.ticker

    @on(Input.Changed, "FilterInput")
    def filter_as_you_type(self, event: Input.Changed) -> None:
        rows = self._list_of(event.input)
        rows.filter(event.value)
        self._update_pane_titles()

    @on(Input.Submitted, "FilterInput")
    def keep_filter(self, event: Input.Submitted) -> None:
        rows = self._list_of(event.input)
        event.input.display = bool(event.value)
        rows.focus()

    def action_clear_filter(self) -> None:
        rows = self._list_in_focus()
        field = self._filter_of(rows)
        if field is not None:
            field.value = ""
            field.display = False
        rows.filter("")
        rows.focus()
        self._update_pane_titles()

    # -- screens and commands ------------------------------------------------------------

    def action_help(self) -> None:
        from reader.ui.screens import HelpScreen

        self.push_screen(HelpScreen(self._key_groups(), HELP_NOTES))

    def action_diagnostics(self) -> None:
        self.clear_notifications()  # the announcement pointed here; it has done its job
        from reader.ui.screens import diagnostics_screen

        diagnostics = [*self.feed_diagnostics, *self.corpus.diagnostics]
        self.push_screen(diagnostics_screen(diagnostics), self._open_file_of)

    def _open_file_of(self, diagnostic: Diagnostic | None) -> None:
        """Open the article of the file a chosen diagnostic is about, if it has one."""
        if diagnostic is None:
            return
        for article in self.corpus.articles:
            if article.file == diagnostic.file:
                self.articles.select_item(article)
                self._open(article)
                self.reader.focus()
                return
        self.notify("That file holds no article to open.", markup=False)

    # -- translation ---------------------------------------------------------------------

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

    @on(TranslationArrived)
    def show_translation(self, message: TranslationArrived) -> None:
        """Keep the result; show it only if its article is still the one on screen."""
        self.translations.add(message.text, message.result)
        if message.item is self.reader.shown and self.reader.translation_of is not None:
            self.reader.refresh_translation()

    def action_toggle_highlighting(self) -> None:
        self.reader.set_highlighting(not self.reader.highlighting)

    def action_claims(self) -> None:
        from reader.highlight.claims import article_claims

        article = self._current_article()
        if article is None:
            self.notify("Open an article first.", markup=False)
            return
        claims = article_claims(article)
        self._show_claims(f"Claims in “{make_visible(article.title)}” ({len(claims)})", claims)

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
        self.collect_claims(chosen, len(listed))

    @work(thread=True, exclusive=True, group="claims", exit_on_error=False)
    def collect_claims(self, articles: list[Article], listed: int) -> None:
        from reader.highlight.claims import corpus_claims

        groups = corpus_claims(articles)
        rows: list[ClaimRow] = []
        for group, claims in groups.items():
            words = sorted({claim.counted for claim in claims if claim.counted})
            rows.append(f"{group} ({', '.join(words)})" if words != [group] else group)
            rows.extend(claims)
        total = sum(len(claims) for claims in groups.values())
        scope = "all articles" if len(articles) == listed else f"{len(articles):,} articles"
        if listed == len(articles) and self.source != ALL_SOURCES:
            scope = f"the articles of {make_visible(self.source or 'the saved pages')}"
        if not get_current_worker().is_cancelled:  # C again meanwhile: that one shows
            self.call_from_thread(self._show_claims, f"Who claims what, {scope} ({total})", rows)

    def _show_claims(self, title: str, rows: Sequence[ClaimRow]) -> None:
        from reader.ui.claims_screen import claims_screen

        self.push_screen(claims_screen(title, rows), self._open_claim)

    def _current_article(self) -> Article | None:
        shown = self.reader.shown
        return shown if isinstance(shown, Article) else self.articles.highlighted

    def _open_claim(self, claim: ClaimRow | None) -> None:
        """Open the article of a chosen claim at its paragraph."""
        from reader.highlight.claims import Claim

        if not isinstance(claim, Claim):
            return
        self.articles.select_item(claim.article)
        self._open(claim.article)
        self.reader.scroll_to_paragraph(claim.paragraph_index)
        self.reader.focus()

    def _key_groups(self) -> list[KeyGroup]:
        def rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
            return [
                (_keys(binding), binding.tooltip or binding.description)
                for binding in bindings
                if isinstance(binding, Binding)
            ]

        anywhere = [b for b in self.BINDINGS if getattr(b, "action", "") not in FEED_ACTIONS]
        feed_keys = [b for b in self.BINDINGS if getattr(b, "action", "") in FEED_ACTIONS]
        return [
            ("Anywhere", [*rows(anywhere), *_GLOBAL_KEYS]),
            ("Feeds (once subscribed: nieuwslezer feeds add nos)", rows(feed_keys)),
            ("In a list (articles, ticker)", rows(RowList.BINDINGS)),
            ("In the reading pane", rows(ReadingPane.BINDINGS)),
        ]

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action: the app's, the focused pane's (built from their bindings), and focus."""
        yield from super().get_system_commands(screen)
        for binding in self.BINDINGS:
            if not isinstance(binding, Binding) or binding.action == "quit":  # Textual has Quit
                continue
            if self.check_action(binding.action, ()):
                yield SystemCommand(
                    binding.description,
                    f"{binding.tooltip} ({_keys(binding)})",
                    partial(self.run_action, binding.action),
                )
        focused = screen.focused
        if isinstance(focused, RowList | ReadingPane):
            where = "reading pane" if isinstance(focused, ReadingPane) else f"{focused.id} list"
            for binding in focused.BINDINGS:
                if isinstance(binding, Binding):
                    yield SystemCommand(
                        f"{binding.description} ({where})",
                        f"In the focused pane ({_keys(binding)})",
                        partial(focused.run_action, binding.action),
                    )
        for title, help_text, widget_id in _FOCUS_COMMANDS:
            yield SystemCommand(title, help_text, partial(self._focus_pane, widget_id))

    def _focus_pane(self, widget_id: str) -> None:
        self.query_one(f"#{widget_id}", Widget).focus()


class TitleBar(Static):
    """The top line: the app's name and what is loaded (the app's sub_title).

    One Static rather than Textual's Header, whose four widgets cost the first frame more."""

    def on_mount(self) -> None:
        self.watch(self.app, "sub_title", self._show, init=True)

    def _show(self, sub_title: str) -> None:
        self.update(Content(f"{self.app.title} — {sub_title}" if sub_title else self.app.title))


class FilterInput(Input):
    """The filter field above a list, hidden until `/`."""


class ListPane(Vertical):
    """A bordered pane around a list (its filter field joins it on the first `/`)."""

    def show_position(self, position: str) -> None:
        """Show where the cursor is ("3 / 32") in the bottom border, repainting only that."""
        subtitle = Content(make_visible(position))
        if not self.size:
            self.border_subtitle = subtitle
            return
        # The border_subtitle setter repaints the whole pane, list included: ~1 ms of every
        # key in a tall list. This is where Textual keeps it (textual is pinned, and
        # tests/ui/test_app.py checks the position on screen).
        self._border_subtitle = subtitle
        left, top = self.content_offset
        width, height = self.outer_size
        self.refresh(Region(-left, height - 1 - top, width, 1))


def _list_pane(
    name: str, title: str, rows: RowList[Article] | RowList[CorpusTickerItem]
) -> ComposeResult:
    with ListPane(id=f"{name}-pane", classes="pane") as pane:
        pane.border_title = title
        yield rows


_FOCUS_COMMANDS = [
    ("Focus articles", "Move the focus to the article list", "articles"),
    ("Focus ticker", "Move the focus to the ticker list", "ticker"),
    ("Focus reading pane", "Move the focus to the reading pane", "reader"),
]

_GLOBAL_KEYS = [
    ("Tab / Shift+Tab", "Move between the panes"),
    ("Ctrl+P", "Command palette: every action, and the theme"),
]

HELP_NOTES = [
    "Privacy: t (English) sends the text shown to the translation service you chose "
    "(Google by default, or your LibreTranslate server); nothing is sent before you press t. "
    "Translations are kept in a cache on this computer (nieuwslezer cache --clear empties it). "
    "Feeds: only the feeds you subscribed to are fetched (on start, r, R); without "
    "subscriptions nieuwslezer makes no network request.",
    "Mouse: a click selects a row and opens it; the wheel scrolls the pane under it.",
    "Moving through a list shows the item in the reading pane; Enter moves into it.",
    "Filters ignore case and accents: “geneve” finds GENÈVE.",
]


def _keys(binding: Binding) -> str:
    names = {"question_mark": "?", "slash": "/", "space": "Space", "pagedown": "PgDn",
             "pageup": "PgUp", "escape": "Esc", "enter": "Enter", "down": "↓", "up": "↑",
             "home": "Home", "end": "End"}  # fmt: skip
    return " / ".join(names.get(key, key) for key in binding.key.split(","))


def build_app(
    paths: Sequence[Path],
    translation: TranslationSettings | None = None,
    problems: Sequence[str] = (),
    translator: TranslationService | None = None,
    feeds: bool = False,
) -> ReaderApp:
    """The one factory the CLI and the tests use."""
    return ReaderApp(paths, translation, problems, translator, feeds)


def run_reader(
    paths: Sequence[Path],
    translation: TranslationSettings | None = None,
    problems: Sequence[str] = (),
    feeds: bool = False,
) -> int:
    # Workers run Python too (parsing, imports, HTTP); a shorter switch interval hands the GIL
    # back to the interface within a millisecond when a key is pressed, instead of five.
    sys.setswitchinterval(0.001)
    app = build_app(paths, translation, problems, feeds=feeds)
    app.run()
    return app.return_code or 0
