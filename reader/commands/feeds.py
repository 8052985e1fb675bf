"""`nieuwslezer feeds ...`: the feeds followed (add, list, remove, import, export, presets).

Nothing here goes on the network: every `feeds` subcommand works on feeds.toml and the store
on disk (which it never creates). The fetching modules (requests, feedparser) are imported by
`refresh` alone, so these commands start as quickly as the rest of the command line.

A feed is named as the reader shows it (names.store_feed_names: unique, where two feeds share
a title), and `remove` takes any name `list` shows. Subscribing to a feed again forgets its
validators, so that the next refresh fetches it whole: its items may have been removed since.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
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
from reader.files import FileTooLarge, file_problem, read_regular_file
from reader.present import plural
from reader.text import make_visible

Command = Callable[[argparse.Namespace], int]
# What Python makes of bytes of a command-line argument that are not UTF-8: lone surrogates.
_NOT_UTF8 = re.compile("[\ud800-\udfff]")


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
    if args.title is not None and _NOT_UTF8.search(args.title):  # no file can hold those
        args.parser.error(f"--title '{make_visible(args.title)}' holds bytes that are not UTF-8")
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
    stored = _stored_states(subscriptions)
    if stored.problem:  # first: the rows below lack all that the store would have said
        report(stored.problem)
    if stored.read_only:  # read all the same (damaged: as far as it could be)
        report(stored.read_only)
    rows = [_list_row(s, stored) for s in subscriptions]
    for line in _aligned(rows):
        print(line)
    return EXIT_FAILED if stored.problem or stored.damaged else EXIT_OK


@dataclass
class _Stored:
    """What the store knows of the feeds subscribed to, by address; `problem`: why it could
    not be read (then it knows nothing)."""

    states: dict[str, FeedState] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # items per feed
    titles: dict[str, str] = field(default_factory=dict)  # channel titles
    names: dict[str, str] = field(default_factory=dict)  # as the reader shows them
    problem: str | None = None
    read_only: str | None = None  # why the store, read, cannot be written (if so)
    damaged: bool = False  # it is damaged: what it knows is what could be read of it


def _stored_states(subscriptions: Sequence[Subscription]) -> _Stored:
    """What the store knows of each feed subscribed to. Never creates the store."""
    stored = _Stored(names=feed_names(subscriptions, {}))
    if not default_store_path().exists():
        return stored
    try:
        with FeedStore.open_to_read() as store:
            counts, titles = store.feed_counts(), store.channel_titles()
            names = feed_names(subscriptions, titles, counts)  # as store_feed_names does
            states = {s.url: store.feed_state(s.url) for s in subscriptions}
            read_only, damaged = store.cannot_write, store.damage is not None
    except StoreError as error:
        stored.problem = str(error)
        return stored
    known = {url: state for url, state in states.items() if state is not None}
    return _Stored(known, counts, titles, names, read_only=read_only, damaged=damaged)


def _list_row(subscription: Subscription, stored: _Stored) -> tuple[str, ...]:
    """Name, address, and what the store knows: items, last fetch, last error."""
    url = subscription.url
    name = stored.names[url]
    if stored.problem:  # neither its channel's title nor its fetches are known
        return (name if name != url else "(title unknown)"), url, "store not read"
    if name == url:
        name = "(no title yet)"
    state = stored.states.get(url)
    if state is None or state.last_fetched is None:
        return name, url, "never fetched"
    items = stored.counts.get(url, 0)
    fetched = f"{plural(items, 'item')}, fetched {_local_time(state.last_fetched)}"
    if state.last_error:
        fetched += f", last error: {state.last_error}"
    return name, url, fetched


def _remove(args: argparse.Namespace) -> int:
    subscriptions, _ = load_subscriptions()  # its problems: remove_subscription refuses them
    stored = _stored_states(subscriptions)
    if stored.problem:  # found by address, preset or given title all the same
        report(stored.problem)
    removed = remove_subscription(args.feed, channel_titles=stored.titles)
    print(f"removed {_described(removed)}")
    if not stored.problem:
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


# An OPML list of a thousand feeds is some 200 KB; more than this is no list of feeds
# (/dev/zero, a disk image), and is refused before it fills the memory.
OPML_MAX_BYTES = 16 * 1024 * 1024


def _import(args: argparse.Namespace) -> int:
    file: Path = args.file
    try:  # a regular file only: a FIFO would block for ever, /dev/zero never end
        data = read_regular_file(file, OPML_MAX_BYTES)
    except FileTooLarge:
        report(
            f"{file}: refused: over {OPML_MAX_BYTES // 2**20} MB, far more than any list of feeds"
        )
        return EXIT_FAILED
    except OSError as error:
        report(f"{file}: cannot be read ({file_problem(error)})")
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
    stored = _stored_states(subscriptions)
    named = [replace(s, title=s.title or stored.titles.get(s.url)) for s in subscriptions]
    report(*problems, *([stored.problem] if stored.problem else []))
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
