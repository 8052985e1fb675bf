"""The Textual app: it composes the panes and binds the keys; each concern's behaviour is a
mixin of its own (loading, navigation, translation, claims, feeds, help). It renders what the
core produced."""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message

from reader.model import Article, Corpus, CorpusTickerItem
from reader.resources import dialog_styles, reader_styles
from reader.text import make_visible
from reader.translate.config import TranslationSettings
from reader.ui.claims import ClaimsMixin
from reader.ui.feeds import FeedsMixin
from reader.ui.help import HelpMixin
from reader.ui.key_bar import KeyBar
from reader.ui.library import LIBRARY_BINDINGS, LibraryMixin
from reader.ui.loading import LoadingMixin
from reader.ui.navigation import NavigationMixin
from reader.ui.panes import TitleBar, list_pane
from reader.ui.reading_pane import ReadingPane
from reader.ui.row_list import RowList
from reader.ui.rows import article_row, article_search_text, ticker_row, ticker_search_text
from reader.ui.searching import SEARCH_BINDINGS, SearchingMixin
from reader.ui.session import SessionMixin
from reader.ui.translating import TranslationMixin

if TYPE_CHECKING:  # loaded on the first `t`: not on the way to the first frame
    from reader.translate.service import TranslationService

WIDE = 110  # columns from which the lists stand beside the reading pane (styles: .-wide)


class ReaderApp(
    SearchingMixin,  # first: its Esc clears the search's marks before the filter
    SessionMixin,  # before LibraryMixin: it restores the session where that lands the cursor
    LibraryMixin,  # before LoadingMixin and NavigationMixin: it extends their listing, opening
    LoadingMixin,
    NavigationMixin,
    TranslationMixin,
    ClaimsMixin,
    FeedsMixin,
    HelpMixin,
    App[int],
):
    """Articles, ticker and reading pane over a corpus loaded in the background."""

    TITLE = "nieuwslezer"
    CSS_PATH = reader_styles()
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (WIDE, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit", tooltip="Leave nieuwslezer"),
        Binding("question_mark", "help", "Help", id="help", tooltip="Show every key"),
        Binding("slash", "filter", "Filter", id="filter", tooltip="Filter the focused list"),
        *SEARCH_BINDINGS,
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
            tooltip="With the English on: translate again the paragraphs that failed",
        ),
        Binding(
            "c",
            "claims",
            "Claims",
            id="claims",
            tooltip="Who claims each number, in the article or ticker item shown",
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
            tooltip="Stop collecting claims or translating; else clear the search's marks, "
            "else the filter",
        ),
        *LIBRARY_BINDINGS,
    ]

    def __init__(
        self,
        paths: Sequence[Path],
        translation: TranslationSettings | None = None,
        problems: Sequence[str] = (),
        translator: TranslationService | None = None,
        feeds: bool = False,
        samples_until_feeds: bool = False,
        *,
        restore: bool = False,
    ) -> None:
        super().__init__()
        self.paths = list(paths)
        self._init_feeds(enabled=feeds, samples_until_feeds=samples_until_feeds)
        self._init_translation(translator)
        self._init_claims()
        self._init_search()
        self._init_library()
        self._init_session(restore=restore)
        self.corpus = Corpus()
        self.loading_corpus = True
        self.translation_settings = translation or TranslationSettings()
        self._startup_problems = list(problems)

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The screen's breakpoint class (-wide or -narrow) before its widgets are styled: set
        # by its first Resize, after them, it restyled every widget again (~2 ms of the first
        # frame).
        screen = self.screen
        width = self.size.width
        screen.set_class(width >= WIDE, "-wide")
        screen.set_class(width < WIDE, "-narrow")
        yield TitleBar(id="title-bar")
        with Horizontal(id="main"):
            with Vertical(id="lists"):
                yield from list_pane(
                    "articles",
                    "Articles",
                    RowList(
                        self.marked(article_row),
                        article_search_text,
                        empty_text="No articles.",
                        id="articles",
                    ),
                )
                yield from list_pane(
                    "ticker",
                    "Ticker",
                    RowList(
                        self.marked(ticker_row),
                        ticker_search_text,
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

    def _read_dialog_styles(self) -> None:
        """The dialogs' styles, once the first frame is out (~2 ms): on the way to it they
        cost ~1% of the start-up. A dialog opened before reads them itself (its CSS_PATH),
        which has Textual parse every stylesheet again (~10 ms)."""
        styles = dialog_styles()
        if not self.stylesheet.has_source(str(styles)):
            self.stylesheet.read(styles)
            self.stylesheet.parse()  # only the new file: the others' rules are kept parsed

    async def _on_message(self, message: Message) -> None:
        # Closing, the reader removes its screens first: what a worker reports then (the
        # library opened, a list noted as seen) has no lists left to show it in, and its
        # handler would look for them. Textual's own messages still run.
        if not self.is_running and type(message).__module__.startswith("reader."):
            return
        await super()._on_message(message)

    def on_mount(self) -> None:
        self.call_after_refresh(gc.enable)  # off while starting (reader.commands.read)
        self.call_after_refresh(self._read_dialog_styles)
        self.sub_title = "loading…"
        for rows in (self.articles, self.ticker):
            self.watch(rows, "cursor", partial(self.preview, rows), init=False)
        self.articles.focus()
        self.load_corpus()
        if self.feeds_enabled:  # after the first frame, which it would otherwise slow
            self.peek_feeds()  # but the newest stored articles in it (a millisecond or two)
            self.call_after_refresh(self.open_feeds)
        self.land_early()  # the article landed on, in the first frame (landing.py)
        for problem in self._startup_problems:
            self.notify(make_visible(problem), title="Settings", severity="warning", markup=False)


def build_app(
    paths: Sequence[Path],
    translation: TranslationSettings | None = None,
    problems: Sequence[str] = (),
    translator: TranslationService | None = None,
    feeds: bool = False,
    samples_until_feeds: bool = False,
    *,
    restore: bool = False,
) -> ReaderApp:
    """The one factory the CLI and the tests use. With `samples_until_feeds` the pages (the
    bundled samples) show only while the feed store gives no article. With `restore` the
    session saved last is restored (the CLI's default; tests start afresh unless they ask)."""
    return ReaderApp(
        paths, translation, problems, translator, feeds, samples_until_feeds, restore=restore
    )


def run_reader(
    paths: Sequence[Path],
    translation: TranslationSettings | None = None,
    problems: Sequence[str] = (),
    feeds: bool = False,
    samples_until_feeds: bool = False,
    restore: bool = True,
) -> int:
    # Workers run Python too (parsing, imports, HTTP); a shorter switch interval hands the GIL
    # back to the interface within a millisecond when a key is pressed, instead of five.
    sys.setswitchinterval(0.001)
    app = build_app(
        paths,
        translation,
        problems,
        feeds=feeds,
        samples_until_feeds=samples_until_feeds,
        restore=restore,
    )
    app.quit_on_signals = True  # SIGTERM, SIGHUP, SIGINT quit as q does: the session saved
    app.run()
    if app.session_problem is not None:
        print(f"nieuwslezer: {make_visible(app.session_problem)}", file=sys.stderr)
    return app.return_code or 0
