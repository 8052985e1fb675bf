"""Feeds in the reader: FeedsMixin (the store read in a worker, refreshes, the sources, `o`),
the messages its workers send, and the choice of source.

The feed core (reader/feeds) is imported inside the workers, so the first frame never waits
for requests or feedparser.
"""

from __future__ import annotations

import gc
import heapq
from datetime import datetime
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.worker import Worker, WorkerState, get_current_worker

from reader.browser import can_open_browser, open_in_browser
from reader.model import Article, Diagnostic, Severity
from reader.present import plural
from reader.text import make_visible
from reader.ui.sources import ALL_SOURCES, SourceChoice, source_choices

if TYPE_CHECKING:  # the core is imported in the workers
    from reader.feeds.refresh import FeedOutcome
    from reader.feeds.settings import FeedSettings
    from reader.feeds.store import FeedStore
    from reader.feeds.subscriptions import Subscription


class FeedArticlesLoaded(Message):
    """Stored feed articles, newest first: all of them when `complete`, else the newest."""

    def __init__(self, articles: list[Article], complete: bool) -> None:
        super().__init__()
        self.articles = articles
        self.complete = complete


class FeedRefreshed(Message):
    """One feed of a refresh is done (`done` of `total`)."""

    def __init__(self, outcome: FeedOutcome, done: int, total: int) -> None:
        super().__init__()
        self.outcome = outcome
        self.done = done
        self.total = total


class RefreshFinished(Message):
    """A refresh is over; `added` are the articles it stored, newest first."""

    def __init__(self, outcomes: list[FeedOutcome], added: list[Article], now: datetime) -> None:
        super().__init__()
        self.outcomes = outcomes
        self.added = added
        self.now = now


class FeedsOpened(Message):
    """The subscriptions, the store (None without one) and the settings, read in a worker."""

    def __init__(
        self,
        store: FeedStore | None,
        subscriptions: list[Subscription],
        names: dict[str, str],
        settings: FeedSettings,
        problems: list[Diagnostic],
    ) -> None:
        super().__init__()
        self.store = store
        self.subscriptions = subscriptions
        self.names = names  # a feed's address -> the source its articles show as
        self.settings = settings
        self.problems = problems


def merged(added: list[Article], known: list[Article], now: datetime) -> list[Article]:
    """Articles a refresh added merged into those shown, newest first, each story once.

    An undated article sorts as if published when it was stored, as the store orders it;
    one just added was stored `now`."""
    guids = {article.guid for article in added}
    kept = [article for article in known if article.guid not in guids]
    return list(
        heapq.merge(added, kept, key=lambda a: a.published or now, reverse=True),
    )


class FeedsMixin:
    """The reader's feed behaviour: reading the store, refreshing, the sources, `o`.

    A part of ReaderApp (which it is mixed into), kept apart so that app.py stays about the
    panes and keys; messages are handled by their on_* names.
    """

    def _init_feeds(self, *, enabled: bool) -> None:
        # Feeds join the sample corpus when the reader opens with no PATH; the subscriptions
        # and the store are read in a worker, and with neither nothing at all happens.
        self.feeds_enabled = enabled
        self.feed_articles: list[Article] = []
        self.source = ALL_SOURCES  # the source the article list shows
        self.feed_failures: dict[str, str] = {}  # a feed's address -> why its refresh failed
        self.feeds_loading = False  # the stored articles are being read
        self._feed_names: dict[str, str] = {}  # a feed's address -> the source it shows as
        self.feed_diagnostics: list[Diagnostic] = []
        self.refresh_progress: str | None = None  # "2 / 5 feeds" while refreshing
        self._subscriptions: list[Subscription] = []
        self._feed_settings: FeedSettings | None = None
        self._store: FeedStore | None = None

    @work(thread=True, exclusive=True, group="feeds", exit_on_error=False)
    def open_feeds(self) -> None:
        """Read the subscriptions and the stored articles (the UI refreshes once they are in).

        With no subscriptions and no store this reads one small file and sends nothing."""
        from reader.feeds.settings import load_feed_settings
        from reader.feeds.store import FeedStore, StoreError, default_store_path
        from reader.feeds.subscriptions import default_subscriptions_path, load_subscriptions

        subscriptions, problems = load_subscriptions()
        settings, setting_problems = load_feed_settings()
        diagnostics = [
            Diagnostic(str(default_subscriptions_path()), 0, problem)
            for problem in [*problems, *setting_problems]
        ]
        if not subscriptions and not default_store_path().exists():
            self.post_message(FeedsOpened(None, [], {}, settings, diagnostics))
            return
        try:
            store = FeedStore.open()
            store.prune(settings.keep_days)  # also when no refresh comes to do it
            names = {s.url: _name_from_store(s, store) for s in subscriptions}
        except StoreError as error:
            diagnostics.append(Diagnostic(str(default_store_path()), 0, str(error), Severity.ERROR))
            self.post_message(FeedsOpened(None, [], {}, settings, diagnostics))
            return
        self.post_message(FeedsOpened(store, subscriptions, names, settings, diagnostics))
        articles: list[Article] = []
        for batch in store.iter_articles():
            first = not articles
            articles.extend(batch)
            if first:  # the newest at once; the rest in one go, not a list rebuilt per batch
                self.post_message(FeedArticlesLoaded(list(articles), complete=False))
        self.post_message(FeedArticlesLoaded(articles, complete=True))

    def on_feeds_opened(self, message: FeedsOpened) -> None:
        self._store, self._subscriptions = message.store, message.subscriptions
        self._feed_names, self._feed_settings = message.names, message.settings
        if message.problems:
            self.feed_diagnostics += message.problems
            self.notify(
                f"{plural(len(message.problems), 'problem')} with the feeds. Press d for the list.",
                title="Feeds",
                severity="warning",
                markup=False,
            )
        if message.store is not None:
            self.feeds_loading = True
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The feed keys only where there are feeds: without, the reader is as it was."""
        if action in FEED_ACTIONS:
            return self.feeds_active
        return True

    @property
    def feeds_active(self) -> bool:
        return self.feeds_enabled and bool(self._subscriptions or self.feed_articles)

    def on_feed_articles_loaded(self, message: FeedArticlesLoaded) -> None:
        self._replace_feed_articles(message.articles)
        self.refresh_bindings()
        if message.complete:
            self.feeds_loading = False
            gc.freeze()  # as for the corpus: 100,000 articles made full collections slow
            settings = self._feed_settings
            if self._subscriptions and settings is not None and settings.refresh_on_start:
                self._refresh(self._subscriptions)

    def _replace_feed_articles(self, articles: list[Article]) -> None:
        """Show these feed articles; the article being read stays where it is in the list.

        Only a reader still on the first sample page, as the reader opened, is taken to the
        newest feed article: the samples are what shows until the feeds are in."""
        first = self.articles.highlighted
        opened_as_started = self.articles.cursor == 0 and (first is None or first.source is None)
        self.feed_articles = articles
        self._show_articles()
        if opened_as_started:
            self.articles.cursor = 0
            self._open(self.articles.highlighted)
        elif self.reader.shown is None:  # an empty source that now has articles
            self._open(self.articles.highlighted)
        self._update_counts()

    def _refresh(self, subscriptions: list[Subscription]) -> None:
        """Refresh these feeds in a worker; one refresh at a time, once the store is read."""
        if not self.feeds_enabled:
            self.notify("Feeds are shown when nieuwslezer opens with no PATH.", markup=False)
        elif not subscriptions or self._store is None:
            self.notify(
                "No feeds to refresh: add one with  nieuwslezer feeds add nos", markup=False
            )
        elif self.feeds_loading:
            self.notify("The stored articles are still loading; a moment.", markup=False)
        elif self.refresh_progress is not None:
            self.notify("A refresh is under way.", markup=False)
        else:
            self._refresh_progress(f"0 / {len(subscriptions)} feeds")
            self.refresh_feeds(self._store, subscriptions, self._feed_settings)

    @work(thread=True, group="refresh", exit_on_error=False)
    def refresh_feeds(
        self, store: FeedStore, subscriptions: list[Subscription], settings: FeedSettings | None
    ) -> None:
        from datetime import UTC, datetime

        from reader.feeds.refresh import refresh_feeds

        worker = get_current_worker()
        started = datetime.now(UTC)
        outcomes: list[FeedOutcome] = []
        stop = lambda: worker.is_cancelled  # noqa: E731 - the app is quitting
        for outcome in refresh_feeds(subscriptions, store, settings, started, stop):
            outcomes.append(outcome)
            self.post_message(FeedRefreshed(outcome, len(outcomes), len(subscriptions)))
        if not worker.is_cancelled:
            added = store.articles(fetched_since=started)
            self.post_message(RefreshFinished(outcomes, added, started))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Besides LoadingMixin's handler, which reports failures: Textual calls both.
        if event.worker.group == "refresh" and event.state in ENDED_BADLY:
            self._refresh_progress(None)  # else every later r and R would wait for it

    def _refresh_progress(self, progress: str | None) -> None:
        self.refresh_progress = progress
        self._update_counts()

    def on_feed_refreshed(self, message: FeedRefreshed) -> None:
        outcome = message.outcome
        url = outcome.subscription.url
        self._feed_names[url] = outcome.name
        if outcome.reason is None:
            self.feed_failures.pop(url, None)
        else:
            self.feed_failures[url] = outcome.reason
        self._refresh_progress(f"{message.done} / {message.total} feeds")

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        from reader.feeds.refresh import Status

        self._refresh_progress(None)
        self._replace_feed_articles(merged(message.added, self.feed_articles, message.now))
        failed = [o for o in message.outcomes if o.status is Status.FAILED]
        refreshed = {o.subscription.url for o in message.outcomes}
        self.feed_diagnostics = [d for d in self.feed_diagnostics if d.file not in refreshed]
        self.feed_diagnostics += [
            Diagnostic(o.subscription.url, 0, _feed_failure(o), Severity.ERROR) for o in failed
        ]
        # Read anyway, but something was off (malformed XML): worth a look, not an alarm.
        self.feed_diagnostics += [
            Diagnostic(o.subscription.url, 0, f"{o.name}: {note}", Severity.WARNING)
            for o in message.outcomes
            for note in o.notes
        ]
        if len(message.outcomes) == 1:
            summary = message.outcomes[0].summary()
        else:
            summary = f"{plural(len(message.added), 'new article')} from "
            summary += plural(len(message.outcomes), "feed")
        if failed:
            summary += f"; {plural(len(failed), 'feed')} failed. Press d for the list."
        self.notify(
            summary, title="Feeds refreshed", severity="warning" if failed else "information",
            markup=False,
        )  # fmt: skip

    def action_refresh_all(self) -> None:
        self._refresh(self._subscriptions)

    def action_refresh_source(self) -> None:
        """The feed of the source on show, else of the article in the reading pane."""
        source = self.source
        if source == ALL_SOURCES:
            shown = self.reader.shown
            source = shown.source if isinstance(shown, Article) else None
        if source is None:
            self.notify("Choose a feed first (s), or press R to refresh them all.", markup=False)
            return
        names = self._feed_names
        self._refresh([s for s in self._subscriptions if names.get(s.url) == source])

    def failures_by_name(self) -> dict[str, str]:
        """Why each failing feed failed, by the source name its articles show."""
        return {self._feed_names.get(url, url): why for url, why in self.feed_failures.items()}

    def action_sources(self) -> None:
        from reader.ui.screens import sources_screen

        every = [*self.feed_articles, *self.corpus.articles]
        choices = source_choices(every, self.failures_by_name())
        self.push_screen(sources_screen(choices, self.source), self._choose_source)

    def _choose_source(self, choice: SourceChoice | None) -> None:
        if choice is None:
            return
        self.source = choice.source
        self._show_articles()
        self._open(self.articles.highlighted)
        self.articles.focus()

    def action_open_link(self) -> None:
        shown = self.reader.shown
        link = shown.link if isinstance(shown, Article) else None
        if link is None:
            self.notify("This article has no web page: it comes from a saved file.", markup=False)
            return
        if can_open_browser():
            self.open_in_browser(link)
        else:
            self.copy_to_clipboard(link)
            self.notify(
                make_visible(f"No graphical web browser here; copied to the clipboard: {link}"),
                markup=False,
            )

    @work(thread=True, group="browser", exit_on_error=False)
    def open_in_browser(self, link: str) -> None:
        opened = open_in_browser(link)
        message = f"Opened {link}" if opened else f"No web browser could open {link}"
        self.call_from_thread(self.notify, make_visible(message), markup=False)


ENDED_BADLY = frozenset({WorkerState.ERROR, WorkerState.CANCELLED})

FEED_ACTIONS = frozenset({"sources", "refresh_source", "refresh_all", "open_link"})


def _name_from_store(subscription: Subscription, store: FeedStore) -> str:
    from reader.feeds.subscriptions import feed_name  # in the worker: the core loads lazily

    state = store.feed_state(subscription.url)
    return feed_name(subscription, state.title if state else None)


def _feed_failure(outcome: FeedOutcome) -> str:
    """A failed feed as a diagnostic's message (the diagnostic's file is the address)."""
    if outcome.name == outcome.subscription.url:
        return str(outcome.reason)
    return f"{outcome.name}: {outcome.reason}"
