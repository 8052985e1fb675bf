"""Search in the reader: `F` opens the search (search_screen.py) over everything the index
holds; Enter opens the hit at its match, marked in the reading pane; `]` / `[` step through
the matches, Esc clears them.

The index (reader/library/index.py, search.sqlite in the data folder) is opened in a worker,
never before the first frame, and kept up to date in workers: the pages once the corpus is
loaded, the feed articles after they are read from the store and after each refresh, the
English as translations arrive. The library is imported inside the workers and handlers, so
the first frame does not wait for sqlite3 or it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.worker import get_current_worker

from reader.model import Article, Corpus, CorpusTickerItem
from reader.text import make_visible
from reader.ui.documents import shown_part

if TYPE_CHECKING:
    from reader.library.index import SearchIndex
    from reader.library.search import Hit, SearchResult
    from reader.library.search_docs import SearchDoc
    from reader.ui.feed_messages import FeedArticlesLoaded, RefreshFinished
    from reader.ui.loading import CorpusLoaded
    from reader.ui.search_screen import Chosen
    from reader.ui.translating import TranslationsArrived

SEARCH_BINDINGS: list[BindingType] = [
    Binding(
        "F",
        "search",
        "Search",
        id="search",
        tooltip="Search everything: titles, paragraphs, ticker items, feed articles and the "
        "cached English",
    ),
    Binding(
        "right_square_bracket",
        "next_match",
        "Next match",
        show=False,
        id="next-match",
        tooltip="In an article opened from the search: go to the next match",
    ),
    Binding(
        "left_square_bracket",
        "previous_match",
        "Previous match",
        show=False,
        id="previous-match",
        tooltip="In an article opened from the search: go to the previous match",
    ),
]
"""The search's keys, for ReaderApp.BINDINGS (a mixin's own BINDINGS would be ignored)."""

FEED_ARTICLES = "feed articles"  # the part of the index kept up with the feed store
MATCH_ACTIONS = frozenset({"next_match", "previous_match"})
NO_MARKS = "No matches are marked: F searches, and Enter opens a hit at its match."


class IndexingProgress(Message):
    """How far indexing `part` ("pages", "feed articles") is; `finished` with its end, and
    `problem` if it stopped or the index cannot be used."""

    def __init__(
        self, part: str, done: int, total: int, finished: bool = False, problem: str | None = None
    ) -> None:
        super().__init__()
        self.part = part
        self.done = done
        self.total = total
        self.finished = finished
        self.problem = problem


class SearchingMixin:
    """The reader's `F`, `]`, `[` and the index kept up to date.

    A part of ReaderApp, before NavigationMixin (its Esc comes first); messages are handled
    by their on_* names, beside the other mixins' handlers of the same messages."""

    def _init_search(self) -> None:
        self._index_lock = threading.Lock()
        self._index: SearchIndex | None = None  # opened by the first worker that needs it
        self.indexing: dict[str, str] = {}  # part -> "indexing pages 1,200 / 10,000"
        self.indexed: set[str] = set()  # the parts indexed once this run ("pages", ...)
        self._index_problems: dict[str, str | None] = {}  # part -> why its indexing failed
        self._feeds_indexing = False  # a catch-up with the feed store runs
        self._feeds_again = False  # and another is wanted once it is over
        self._english_pending: dict[str, dict[int, str]] = {}  # key -> paragraph -> English

    def search_index(self) -> SearchIndex:
        """The index, opened on first use (in a worker: never on the interface's thread)."""
        with self._index_lock:
            if self._index is None:
                from reader.library.index import SearchIndex

                self._index = SearchIndex.open()
            return self._index

    def on_unmount(self) -> None:
        with self._index_lock:
            if self._index is not None:
                self._index.close()

    # -- keeping the index up to date -----------------------------------------------------------

    def on_corpus_loaded(self, message: CorpusLoaded) -> None:
        """LoadingMixin's handler, then the pages indexed. loading.py calls its handler by
        name for a corpus loaded before the first frame, which finds this one first: it calls
        LoadingMixin's itself, and keeps Textual from calling that again for a message."""
        super().on_corpus_loaded(message)  # type: ignore[misc]
        message.prevent_default()
        if message.complete and not message.corpus.is_empty:
            # After the first frame: the corpus of a few files is loaded before it.
            self.call_after_refresh(self.index_pages, message.corpus)

    @work(
        thread=True,
        exclusive=True,
        group="search-pages",
        exit_on_error=False,
        description="indexing the pages for search",
    )
    def index_pages(self, corpus: Corpus) -> None:
        from reader.library.search_docs import cached_english, corpus_docs

        worker = get_current_worker()
        index = self.search_index()
        if index.problem is not None:
            self.post_message(IndexingProgress("pages", 0, 0, True, index.problem))
            return
        total = len(corpus.articles) + len(corpus.ticker)

        def docs() -> Iterator[SearchDoc]:
            for doc in corpus_docs(corpus):
                if worker.is_cancelled:  # the app is closing, or another corpus came
                    return
                yield doc

        def progress(done: int, of: int) -> None:
            _stop_if_cancelled()
            self.post_message(IndexingProgress("pages", done, of))

        try:
            report = index.index(docs(), total=total, english=cached_english(), progress=progress)
        except _Stopped:  # what was indexed stays: the next run goes on from there
            return
        self.post_message(IndexingProgress("pages", total, total, True, report.problem))

    def on_feed_articles_loaded(self, message: FeedArticlesLoaded) -> None:
        if message.complete:
            self._catch_up_feeds()

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        if message.articles is not None:
            self._catch_up_feeds()

    def _catch_up_feeds(self) -> None:
        if self._feeds_indexing:
            self._feeds_again = True
            return
        store = getattr(self, "_store", None)
        self._feeds_indexing, self._feeds_again = True, False
        self.index_feeds(store.path if store is not None else None)

    @work(
        thread=True,
        group="search-feeds",
        exit_on_error=False,
        description="indexing the feed articles for search",
    )
    def index_feeds(self, store_path: Path | None) -> None:
        from reader.feeds.store import default_store_path
        from reader.library.feed_index import catch_up_feeds
        from reader.library.search_docs import cached_english

        part = FEED_ARTICLES
        problem: str | None = None
        try:
            index = self.search_index()
            problem = index.problem
            if problem is not None:
                return

            def progress(done: int, of: int) -> None:
                _stop_if_cancelled()
                self.post_message(IndexingProgress(part, done, of))

            path = store_path or default_store_path()
            problem = catch_up_feeds(
                index, path, english=cached_english(), progress=progress
            ).problem
        except _Stopped:  # the app is closing: the first catch-up of a large store would
            return  # keep it from exiting; the next run goes on from what was indexed
        finally:  # also when it failed (the failure is notified): the next may run
            self.post_message(IndexingProgress(part, 0, 0, True, problem))

    def on_indexing_progress(self, message: IndexingProgress) -> None:
        if message.finished:
            self.indexing.pop(message.part, None)
            self.indexed.add(message.part)
            if message.part == FEED_ARTICLES:
                self._feeds_indexing = False
                if self._feeds_again:
                    self._catch_up_feeds()
        else:
            done, total = message.done, message.total
            self.indexing[message.part] = f"indexing {message.part} {done:,} / {total:,}"
        if message.finished or message.problem is not None:  # the last run of a part says
            self._index_problems[message.part] = message.problem
        from reader.ui.search_screen import SearchScreen  # loaded already if it is open

        for screen in self.screen_stack:
            if isinstance(screen, SearchScreen):
                screen.show_indexing(self.indexing_status, self.search_problem, message.finished)

    @property
    def search_problem(self) -> str | None:
        """Why the index cannot be used, or why the last indexing of a part stopped."""
        return next((p for p in self._index_problems.values() if p is not None), None)

    @property
    def indexing_status(self) -> str:
        return " · ".join(self.indexing.values())

    def on_translations_arrived(self, message: TranslationsArrived) -> None:
        """Keep the English that arrived for the index; added in a worker when the item's
        translation is over (one write per item, not per paragraph)."""
        from reader.translate.result import Translated

        english = {text: r.text for text, r in message.results if isinstance(r, Translated)}
        if english:
            key, lines = _english_lines(message.item, english)
            if lines:
                self._english_pending.setdefault(key, {}).update(lines)
        if message.finished and self._english_pending:
            pending, self._english_pending = self._english_pending, {}
            self.add_english_to_index(pending)

    @work(
        thread=True,
        group="search-english",
        exit_on_error=False,
        description="adding English to the search index",
    )
    def add_english_to_index(self, english: dict[str, dict[int, str]]) -> None:
        index = self.search_index()
        for key, lines in english.items():
            index.add_english(key, lines)

    @work(
        thread=True,
        group="search-english",
        exit_on_error=False,
        description="removing from the search index",
    )
    def forget_in_index(self, keys: list[str]) -> None:
        self.search_index().remove(keys)

    # -- searching ----------------------------------------------------------------------------

    def action_search(self) -> None:
        from reader.ui.search_screen import SearchScreen

        screen = SearchScreen(self._search, self.indexing_status, self.search_problem)
        self.push_screen(screen, self._open_hit)

    def _search(self, text: str, relevance: bool) -> SearchResult:
        """Search the index (in the search screen's worker thread)."""
        from reader.library.search import search
        from reader.ui.search_screen import RESULTS

        return search(self.search_index(), text, limit=RESULTS + 1, relevance=relevance)

    def _open_hit(self, chosen: Chosen | None) -> None:
        """Open the hit chosen, scrolled to its match, the matches marked."""
        if chosen is None:
            return
        hit = chosen.hit
        item = self._item_of(hit)
        if item is None:
            where = make_visible(hit.file or hit.title)
            self.forget_in_index([hit.key])  # it is not found again
            self.notify(
                f"That item is no longer there: {where}", title="Search", severity="warning",
                markup=False,
            )  # fmt: skip
            return
        if isinstance(item, CorpusTickerItem):
            self.ticker.select_item(item)
        else:
            self.select_article(item)
        self._open(item)
        self.reader.show_marks(chosen.query.terms, hit.paragraph)
        self.reader.focus()
        # Once the search screen is gone (its focus given back) and the pane laid out again.
        self.call_after_refresh(self._at_the_match)

    def _at_the_match(self) -> None:
        self.reader.focus()
        self.reader.step_match(0)

    def _item_of(self, hit: Hit) -> Article | CorpusTickerItem | None:
        """The article or ticker item a hit is: in the lists, else in the store (a feed
        article not listed) or its page file (a page not loaded in this run). A ticker item
        is the same wherever seen: the index names one file of it only."""
        from reader.library.keys import find_item, guid_of

        if hit.kind == "feed":
            guid = guid_of(hit.key)
            listed = find_item(hit.key, self.feed_articles)
            return listed if listed is not None or guid is None else self._stored(guid)
        loaded = find_item(hit.key, [*self.corpus.articles, *self.corpus.ticker])
        return loaded if loaded is not None else _from_file(hit)

    def _stored(self, guid: str) -> Article | None:
        """A feed article the list does not show, read from the store on a connection of its
        own, as the reading pane reads (never waiting for a refresh's lock)."""
        from reader.feeds.peek import stored_article

        store = getattr(self, "_store", None)
        names = getattr(self, "_source_names", {})
        return stored_article(guid, None if store is None else store.path, names)

    def action_next_match(self) -> None:
        if not self.reader.step_match(1):
            self.notify(NO_MARKS, markup=False)

    def action_previous_match(self) -> None:
        if not self.reader.step_match(-1):
            self.notify(NO_MARKS, markup=False)

    def action_clear_filter(self) -> None:
        """Esc: what runs stops first (claims, translation), then the marks go, then the
        filter (NavigationMixin's)."""
        if self.cancel_claims() or self.cancel_translation():
            return
        if self.reader.clear_marks():
            return
        super().action_clear_filter()  # type: ignore[misc]


class _Stopped(Exception):
    """Indexing stops between two chunks: its worker was cancelled (the app is closing)."""


def _stop_if_cancelled() -> None:
    if get_current_worker().is_cancelled:
        raise _Stopped


def _from_file(hit: Hit) -> Article | CorpusTickerItem | None:
    """The hit's item read from its page file (a page not loaded in this run); None if the
    file is gone or no longer holds it."""
    from reader.corpus import load_found
    from reader.library.keys import find_item

    if not hit.file or not os.path.isfile(hit.file):
        return None
    corpus = load_found([Path(hit.file)])
    return find_item(hit.key, [*corpus.articles, *corpus.ticker])


def _english_lines(
    item: Article | CorpusTickerItem, english: dict[str, str]
) -> tuple[str, dict[int, str]]:
    """The item's key and the English of those of its paragraphs `english` has (by text)."""
    from reader.library.keys import article_key, ticker_key

    if isinstance(item, CorpusTickerItem):
        found = english.get(shown_part(item.text))
        return ticker_key(item), ({0: found} if found else {})
    lines = {
        number: english[shown_part(paragraph.text)]
        for number, paragraph in enumerate(item.paragraphs)
        if shown_part(paragraph.text) in english
    }
    return article_key(item), lines
