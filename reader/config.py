"""config.toml in the user's config folder: one table per part of the program.

Each part reads its own table (`[translation]`, `[feeds]`) through `config_table`, which
reports problems as messages naming the file instead of failing: a broken config file must
never keep the reader from starting.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reader.paths import config_dir

CONFIG_FILE = "config.toml"


def default_config_path() -> Path:
    return config_dir() / CONFIG_FILE


def config_table(
    name: str, known_keys: Iterable[str], path: Path | None = None
) -> tuple[dict[str, object], list[str]]:
    """The known keys of table `name`, and the problems found reading them."""
    path = path or default_config_path()
    known = set(known_keys)
    if not path.exists():
        return {}, []
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get(name, {})
        values = {key: value for key, value in table.items() if key in known}
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError, AttributeError) as error:
        return {}, [f"{path}: not read ({error}); using the defaults"]
    unknown = sorted(set(table) - known)
    problems = [f"{path}: unknown keys in [{name}]: {', '.join(unknown)}"] if unknown else []
    return values, problems


@dataclass(frozen=True, slots=True)
class NumberRange:
    """The values a number setting may take: from `low` to `high` `unit`, whole or not.

    Bounded because a setting is untrusted too: 0.5 days of retention read as 0 emptied the
    feed store, and 1e300 seconds or days overflow the libraries they are handed to."""

    low: int
    high: int
    unit: str  # "days", "seconds", "feeds"
    whole: bool = True

    def check(
        self, value: object, where: str, default: float, *, text: bool = False
    ) -> tuple[float, str | None]:
        """`value` if it is in range (an int if whole), else `default` and the problem: "`where`
        must be a whole number of days from 1 to 36500 (not 0.5); using 90". With `text`
        (an environment variable) a string is read as a number; in TOML it is none, nor a bool."""
        if text and isinstance(value, str):
            try:
                number = self._number(float(value))
            except ValueError:
                number = None
        else:
            number = self._number(value)
        if number is not None:
            return number, None
        kind = "a whole number" if self.whole else "a number"
        shown = str(value).lower() if isinstance(value, bool) else repr(value)
        expected = f"{kind} of {self.unit} from {self.low} to {self.high}"
        return default, f"{where} must be {expected} (not {shown}); using {default:g}"

    def _number(self, value: object) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if not self.low <= value <= self.high:  # false for NaN and infinity too
            return None
        if self.whole:
            return int(value) if value == int(value) else None
        return float(value)


TIMEOUT_SECONDS = NumberRange(1, 120, "seconds", whole=False)  # a feed's or a translation's
