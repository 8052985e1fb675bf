"""The `[feeds]` table of config.toml: retention, refresh on start, time-out, parallelism.

Its own module, light to import: the reader reads it at start-up, before anything is fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reader.config import config_table

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


def load_feed_settings(path: Path | None = None) -> tuple[FeedSettings, list[str]]:
    values, problems = config_table("feeds", FeedSettings.__dataclass_fields__, path)
    defaults = FeedSettings()
    checked: dict[str, object] = {}
    for key, value in values.items():
        default = getattr(defaults, key)
        kind = type(default)
        if isinstance(value, bool) != (kind is bool) or not isinstance(value, int | float):
            problems.append(f"[feeds] {key} = {value!r} is not a {kind.__name__}; using {default}")
        elif kind is not bool and value <= 0:
            problems.append(f"[feeds] {key} must be above 0; using {default}")
        else:
            checked[key] = kind(value)
    return FeedSettings(**checked), problems  # type: ignore[arg-type]
