"""`nieuwslezer refresh`: fetch every subscribed feed now and store its new items.

The one feed command that goes on the network; the fetching modules (requests, feedparser) are
imported once its arguments have parsed.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence

from reader.commands.common import EXIT_FAILED, EXIT_OK, nothing_subscribed, report
from reader.feeds.store import FeedStore, StoreError
from reader.feeds.subscriptions import load_subscriptions
from reader.present import plural

EXIT_INTERRUPTED = 130  # as a shell reports a command ended by Ctrl+C (128 + SIGINT)


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="nieuwslezer refresh",
        description="Fetch every subscribed feed now and store its new items: one line per "
        "feed as it finishes (failures on stderr), then a total. A server that asked to wait "
        "(Retry-After) is not asked again before then. Exit status 1 if any feed failed or was "
        "not asked. Settings: the [feeds] table of config.toml.",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="fetch every feed whole instead of asking each server only for what changed "
        "(done by itself for a feed subscribed to again, or after keep_days was raised)",
    )
    args = parser.parse_args(argv)
    from reader.feeds.refresh import Status, refresh_feeds
    from reader.feeds.settings import load_feed_settings

    subscriptions, problems = load_subscriptions()
    settings, settings_problems = load_feed_settings()
    report(*problems, *settings_problems)
    if not subscriptions:
        return nothing_subscribed(problems)
    statuses: Counter[Status] = Counter()
    not_asked = 0  # of the failed: their server asked to wait
    new_items = 0
    removed: list[int] = []  # stored items older than keep_days, removed before fetching

    def pruned(count: int, later: bool) -> None:
        removed.append(count)
        if later:  # never waited for: the feeds are refreshed all the same
            report(
                "another program is writing to the feed store: the items older than"
                f" {plural(settings.keep_days, 'day')} are removed at a later refresh"
            )

    try:
        with FeedStore.open() as store:
            outcomes = refresh_feeds(
                subscriptions,
                store,
                settings,
                full=args.full,
                on_pruned=pruned,
                on_prune_skipped=report,
            )
            for outcome in outcomes:
                statuses[outcome.status] += 1
                not_asked += not outcome.asked
                new_items += outcome.new_items
                failed = outcome.status is Status.FAILED
                print(outcome.summary(), file=sys.stderr if failed else sys.stdout, flush=True)
            stored = store.count()
    except StoreError as error:
        report(str(error))
        return EXIT_FAILED
    except KeyboardInterrupt:
        # Each feed is stored as it comes in: what was read before Ctrl+C is kept.
        report("refresh interrupted; the feeds listed above are stored")
        return EXIT_INTERRUPTED
    _index_for_search()
    waiting = f", {not_asked} not asked" if not_asked else ""
    total = (
        f"{plural(len(subscriptions), 'feed')}: {plural(new_items, 'new item')}"
        f" ({statuses[Status.NEW]} read, {statuses[Status.UNCHANGED]} unchanged,"
        f" {statuses[Status.FAILED] - not_asked} failed{waiting}); {plural(stored, 'item')}"
        " stored"
    )
    if sum(removed):
        total += f", {sum(removed):,} older than {plural(settings.keep_days, 'day')} removed"
    print(total)
    return EXIT_FAILED if statuses[Status.FAILED] else EXIT_OK


def _index_for_search() -> None:
    """What the store gained, into the search index as it is stored (else the next search or
    reader would catch up); a problem with the index is said, and the refresh stands."""
    from reader.feeds.store import default_store_path
    from reader.library.feed_index import catch_up_feeds
    from reader.library.index import SearchIndex
    from reader.library.search_docs import cached_english

    with SearchIndex.open() as index:
        if index.problem is not None:
            report(f"{index.problem}; the articles are stored, not indexed for search")
            return
        indexed = catch_up_feeds(index, default_store_path(), english=cached_english())
    if indexed.problem is not None:
        report(indexed.problem)
