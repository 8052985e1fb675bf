"""`nieuwslezer feeds ...`: the feeds followed (add, list, remove, import, export, presets).

Nothing here goes on the network: every `feeds` subcommand works on feeds.toml and the store
on disk (which it never creates). The fetching modules (requests, feedparser) are imported by
`refresh` alone, so these commands start as quickly as the rest of the command line.

A feed is named as the reader shows it (subscriptions.feed_names: unique, where two feeds share
a title), and `remove` takes any name `list` shows. Subscribing to a feed again forgets its
validators, so that the next refresh fetches it whole: its items may have been removed since.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from reader.commands.common import EXIT_FAILED, EXIT_OK, nothing_subscribed, report
from reader.feeds.store import FeedState, FeedStore, StoreError, default_store_path
from reader.feeds.subscriptions import (
    PRESETS,
    Subscription,
    SubscriptionError,
    add_subscription,
    add_subscriptions,
    feed_names,
    load_subscriptions,
    parse_opml,
    remove_subscription,
    resolve,
    to_opml,
)
from reader.present import plural
from reader.text import make_visible

Command = Callable[[argparse.Namespace], int]


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="nieuwslezer feeds",
        description="Manage the feeds nieuwslezer follows (feeds.toml in the config folder). "
        "Nothing here goes on the network: `nieuwslezer refresh` fetches.",
    )
    commands = parser.add_subparsers(metavar="COMMAND", required=True)

    def command(name: str, run: Command, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(run=run, parser=sub)
        return sub

    add = command("add", _add, "subscribe to a feed by its address or a preset's name")
    add.add_argument("feed", metavar="URL|NAME", help="http(s) address, or a preset: nos, nu, ...")
    add.add_argument("--title", help="the name to show instead of the feed's own title")
    command("list", _list, "every subscription, with what the store holds of it")
    remove = command(
        "remove", _remove, "unsubscribe by address, preset name, or the name `list` shows"
    )
    remove.add_argument("feed", metavar="URL|NAME|TITLE")
    import_ = command("import", _import, "subscribe to every feed in an OPML file")
    import_.add_argument("file", metavar="FILE.opml", type=Path)
    command("export", _export, "write the subscriptions as OPML 2.0 to stdout")
    command("presets", _presets, "the preset names and their addresses")
    args = parser.parse_args(argv)
    run: Command = args.run
    try:
        return run(args)
    except SubscriptionError as error:
        report(str(error))
        return EXIT_FAILED


def _add(args: argparse.Namespace) -> int:
    # An address or name that can never be subscribed to is a usage error (exit 2); a
    # feeds.toml that cannot be changed is a failure (exit 1), raised by add_subscription.
    try:
        resolve(args.feed)
    except SubscriptionError as error:
        args.parser.error(make_visible(str(error)))
    if args.title is not None and not args.title.strip():
        args.parser.error("--title must not be empty")
    subscription, is_new = add_subscription(args.feed, title=args.title)
    if is_new:
        print(f"added {_described(subscription)}; `nieuwslezer refresh` fetches it")
        _forget_validators([subscription])
    else:
        print(f"already subscribed to {make_visible(subscription.url)}")
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    subscriptions, problems = load_subscriptions()
    report(*problems)
    if not subscriptions:
        return nothing_subscribed(problems)
    states, counts, titles, store_problem = _stored_states(subscriptions)
    names = feed_names(subscriptions, titles)
    rows = [_list_row(s, names[s.url], states.get(s.url), counts) for s in subscriptions]
    for line in _aligned(rows):
        print(line)
    if store_problem:
        report(store_problem)
        return EXIT_FAILED
    return EXIT_OK


def _stored_states(
    subscriptions: Sequence[Subscription],
) -> tuple[dict[str, FeedState], dict[str, int], dict[str, str], str | None]:
    """What the store knows of each feed, its items per feed address, the channel titles by
    address, and why the store was not read. Never creates the store."""
    states: dict[str, FeedState] = {}
    counts: dict[str, int] = {}
    titles: dict[str, str] = {}
    if not default_store_path().exists():
        return states, counts, titles, None
    try:
        with FeedStore.open() as store:
            counts = store.feed_counts()
            titles = store.channel_titles()
            for subscription in subscriptions:
                state = store.feed_state(subscription.url)
                if state is not None:
                    states[subscription.url] = state
    except StoreError as error:
        return states, counts, titles, str(error)
    return states, counts, titles, None


def _list_row(
    subscription: Subscription, name: str, state: FeedState | None, counts: dict[str, int]
) -> tuple[str, ...]:
    """Name, address, and what the store knows: items, last fetch, last error."""
    if name == subscription.url:
        name = "(no title yet)"
    if state is None or state.last_fetched is None:
        return name, subscription.url, "never fetched"
    items = counts.get(subscription.url, 0)
    stored = f"{plural(items, 'item')}, fetched {_local_time(state.last_fetched)}"
    if state.last_error:
        stored += f", last error: {state.last_error}"
    return name, subscription.url, stored


def _remove(args: argparse.Namespace) -> int:
    subscriptions, _ = load_subscriptions()  # its problems: remove_subscription refuses them
    _, _, titles, store_problem = _stored_states(subscriptions)
    if store_problem:  # found by address, preset or given title all the same
        report(store_problem)
    removed = remove_subscription(args.feed, channel_titles=titles)
    print(f"removed {_described(removed)}")
    if not store_problem:
        _forget_validators([removed])
    return EXIT_OK


def _forget_validators(subscriptions: Sequence[Subscription]) -> None:
    """Make the next fetch of these feeds a full one: a feed subscribed to again may have
    lost items to the retention meanwhile, which a conditional GET would never bring back."""
    if not subscriptions or not default_store_path().exists():
        return
    try:
        with FeedStore.open() as store:
            store.forget_validators([subscription.url for subscription in subscriptions])
    except StoreError as error:
        # The subscriptions changed all the same: said, but not a failure of the command.
        report(f"{error}; for a feed stored before, `nieuwslezer refresh --full` fetches it whole")


def _import(args: argparse.Namespace) -> int:
    file: Path = args.file
    try:
        data = file.read_bytes()
    except OSError as error:
        report(f"{file}: cannot be read ({error.strerror or error})")
        return EXIT_FAILED
    found, problems = parse_opml(data, str(file))
    report(*problems)
    if not found:
        return EXIT_FAILED
    added = add_subscriptions(found)
    for subscription in added:
        print(f"added {_described(subscription)}")
    _forget_validators(added)
    summary = f"{file}: {len(added)} added, {len(found) - len(added)} already subscribed"
    if problems:
        summary += f", {plural(len(problems), 'problem')} (on stderr)"
    print(make_visible(summary))
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    subscriptions, problems = load_subscriptions()
    # A feed without a title of its own is named by its channel title, once fetched, so the
    # reader that imports the file shows names rather than addresses.
    _, _, titles, store_problem = _stored_states(subscriptions)
    named = [replace(s, title=s.title or titles.get(s.url)) for s in subscriptions]
    report(*problems, *([store_problem] if store_problem else []))
    # The document declares UTF-8, whatever the terminal's encoding.
    sys.stdout.buffer.write(to_opml(named).encode("utf-8"))
    sys.stdout.buffer.flush()
    # Feeds left out of a backup must not pass unnoticed in a script.
    return EXIT_FAILED if problems else EXIT_OK


def _presets(args: argparse.Namespace) -> int:
    rows = [(name, preset.url, preset.title or "") for name, preset in PRESETS.items()]
    for line in _aligned(rows):
        print(line)
    return EXIT_OK


def _described(subscription: Subscription) -> str:
    if subscription.title is None:
        return make_visible(subscription.url)
    return make_visible(f"{subscription.title} ({subscription.url})")


def _aligned(rows: Sequence[tuple[str, ...]]) -> list[str]:
    """Rows of equal length as lines in columns, the last not padded; control chars escaped."""
    cells = [[make_visible(cell) for cell in row] for row in rows]
    widths = [max(len(cell) for cell in column) for column in zip(*cells, strict=True)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in cells
    ]


def _local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
