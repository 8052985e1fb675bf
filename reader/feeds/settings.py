"""The `[feeds]` table of config.toml: retention, refresh on start, time-out, parallelism.

Its own module, light to import: the reader reads it at start-up, before anything is fetched.
A value out of range is reported, naming the file and the setting, and the default used: a
bad setting must never remove stored articles (`keep_days = 0.5` once read as 0 days).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reader.config import TIMEOUT_SECONDS, NumberRange, config_table, default_config_path, shown

DEFAULT_KEEP_DAYS = 90


@dataclass(frozen=True, slots=True)
class FeedSettings:
    """The `[feeds]` table of config.toml."""

    keep_days: int = DEFAULT_KEEP_DAYS  # items older than this are removed, and not stored
    refresh_on_start: bool = True  # the reader refreshes in the background when it opens
    timeout: float = 10.0  # seconds for one feed, redirects included
    # Feeds fetched at once: a whole subscription list of ordinary size in one round, so a
    # refresh costs about the slowest feed; each fetch is a thread waiting on the network.
    max_parallel: int = 20


RANGES = {
    "keep_days": NumberRange(1, 36500, "days"),  # up to a century
    "timeout": TIMEOUT_SECONDS,
    "max_parallel": NumberRange(1, 100, "feeds"),  # each a thread
}


def load_feed_settings(path: Path | None = None) -> tuple[FeedSettings, list[str]]:
    """The settings, and the problems found reading them, each naming the file."""
    path = path or default_config_path()
    values, problems = config_table("feeds", FeedSettings.__dataclass_fields__, path)
    defaults = FeedSettings()
    checked: dict[str, object] = {}
    for key, value in values.items():
        default = getattr(defaults, key)
        where = f"{path}: [feeds] {key}"
        if key in RANGES:
            checked[key], problem = RANGES[key].check(value, where, default)
        elif isinstance(value, bool):
            checked[key], problem = value, None
        else:
            problem = f"{where} must be true or false (not {shown(value)}); using {shown(default)}"
        if problem:
            problems.append(problem)
    return FeedSettings(**checked), problems  # type: ignore[arg-type]
