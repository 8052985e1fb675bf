"""Which feeds the reader follows: presets, feeds.toml in the config folder, OPML in and out.

feeds.toml holds one `[[feed]]` table per subscription, with its `url` and optionally a
`title`. It is read with tomllib and written by hand (no TOML writer is needed for two keys),
atomically, so an interrupted write never leaves half a file. A file that cannot be read
whole is never rewritten: adding or removing then fails with the problem, rather than
replacing what the user wrote with what could be understood of it.

OPML is parsed with expat, the parser under xml.etree, with a handler that refuses any
document type declaration: OPML has none, and a DTD is what entity expansion attacks
("billion laughs") and external entities need.
"""

from __future__ import annotations

import contextlib
import html
import itertools
import json
import os
import re
import tempfile
import tomllib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit
from xml.parsers import expat

from reader.files import file_problem, read_optional_file
from reader.paths import config_dir
from reader.text import CONTROL_CHARACTERS, make_visible
from reader.web_links import WEB_SCHEMES, web_link_problem

SUBSCRIPTIONS_FILE = "feeds.toml"
SUBSCRIPTIONS_MAX_BYTES = 16 << 20  # a thousand feeds take some 100 KB


@dataclass(frozen=True, slots=True)
class Subscription:
    url: str
    title: str | None = None  # None: the feed's channel title is shown


PRESETS: dict[str, Subscription] = {
    "nos": Subscription("https://feeds.nos.nl/nosnieuwsalgemeen", "NOS Nieuws"),
    "nos-buitenland": Subscription("https://feeds.nos.nl/nosnieuwsbuitenland"),
    "nos-binnenland": Subscription("https://feeds.nos.nl/nosnieuwsbinnenland"),
    "nu": Subscription("https://www.nu.nl/rss/Algemeen", "NU.nl"),
    "nu-buitenland": Subscription("https://www.nu.nl/rss/Buitenland"),
}


def feed_name(subscription: Subscription, channel_title: str | None) -> str:
    """A feed's own name: the title the user gave, else its channel's title (from its last
    fetch), else its address. Not unique: two feeds may share a title; see feed_names."""
    return subscription.title or channel_title or subscription.url


def feed_names(
    subscriptions: Sequence[Subscription],
    channel_titles: Mapping[str, str],
    stored_feeds: Iterable[str] = (),
) -> dict[str, str]:
    """The name each feed shows as, by address: its own name (feed_name), unique among them.

    `channel_titles`: the stored channel titles by address (FeedStore.channel_titles()).
    `stored_feeds`: addresses of feeds with stored articles (FeedStore.feed_counts()); those
    no longer subscribed to are named too, after the subscriptions, whose names they never
    change. Feeds that share a name (ignoring case) are each told apart by their host, "NOS
    Nieuws (www.nos.nl)", else by their address without its scheme, "NOS Nieuws
    (feeds.nos.nl/nosnieuwsalgemeen)"; the same feeds always get the same names.
    """
    subscribed = [subscription.url for subscription in subscriptions]
    others = sorted(set(stored_feeds) - set(subscribed))
    own = {url: feed_name(Subscription(url), channel_titles.get(url)) for url in others}
    own |= {s.url: feed_name(s, channel_titles.get(s.url)) for s in subscriptions}
    holders: dict[str, list[str]] = {}
    for url, name in own.items():
        holders.setdefault(name.casefold(), []).append(url)
    # Each clashing group's hosts, read and counted once: by feed it would cost the square
    # of the group (a refresh of 300 feeds of one title took 21 s).
    host_of: dict[str, str | None] = {}
    hosts: dict[str, Counter[str | None]] = {}
    names: dict[str, str] = {}
    taken: set[str] = set()  # folded, as all comparisons of names
    had_earlier: set[str] = set()  # the own names of the subscriptions, for the others
    for feeds in (subscribed, others):
        count = Counter(own[url].casefold() for url in feeds)
        kept = {
            url
            for url in feeds
            if count[own[url].casefold()] == 1 and own[url].casefold() not in had_earlier
        }
        taken |= {own[url].casefold() for url in kept}
        for url in feeds:
            name = own[url]
            if url not in kept:
                folded = name.casefold()
                if folded not in hosts:
                    host_of |= {other: _host(other) for other in holders[folded]}
                    hosts[folded] = Counter(host_of[other] for other in holders[folded])
                host = host_of[url]
                name = next(
                    candidate
                    for candidate in _distinct_names(name, url, host, hosts[folded][host])
                    if candidate.casefold() not in taken
                )
                taken.add(name.casefold())
            names[url] = name
        had_earlier |= count.keys()
    return names


def _distinct_names(name: str, url: str, host: str | None, sharing_host: int) -> Iterator[str]:
    """`name` with what tells `url` apart from the other addresses of its group, the shortest
    first: its `host` (when no other of the group has it: `sharing_host` counts the group's
    addresses on it), then the address without its scheme, then all of it, then a number."""
    if host and sharing_host == 1:
        yield f"{name} ({host})"
    yield f"{name} ({(url.partition('://')[2] or url).rstrip('/')})"
    yield f"{name} ({url})"
    yield from (f"{name} ({number})" for number in itertools.count(2))


def _host(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:  # an address stored by an older nieuwslezer: told apart otherwise
        return None


class SubscriptionError(Exception):
    """A subscription cannot be made, found or saved; the message says why."""


def default_subscriptions_path() -> Path:
    return config_dir() / SUBSCRIPTIONS_FILE


def resolve(url_or_name: str) -> Subscription:
    """A preset by name ("nos"), else an http(s) URL as a subscription without a title."""
    wanted = url_or_name.strip()
    preset = PRESETS.get(wanted.lower())
    if preset is not None:
        return preset
    problem = web_link_problem(wanted)
    if problem is None:
        return Subscription(wanted)
    # Why, for what was meant as an address: "http://h/a b" looks like one but holds a space.
    meant = f": as an address, {problem}" if _looks_like_address(wanted) else ""
    raise SubscriptionError(
        f"'{make_visible(url_or_name)}' is neither a feed address (http:// or https://) nor a"
        f" preset{meant};"
        f" presets: {', '.join(PRESETS)}"
    )


def load_subscriptions(path: Path | None = None) -> tuple[list[Subscription], list[str]]:
    """The subscriptions in feeds.toml, in file order, and problems naming the file.

    No file means no subscriptions and no problem. A file that is not valid TOML gives no
    subscriptions; a bad entry is left out and reported, the others are kept.
    """
    path = path or default_subscriptions_path()
    try:  # regular files only: a FIFO named feeds.toml would block for ever
        data = read_optional_file(path, SUBSCRIPTIONS_MAX_BYTES)
    except OSError as error:
        return [], [f"{path}: cannot be read ({file_problem(error)})"]
    if data is None:
        return [], []
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return [], [f"{path}: cannot be read ({error})"]
    problems = [
        f"{path}: unknown key {key!r} (nieuwslezer would drop it when saving)"
        for key in document
        if key != "feed"
    ]
    entries = document.get("feed", [])
    if not isinstance(entries, list):
        return [], [*problems, f"{path}: 'feed' must be [[feed]] tables"]
    subscriptions: list[Subscription] = []
    urls: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        subscription, problem = _entry(entry)
        if subscription is None:
            problems.append(f"{path}: feed {number}: {problem}")
        elif subscription.url not in urls:  # a feed listed twice is followed once
            urls.add(subscription.url)
            subscriptions.append(subscription)
    return subscriptions, problems


def save_subscriptions(subscriptions: Sequence[Subscription], path: Path | None = None) -> None:
    """Write feeds.toml atomically: the old file stays whole until the new one replaces it."""
    path = path or default_subscriptions_path()
    lines = [
        "# The feeds nieuwslezer follows: one [[feed]] table each, with its url and,",
        "# optionally, a title. nieuwslezer rewrites this file when feeds are added or removed.",
    ]
    for subscription in subscriptions:
        lines += ["", "[[feed]]", f"url = {_toml_string(subscription.url)}"]
        if subscription.title is not None:
            lines.append(f"title = {_toml_string(subscription.title)}")
    try:
        _write_atomically(path, "\n".join(lines) + "\n")
    except OSError as error:
        raise SubscriptionError(f"{path}: cannot be written ({error})") from error


def add_subscriptions(
    subscriptions: Iterable[Subscription], path: Path | None = None
) -> list[Subscription]:
    """Add those not yet subscribed (by exact URL); returns the ones added."""
    path = path or default_subscriptions_path()
    current = _load_for_change(path)
    known = {subscription.url for subscription in current}
    added: list[Subscription] = []
    for subscription in subscriptions:
        if subscription.url not in known:
            known.add(subscription.url)
            added.append(subscription)
    if added:
        save_subscriptions([*current, *added], path)
    return added


def add_subscription(
    url_or_name: str, *, title: str | None = None, path: Path | None = None
) -> tuple[Subscription, bool]:
    """Subscribe to a preset or URL; returns the subscription and whether it is new."""
    subscription = resolve(url_or_name)
    if title is not None:
        subscription = replace(subscription, title=title)
    return subscription, bool(add_subscriptions([subscription], path))


def remove_subscription(
    wanted: str, path: Path | None = None, channel_titles: Mapping[str, str] | None = None
) -> Subscription:
    """Unsubscribe from the feed `wanted` names (see find_subscription); returns it."""
    path = path or default_subscriptions_path()
    current = _load_for_change(path)
    removed = find_subscription(current, wanted, channel_titles or {})
    save_subscriptions([subscription for subscription in current if subscription != removed], path)
    return removed


def find_subscription(
    subscriptions: Sequence[Subscription], wanted: str, channel_titles: Mapping[str, str]
) -> Subscription:
    """The subscription `wanted` names, as `feeds list` shows it: its address, a preset's
    name, the name it shows as (feed_names), or its title or its channel's title where only
    one feed has it; any case. SubscriptionError if none or several."""
    wanted = wanted.strip()
    by_url = {subscription.url: subscription for subscription in subscriptions}
    preset = PRESETS.get(wanted.lower())
    for url in (wanted, preset.url if preset else None):
        if url in by_url:
            return by_url[url]
    folded = wanted.casefold()
    names = feed_names(subscriptions, channel_titles)
    for subscription in subscriptions:
        if names[subscription.url].casefold() == folded:
            return subscription
    matches = [
        subscription
        for subscription in subscriptions
        if any(
            title is not None and title.casefold() == folded
            for title in (subscription.title, channel_titles.get(subscription.url))
        )
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise SubscriptionError(f"not subscribed to '{make_visible(wanted)}'")
    listed = ", ".join(f"{names[s.url]!r} ({s.url})" for s in matches)
    raise SubscriptionError(
        f"'{make_visible(wanted)}' is the title of several feeds: {listed}; name one by its"
        " address or by the name `nieuwslezer feeds list` shows"
    )


def parse_opml(data: bytes, file: str) -> tuple[list[Subscription], list[str]]:
    """The feeds in an OPML document: outlines with an xmlUrl at any depth, in order.

    Problems name `file`. A document with a DTD is refused before anything is expanded.
    """
    parser = expat.ParserCreate()
    reader = _OpmlReader(parser, file)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.StartElementHandler = reader.start
    try:
        parser.Parse(data, True)
    except _Refused as refusal:
        return [], [f"{file}: {refusal}"]
    except expat.ExpatError as error:
        return [], [f"{file}: not well-formed XML ({error})"]
    if not reader.subscriptions and not reader.problems:
        reader.problems.append(f"{file}: no feeds in it (outlines with an xmlUrl)")
    return reader.subscriptions, reader.problems


def to_opml(subscriptions: Iterable[Subscription], title: str = "nieuwslezer feeds") -> str:
    """OPML 2.0 that other readers import; parse_opml reads it back the same."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        f"    <title>{html.escape(_xml_text(title), quote=False)}</title>",
        "  </head>",
        "  <body>",
    ]
    for subscription in subscriptions:
        # OPML 2.0 requires `text`; without a title the address is the best there is, and
        # parse_opml reads a title equal to the address back as no title.
        text = subscription.title if subscription.title is not None else subscription.url
        title_attribute = (
            f' title="{_xml_attribute(subscription.title)}"'
            if subscription.title is not None
            else ""
        )
        lines.append(
            f'    <outline type="rss" text="{_xml_attribute(text)}"{title_attribute}'
            f' xmlUrl="{_xml_attribute(subscription.url)}"/>'
        )
    lines += ["  </body>", "</opml>"]
    return "\n".join(lines) + "\n"


def _looks_like_address(text: str) -> bool:
    return text.partition(":")[0].lower() in WEB_SCHEMES


def _entry(entry: object) -> tuple[Subscription | None, str | None]:
    """A [[feed]] table as a subscription, or what is wrong with it."""
    if not isinstance(entry, dict):
        return None, "not a table"
    url, title = entry.get("url"), entry.get("title")
    unknown = sorted(set(entry) - {"url", "title"})
    if unknown:
        return None, f"unknown keys {unknown} (nieuwslezer would drop them when saving)"
    if not isinstance(url, str):
        return None, f"url {url!r} is not a string"
    if problem := web_link_problem(url):
        return None, f"url {url!r} is not a feed address: {problem}"
    if title is not None and not isinstance(title, str):
        return None, f"title {title!r} is not a string"
    return Subscription(url, title), None


def _load_for_change(path: Path) -> list[Subscription]:
    subscriptions, problems = load_subscriptions(path)
    if problems:
        raise SubscriptionError("; ".join(problems) + f" — fix {path} first; it was left unchanged")
    return subscriptions


def _toml_string(text: str) -> str:
    # A JSON string is a TOML basic string, except that TOML wants DEL escaped too.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _write_atomically(path: Path, text: str) -> None:
    """The temporary file is removed, and its descriptor closed, whatever fails: on a full disk
    the write fails, and then the close that flushes what is left fails too."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    replaced = owned = False
    try:
        with open(descriptor, "w", encoding="utf-8", newline="\n") as file:
            owned = True  # the file object closes the descriptor from here on
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
        replaced = True
    finally:
        if not owned:
            os.close(descriptor)
        if not replaced:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


class _Refused(Exception):
    """The OPML document is refused; the message says why."""


def _refuse_doctype(
    name: str, system_id: str | None, public_id: str | None, has_internal_subset: bool
) -> None:
    raise _Refused(
        "refused: it declares a document type (<!DOCTYPE>), which OPML never needs and"
        " which can make a parser expand entities without end or read other files"
    )


class _OpmlReader:
    """Collects feed outlines as expat reports elements."""

    def __init__(self, parser: expat.XMLParserType, file: str) -> None:
        self.subscriptions: list[Subscription] = []
        self.problems: list[str] = []
        self._parser = parser
        self._file = file
        self._root_seen = False
        self._urls: set[str] = set()

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if not self._root_seen:
            self._root_seen = True
            if name != "opml":
                raise _Refused(f"not an OPML file (its root element is <{name}>)")
        if name != "outline":
            return
        # Exporters differ in case ("xmlUrl", "xmlurl"); attribute names are compared without.
        by_name = {key.lower(): value for key, value in attributes.items()}
        url = by_name.get("xmlurl", "").strip()
        if not url:
            return  # a category, or a link to a page rather than a feed
        if problem := web_link_problem(url):
            where = f"{self._file}:{self._parser.CurrentLineNumber}"
            self.problems.append(f"{where}: {url!r} left out: {problem}")
            return
        if url in self._urls:
            return
        self._urls.add(url)
        title = (by_name.get("title") or by_name.get("text") or "").strip()
        self.subscriptions.append(Subscription(url, title if title and title != url else None))


# Characters XML 1.0 cannot carry at all, not even as character references.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _xml_attribute(text: str) -> str:
    # White space as references, else a parser normalises it to spaces in an attribute; C1
    # and bidi controls too, so that `feeds export` on a terminal shows them and steers
    # nothing, and an importer reads them as they were. html rather than xml.sax.saxutils,
    # which imports urllib.request and http.client.
    escaped = html.escape(_xml_text(text), quote=True).replace("\t", "&#9;")
    return CONTROL_CHARACTERS.sub(lambda match: f"&#x{ord(match[0]):x};", escaped)
