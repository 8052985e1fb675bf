"""Feeds in the reader: FeedsMixin (the store read in a worker, refreshes, the sources, `o`)
and the choice of source; the messages its workers send are in feed_messages.py.

The feed core (reader/feeds) is imported inside the workers, so the first frame never waits
for requests or feedparser. The store is shared with other readers and `nieuwslezer refresh`
(and feeds.toml with `nieuwslezer feeds add`): each refresh reads feeds.toml again, and
afterwards what the store gained since it was last read, so what others stored or subscribed
to shows here too. A store that cannot be written (read-only, damaged) is read all the same,
and not refreshed; the articles the retention could not remove because another program was
writing are removed later (`_prune_later`).
"""

from __future__ import annotations

import gc
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from textual import work
from textual.screen import ModalScreen
from textual.worker import Worker, WorkerState, get_current_worker

from reader.feeds.feed_row import STORE_LAG
from reader.model import Article, Diagnostic, Severity
from reader.present import plural
from reader.text import make_visible
from reader.ui.feed_messages import (
    FeedArticlesLoaded,
    FeedRefreshed,
    FeedsOpened,
    RefreshFinished,
    feed_failure,
    refresh_summary,
    removed_notice,
)
from reader.ui.feed_reading import FullArticles, keeping_identity, merged, same_story
from reader.ui.sources import ALL_SOURCES, STARRED, SourceChoice, source_choices
from reader.ui.store_pruning import PruningMixin
from reader.ui.web_pages import WebPagesMixin

if TYPE_CHECKING:  # the core is imported in the workers
    from reader.feeds.refresh import FeedOutcome
    from reader.feeds.settings import FeedSettings
    from reader.feeds.store import FeedStore
    from reader.feeds.subscriptions import Subscription

NO_FEEDS = "No feeds yet: add one with  nieuwslezer feeds add nos  (then R fetches it)."
NO_FEEDS_WITH_PATHS = "Feeds are shown when nieuwslezer opens with no PATH."
SAMPLES_HIDDEN = (
    "The sample pages are hidden now that feed articles are stored (nieuwslezer --samples"
    " shows them too); showing all sources."
)
CANNOT_REFRESH = "The feed store cannot be written, so refreshing is impossible. Press d."


class FeedsMixin(PruningMixin, WebPagesMixin):
    """The reader's feed behaviour: reading the store, refreshing, the sources, `o`.

    A part of ReaderApp (which it is mixed into), kept apart so that app.py stays about the
    panes and keys; messages are handled by their on_* names.
    """

    def _init_feeds(self, *, enabled: bool, samples_until_feeds: bool = False) -> None:
        # Feeds join the pages when the reader opens with no PATH; the subscriptions and the
        # store are read in a worker, and with neither nothing at all happens.
        self.feeds_enabled = enabled
        # The pages are the bundled samples, shown only while the store gives no article.
        self.samples_until_feeds = samples_until_feeds
        self.feed_articles: list[Article] = []
        self.chosen_feed: str | None = ALL_SOURCES  # what the list shows: a SourceChoice.feed
        self.feed_failures: dict[str, str] = {}  # a feed's address -> why its refresh failed
        self.feeds_loading = False  # the stored articles are being read
        self._feeds_opened = False  # the subscriptions and store have been read once
        self._source_names: dict[str, str] = {}  # a feed's address -> its unique name
        self.feed_diagnostics: list[Diagnostic] = []
        self._read_problems: list[Diagnostic] = []  # those of feeds.toml and the store
        self.refresh_progress: str | None = None  # "2 / 5 feeds" while refreshing
        self._subscriptions: list[Subscription] = []
        self._feed_settings: FeedSettings | None = None
        self._store: FeedStore | None = None
        self._store_read_at: datetime | None = None  # when the articles shown were read
        self._full = FullArticles()  # the rows' articles in full, the last few shown
        self._init_pruning()

    @property
    def source(self) -> str | None:
        """The source on show by name: ALL_SOURCES, a feed's name, or None (saved pages)."""
        chosen = self.chosen_feed
        if chosen is None or chosen == ALL_SOURCES:
            return chosen
        if chosen == STARRED:
            return "Starred"
        return self._source_names.get(chosen, chosen)

    @property
    def shows_pages(self) -> bool:
        """Whether the pages (and their ticker) are listed: the samples only while the store
        gives no feed article; pages the user named, always."""
        return not (self.samples_until_feeds and self.feed_articles)

    # Every worker has its description: Textual would make one of repr() of the arguments,
    # on the UI thread (a second for 100,000 articles).
    @work(
        thread=True,
        exclusive=True,
        group="feeds",
        exit_on_error=False,
        description="reading the feeds",
    )
    def open_feeds(self) -> None:
        """Read the subscriptions and the stored articles (the UI refreshes once they are in).

        With no subscriptions and no store this reads one small file and sends nothing."""
        from reader.feeds.reading import read_feeds
        from reader.feeds.store import StoreError

        read = read_feeds(None)
        self.post_message(FeedsOpened(read, opening=True))
        store = read.store
        if store is None:
            return
        articles: list[Article] = []
        read_at = datetime.now(UTC)
        problem = None
        try:
            for batch in store.iter_articles(names=read.names, light=True):
                first = not articles
                articles.extend(batch)
                if first:  # the newest at once; the rest in one go, not a list rebuilt per batch
                    self.post_message(FeedArticlesLoaded(list(articles), complete=False))
        except StoreError as error:  # failing half-way (damaged since it was opened)
            problem = str(error)
        finally:  # else reported as worker errors are: what was read shows all the same
            lost = store.lost_report()
            if lost is not None:  # what is wrong with the store was said as it opened
                problem = f"feed store {store.path}: {lost}"
            loaded = FeedArticlesLoaded(articles, complete=True, read_at=read_at, problem=problem)
            self.post_message(loaded)

    def peek_feeds(self) -> None:
        """The newest stored articles at once (feeds/peek.py), until open_feeds reads them."""
        from reader.feeds.peek import newest_rows

        rows, newest = newest_rows()
        if rows and newest is not None:
            self._full.keep(rows[0], newest)  # the store is not open yet
            self._replace_feed_articles(list(rows))

    def on_feeds_opened(self, message: FeedsOpened) -> None:
        read = message.read
        self._store, self._subscriptions = read.store, read.subscriptions
        self._feed_settings, self._source_names = read.settings, read.names
        self._feeds_opened = True
        # A feed unsubscribed from meanwhile is no longer refreshed: its last failure is past.
        subscribed = {subscription.url for subscription in read.subscriptions}
        self.feed_failures = {u: why for u, why in self.feed_failures.items() if u in subscribed}
        # The problems of feeds.toml and the store, as read this time, replace the last ones.
        earlier, self._read_problems = self._read_problems, read.problems
        self.feed_diagnostics = [d for d in self.feed_diagnostics if d not in earlier]
        self.feed_diagnostics += read.problems
        # What is only said (the old articles removed later) needs no notice.
        new_problems = [
            d for d in read.problems if d not in earlier and d.severity is not Severity.INFO
        ]
        if new_problems:
            self.notify(
                f"{plural(len(new_problems), 'problem')} with the feeds. Press d for the list.",
                title="Feeds",
                severity="warning",
                markup=False,
            )
        if read.removed:
            self.notify(removed_notice(read.removed, read.settings), title="Feeds", markup=False)
        if message.opening and read.store is not None:
            self.feeds_loading = True
        if read.prune_later:
            self._prune_later()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The feed keys only where there are feeds: without, the key bar is as it was (and
        the keys say why they do nothing: the key_* methods below)."""
        if action in FEED_ACTIONS:
            return self.feeds_active
        return True

    @property
    def feeds_active(self) -> bool:
        return self.feeds_enabled and bool(self._subscriptions or self.feed_articles)

    # Textual calls key_<name> for a key no binding took: the feed keys, while hidden.
    def key_s(self) -> None:
        if self._on_main_screen():
            self._explain_no_feeds()

    def key_r(self) -> None:
        if not self._on_main_screen():
            return
        if self.feeds_enabled:  # feeds.toml is read again: one may have been added since
            self._refresh(None)
        else:
            self._explain_no_feeds()

    key_upper_r = key_r

    def key_o(self) -> None:
        if self._on_main_screen():
            self.action_open_link()  # says why the article has no web page

    def _on_main_screen(self) -> bool:
        return not isinstance(self.screen, ModalScreen)

    def _explain_no_feeds(self) -> None:
        if not self.feeds_enabled:
            self.notify(NO_FEEDS_WITH_PATHS, markup=False)
        elif not self._feeds_opened or self.feeds_loading:
            self.notify("The feeds are still loading; a moment.", markup=False)
        else:
            self.notify(NO_FEEDS, markup=False)

    def on_feed_articles_loaded(self, message: FeedArticlesLoaded) -> None:
        self._replace_feed_articles(message.articles)
        self.refresh_bindings()
        if message.complete:
            self._store_read_at = message.read_at
            self.feeds_loading = False
            gc.freeze()  # as for the corpus: 100,000 articles made full collections slow
            if message.problem:  # a damaged store was announced as it opened
                damaged = self._store is not None and self._store.damage is not None
                self._store_failed(message.problem, notify=not damaged)
            settings = self._feed_settings
            writable = self._store is not None and self._store.cannot_write is None
            if self._subscriptions and settings and settings.refresh_on_start and writable:
                self._refresh(None)

    def _store_failed(self, problem: str, *, notify: bool = True) -> None:
        """Say in `d` what went wrong reading the store (with a notice, if `notify`), among
        the problems of reading the feeds: the next reading of them replaces it."""
        from reader.feeds.store import default_store_path  # light: no network modules

        where = str(self._store.path if self._store else default_store_path())
        diagnostic = Diagnostic(where, 0, problem, Severity.ERROR)
        self._read_problems = [*self._read_problems, diagnostic]
        self.feed_diagnostics = [*self.feed_diagnostics, diagnostic]
        if notify:
            self.notify(
                "A problem with the feed store. Press d for the list.",
                title="Feeds",
                severity="error",
                markup=False,
            )

    def _replace_feed_articles(self, articles: list[Article]) -> None:
        """Show these feed articles; the article being read stays where it is in the list,
        and one changed in the store (the same story) is shown as it now stands, the cursor
        on it and the reader where they were in it.

        Only a reader still on the first sample page, as the reader opened, or on a sample
        page the feed articles now hide, is taken to the newest feed article: the samples are
        what shows until the feeds are in. Saved pages chosen then give way to all sources."""
        first, shown = self.articles.highlighted, self.reader.shown
        where = self.reader.scroll_y  # before the list changes: moving its cursor opens
        opened_as_started = self.articles.cursor == 0 and (first is None or first.source is None)
        pages_shown = self.shows_pages
        self.feed_articles = keeping_identity(articles, shown, first)
        pages_hidden = pages_shown and not self.shows_pages
        if pages_hidden:
            self._show_ticker()
            if self.chosen_feed is None:  # else a list that stays empty, and r without a feed
                self.chosen_feed = ALL_SOURCES
                self.notify(SAMPLES_HIDDEN, title="Feeds", markup=False)
        self._show_articles()
        on_a_page = not (isinstance(shown, Article) and shown.feed is not None)
        if opened_as_started or (pages_hidden and on_a_page):
            self.articles.cursor = 0
            self._open(self.articles.highlighted)
        elif self.reader.shown is None:  # an empty source that now has articles
            self._open(self.articles.highlighted)
        else:
            self._follow_changes(first, shown, where)
        self._update_counts()

    def _follow_changes(self, first: Article | None, shown: object, where: float) -> None:
        """The cursor and the reading pane on the stories they were on, as the store now has
        them (a changed article is a new object, which the list cannot find by itself), the
        pane scrolled back to `where` the reader was in it."""
        if first is not None and self.articles.highlighted is not first:
            now = same_story(first, self.articles.items)
            if now is not None:
                self.articles.select_item(now)
        now = same_story(shown, self.feed_articles) if isinstance(shown, Article) else None
        full = None if now is None else self.full_article(now)
        if full is not None and (full is not shown or self.reader.shown is not shown):
            if self.reader.shown is not full:
                self.reader.show(full)
            self.reader.scroll_to(y=where, animate=False, immediate=True)

    def _refresh(self, only: str | None) -> None:
        """Refresh every feed, or only the one at address `only`, in a worker; one refresh at
        a time, once the store is read. feeds.toml is read again first."""
        if not self.feeds_enabled:
            self.notify(NO_FEEDS_WITH_PATHS, markup=False)
        elif self.feeds_loading or not self._feeds_opened:
            self.notify("The stored articles are still loading; a moment.", markup=False)
        elif self.refresh_progress is not None:
            self.notify("A refresh is under way.", markup=False)
        elif self._store is not None and self._store.cannot_write is not None:
            self.notify(CANNOT_REFRESH, severity="warning", markup=False)
        else:
            total = 1 if only is not None else len(self._subscriptions)
            self._refresh_progress(f"0 / {plural(total, 'feed')}")
            self.refresh_feeds(self._store, only, self.feed_articles, self._store_read_at)

    @work(thread=True, group="refresh", exit_on_error=False, description="refreshing the feeds")
    def refresh_feeds(
        self,
        store: FeedStore | None,
        only: str | None,
        shown: list[Article],
        read_at: datetime | None,
    ) -> None:
        """Read the subscriptions again, refresh them (or the feed `only`), then read what
        the store gained or changed since it was read at `read_at` (None: all of it), by this
        refresh or by another nieuwslezer, into the articles `shown`."""
        from reader.feeds.names import store_feed_names
        from reader.feeds.refresh import refresh_feeds
        from reader.feeds.store import StoreError

        worker = get_current_worker()
        started = datetime.now(UTC)
        from reader.feeds.reading import read_feeds

        read = read_feeds(store, now=started)
        self.post_message(FeedsOpened(read, opening=False))
        if read.store is None:
            problem = "The feed store cannot be used; press d." if read.subscriptions else None
            self.post_message(RefreshFinished([], None, read.names, problem=problem))
            return
        chosen = [s for s in read.subscriptions if only is None or s.url == only]
        outcomes: list[FeedOutcome] = []
        stop = lambda: worker.is_cancelled  # noqa: E731 - the app is quitting
        wanted = None if only is None else {only}  # named among all: unique names
        # Pruned by read_feeds above, without waiting; if another program was writing, that
        # is tried again later (FeedsOpened): the refresh never waits for it.
        refreshing = refresh_feeds(
            read.subscriptions, read.store, read.settings, started, stop, only=wanted, prune=False
        )
        try:
            for outcome in refreshing:
                outcomes.append(outcome)
                self.post_message(FeedRefreshed(outcome, len(outcomes), len(chosen)))
        except StoreError as error:  # the store as a whole could not be read
            self.post_message(RefreshFinished(outcomes, None, read.names, problem=str(error)))
            return
        if worker.is_cancelled:
            return
        problem = None if chosen or only is None else "That feed is no longer subscribed."
        if not read.subscriptions:
            problem = NO_FEEDS
        try:
            names = store_feed_names(read.subscriptions, read.store)
            reading = datetime.now(UTC)
            since = None if read_at is None else read_at - STORE_LAG
            fresh = read.store.articles(changed_since=since, names=names, light=True)
        except StoreError as error:
            self.post_message(RefreshFinished(outcomes, None, read.names, problem=str(error)))
            return
        # Each feed as it is named now that every title is known (the lines said earlier
        # gave the address of those whose name could still change).
        outcomes = [
            replace(o, name=names.get(o.subscription.url, o.name), name_final=True)
            for o in outcomes
        ]
        oldest_kept = started - timedelta(days=read.settings.keep_days)
        articles, appeared = merged(fresh, shown, oldest_kept, names)
        self.post_message(
            RefreshFinished(outcomes, articles, names, appeared, problem, read_at=reading)
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Besides LoadingMixin's handler, which notifies failures: Textual calls both.
        if event.worker.group == "refresh" and event.state in ENDED_BADLY:
            self._refresh_progress(None)  # else every later r and R would wait for it
        if event.worker.group == "feeds" and event.state in ENDED_BADLY:
            # Opened as far as it went (R reads the feeds again), and the failure in `d`.
            self.feeds_loading, self._feeds_opened = False, True
            if event.state is WorkerState.ERROR:
                error = event.worker.error
                failure = make_visible(f"reading the feeds: {type(error).__name__}: {error}")
                self._store_failed(failure, notify=False)  # LoadingMixin's handler notifies

    def _refresh_progress(self, progress: str | None) -> None:
        self.refresh_progress = progress
        self._update_counts()

    def on_feed_refreshed(self, message: FeedRefreshed) -> None:
        outcome = message.outcome
        url = outcome.subscription.url
        if outcome.reason is None:
            self.feed_failures.pop(url, None)
        else:
            self.feed_failures[url] = outcome.reason
        self._refresh_progress(f"{message.done} / {plural(message.total, 'feed')}")

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        from reader.feeds.refresh import Status

        self._refresh_progress(None)
        if message.articles is not None:
            self._source_names, self._store_read_at = message.names, message.read_at
            self._replace_feed_articles(message.articles)
            self.refresh_bindings()
        failed = [o for o in message.outcomes if o.status is Status.FAILED]
        refreshed = {o.subscription.url for o in message.outcomes}
        self.feed_diagnostics = [d for d in self.feed_diagnostics if d.file not in refreshed]
        # Not asked (its server asked to wait) is no fault of the feed's: a warning.
        self.feed_diagnostics += [
            Diagnostic(
                o.subscription.url,
                0,
                feed_failure(o),
                Severity.ERROR if o.asked else Severity.WARNING,
            )
            for o in failed
        ]
        # Read anyway, but something was off (malformed XML): worth a look, not an alarm.
        self.feed_diagnostics += [
            Diagnostic(o.subscription.url, 0, f"{o.name}: {note}", Severity.WARNING)
            for o in message.outcomes
            for note in o.notes
        ]
        if not message.outcomes:
            problem = make_visible(message.problem) if message.problem else NO_FEEDS
            self.notify(problem, title="Feeds", markup=False)
            return
        went_wrong = message.problem or any(o.asked for o in failed)
        self.notify(
            refresh_summary(message),
            title="Feeds refreshed",
            severity="warning" if went_wrong else "information",
            markup=False,
        )

    def action_refresh_all(self) -> None:
        self._refresh(None)

    def action_refresh_source(self) -> None:
        """The feed of the source on show, else of the article in the reading pane."""
        feed = self.chosen_feed
        if feed in (ALL_SOURCES, STARRED):
            shown = self.reader.shown
            feed = shown.feed if isinstance(shown, Article) else None
        if feed is None:
            self.notify("Choose a feed first (s), or press R to refresh them all.", markup=False)
            return
        self._refresh(feed)

    def action_sources(self) -> None:
        from reader.ui.screens import sources_screen

        pages = len(self.corpus.articles) if self.shows_pages else 0
        subscribed = {subscription.url for subscription in self._subscriptions}
        starred = len(self._starred) if self.library is not None else None  # LibraryMixin's
        choices = source_choices(
            self.feed_articles, pages, subscribed, self._source_names, self.feed_failures, starred
        )
        self.push_screen(sources_screen(choices, self.chosen_feed), self._choose_source)

    def _choose_source(self, choice: SourceChoice | None) -> None:
        if choice is not None:
            self.show_source(choice.feed)

    def show_source(self, feed: str | None) -> None:
        """List the articles of the feed at address `feed` (ALL_SOURCES: all; None: pages)."""
        self.chosen_feed = feed
        self._show_articles()
        self._open(self.articles.highlighted)
        self.articles.focus()

    def is_feed(self, address: str) -> bool:
        """Whether `address` is a feed's: subscribed to, or one that stored articles came from."""
        return address in self._source_names or address in self.feed_failures


ENDED_BADLY = frozenset({WorkerState.ERROR, WorkerState.CANCELLED})

FEED_ACTIONS = frozenset({"sources", "refresh_source", "refresh_all", "open_link"})
