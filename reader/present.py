"""How model values read in the interface's English: ages, agencies, places in files.

Plain functions of the core, so the UI only lays out what these return.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from reader.agencies import agency_name
from reader.model import Age, Article, Dateline
from reader.resources import seeds_dir


def short_age(age: Age | None) -> str:
    """A compact age for a list column: "21m", "5h", "2d", "105w"; a clock time as written."""
    if age is None:
        return "?"
    if age.minutes is None:
        return age.text
    if age.minutes < 60:
        return f"{age.minutes}m"
    if age.minutes < 1440:
        return f"{age.minutes // 60}h"
    if age.minutes < 100 * 1440:
        return f"{age.minutes // 1440}d"
    return f"{age.minutes // 10080}w"  # still four columns at most


def long_age(age: Age | None) -> str:
    """An age as a sentence: "21 minutes ago", "yesterday", "at 14:05"."""
    if age is None:
        return "age unknown"
    minutes = age.minutes
    if minutes is None:
        return f"at {age.text}"
    if minutes == 1440 and "gisteren" in age.text.lower():
        return "yesterday"
    for size, unit in ((10080, "week"), (1440, "day"), (60, "hour")):
        if minutes >= size and minutes % size == 0:
            count = minutes // size
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    # Not a round number (a feed article's age): whole days or hours say enough.
    if minutes >= 2 * 1440:
        return f"{minutes // 1440:,} days ago"
    if minutes >= 120:
        return f"{minutes // 60} hours ago"
    return f"{minutes} minute{'' if minutes == 1 else 's'} ago"


def age_since(published: datetime | None, now: datetime | None = None) -> Age | None:
    """How old a feed article is, as the ticker's ages are (for `short_age`)."""
    if published is None:
        return None
    minutes = int(((now or datetime.now(UTC)) - published).total_seconds() // 60)
    return Age(published.strftime("%H:%M"), max(minutes, 0))


def published_text(published: datetime | None) -> str:
    """A feed article's date in the reader's time zone: "Mon 23 Nov 2026, 15:04"."""
    if published is None:
        return "date unknown"
    return published.astimezone().strftime("%a %d %b %Y, %H:%M")


def dating_note(article: Article) -> str:
    """What the reading pane adds to a feed article's date when the feed's own date was not
    used: a date in the future (the article counts from its fetch), or none at all."""
    if article.dated_ahead is not None:
        ahead = published_text(article.dated_ahead)
        return f"; the feed dates it {ahead}, in the future, so it counts from when it was fetched"
    if article.published is None and article.fetched is not None:
        return f"; fetched {published_text(article.fetched)}"
    return ""


def agency_names(dateline: Dateline | None) -> str:
    """The agencies named as readers know them: "ANP, Reuters, AFP"."""
    return ", ".join(agency_name(code) for code in dateline.agencies) if dateline else ""


def display_path(file: str) -> str:
    """A file as a reader wants to see it: the bare name for the bundled samples, relative to
    the current folder when inside it, else as given."""
    path = Path(file).absolute()
    if path.parent == seeds_dir():
        return path.name
    if path.is_relative_to(Path.cwd()):
        return str(path.relative_to(Path.cwd()))
    return file


def where_from(article: Article) -> str:
    """Where an article comes from, as the reading pane says it: its web page; for a feed
    article without one, its feed and that; for a page, its file and line."""
    if article.link:
        return article.link
    if article.feed is not None:
        return f"feed {article.feed} · no web page"
    return f"{display_path(article.file)}, line {article.line}"


def plural(count: int, noun: str) -> str:
    """ "1 article", "100,005 articles"."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
