"""The messages the reader's feed workers send (reader/ui/feeds.py handles them), and what
the reader says of them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.message import Message

from reader.model import Article
from reader.present import plural
from reader.text import make_visible

if TYPE_CHECKING:  # the core is imported in the workers
    from reader.feeds.reading import FeedsRead
    from reader.feeds.refresh import FeedOutcome
    from reader.feeds.settings import FeedSettings


class FeedsOpened(Message):
    """The feeds as read when the reader opens, or again at the start of a refresh."""

    def __init__(self, read: FeedsRead, opening: bool) -> None:
        super().__init__()
        self.read = read
        self.opening = opening


class FeedArticlesLoaded(Message):
    """Stored feed articles, newest first: all of them when `complete`, else the newest."""

    def __init__(
        self,
        articles: list[Article],
        complete: bool,
        read_at: datetime | None = None,
        problem: str | None = None,
    ) -> None:
        super().__init__()
        self.articles = articles
        self.complete = complete
        self.read_at = read_at  # when reading the store began
        self.problem = problem  # what could not be read of the store, if anything


class FeedRefreshed(Message):
    """One feed of a refresh is done (`done` of `total`)."""

    def __init__(self, outcome: FeedOutcome, done: int, total: int) -> None:
        super().__init__()
        self.outcome = outcome
        self.done = done
        self.total = total


class RefreshFinished(Message):
    """A refresh is over: every stored article, newest first (None: the store could not be
    read), with the names they show under; `appeared` of them were not shown before."""

    def __init__(
        self,
        outcomes: list[FeedOutcome],
        articles: list[Article] | None,
        names: dict[str, str],
        appeared: int = 0,
        problem: str | None = None,
        read_at: datetime | None = None,
    ) -> None:
        super().__init__()
        self.outcomes = outcomes
        self.articles = articles
        self.names = names
        self.appeared = appeared
        self.problem = problem  # why nothing was refreshed, or the store not read again
        self.read_at = read_at  # when the store was read for `articles`


class StorePruned(Message):
    """A removal of the articles older than the settings keep, tried again: how many it
    removed, that it is still to be done (`later`: the store is still busy), or why it
    removed nothing on purpose (`skipped`: the starred articles could not be read)."""

    def __init__(self, removed: int, later: bool, skipped: str | None = None) -> None:
        super().__init__()
        self.removed = removed
        self.later = later
        self.skipped = skipped


def refresh_summary(message: RefreshFinished) -> str:
    """What a refresh did, in a line: the feeds that failed told apart from those not asked
    (their server asked to wait), as `nieuwslezer refresh` tells them."""
    outcomes = message.outcomes
    failed = sum(outcome.reason is not None and outcome.asked for outcome in outcomes)
    not_asked = sum(not outcome.asked for outcome in outcomes)
    if len(outcomes) == 1:  # its line says what went wrong
        summary = outcomes[0].summary()
    else:
        new = sum(outcome.new_items for outcome in outcomes)
        summary = f"{plural(new, 'new article')} from {plural(len(outcomes), 'feed')}"
    others = message.appeared - sum(outcome.new_items for outcome in outcomes)
    if others > 0:
        summary += f"; {plural(others, 'more article')} from the store (fetched elsewhere)"
    if len(outcomes) > 1 and (failed or not_asked):
        said = [f"{failed:,} failed"] if failed else []
        if not_asked:
            their = "its" if not_asked == 1 else "their"
            said.append(f"{not_asked:,} not asked: {their} server asked to wait")
        count, rest = said[0].split(" ", 1)  # "1 feed failed, 4 not asked: …"
        said[0] = f"{count} {'feed' if count == '1' else 'feeds'} {rest}"
        summary += "; " + ", ".join(said)
    if message.problem:
        summary += f". {make_visible(message.problem).rstrip('.')}"
    if failed or not_asked:
        summary += ". Press d for the list"
    return summary + "."


def removed_notice(count: int, settings: FeedSettings) -> str:
    return (
        f"{plural(count, 'stored article')} older than {plural(settings.keep_days, 'day')}"
        " removed (keep_days in config.toml)."
    )


def feed_failure(outcome: FeedOutcome) -> str:
    """A failed feed as a diagnostic's message (the diagnostic's file is the address)."""
    if outcome.name == outcome.subscription.url:
        return str(outcome.reason)
    return f"{outcome.name}: {outcome.reason}"
