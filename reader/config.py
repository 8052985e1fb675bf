"""config.toml in the user's config folder: one table per part of the program.

Each part reads its own table (`[translation]`, `[feeds]`) through `config_table`, which
reports problems as messages naming the file instead of failing: a broken config file must
never keep the reader from starting.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from reader.files import file_problem, read_optional_file
from reader.model import Value
from reader.paths import config_dir

CONFIG_FILE = "config.toml"
CONFIG_MAX_BYTES = 1 << 20  # a config file of a few settings is a few hundred bytes


def default_config_path() -> Path:
    return config_dir() / CONFIG_FILE


def config_table(
    name: str, known_keys: Iterable[str], path: Path | None = None
) -> tuple[dict[str, object], list[str]]:
    """The known keys of table `name`, and the problems found reading them."""
    path = path or default_config_path()
    known = set(known_keys)
    try:  # a FIFO named config.toml would block the start for ever: regular files only
        data = read_optional_file(path, CONFIG_MAX_BYTES)
    except OSError as error:
        return {}, [f"{path}: not read ({file_problem(error)}); using the defaults"]
    if data is None:
        return {}, []
    import tomllib  # here: without a config file the reader starts without it

    try:
        table = tomllib.loads(data.decode("utf-8")).get(name, {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        return {}, [f"{path}: not read ({error}); using the defaults"]
    if not isinstance(table, dict):  # `feeds = 5` rather than a [feeds] table
        problem = f"{name} must be a table, [{name}] (not {shown(table)})"
        return {}, [f"{path}: {problem}; using the defaults"]
    values = {key: value for key, value in table.items() if key in known}
    unknown = sorted(set(table) - known)
    problems = [f"{path}: unknown keys in [{name}]: {', '.join(unknown)}"] if unknown else []
    return values, problems


def shown(value: object) -> str:
    """A setting's value as a message quotes it: as TOML writes a bool, else its repr, cut
    short (a value may be a string of megabytes)."""
    text = str(value).lower() if isinstance(value, bool) else repr(value)
    return text if len(text) <= _LONGEST_SHOWN else text[: _LONGEST_SHOWN - 1] + "…"


_LONGEST_SHOWN = 60


_set = object.__setattr__  # frozen: fields set as a dataclass sets them


class NumberRange(Value):
    """The values a number setting may take: from `low` to `high` `unit`, whole or not.

    Bounded because a setting is untrusted too: 0.5 days of retention read as 0 emptied the
    feed store, and 1e300 seconds or days overflow the libraries they are handed to."""

    __slots__ = ("high", "low", "unit", "whole")

    low: int
    high: int
    unit: str  # "days", "seconds", "feeds"
    whole: bool

    def __init__(self, low: int, high: int, unit: str, whole: bool = True) -> None:
        _set(self, "low", low)
        _set(self, "high", high)
        _set(self, "unit", unit)
        _set(self, "whole", whole)

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
        expected = f"{kind} of {self.unit} from {self.low} to {self.high}"
        return default, f"{where} must be {expected} (not {shown(value)}); using {default:g}"

    def _number(self, value: object) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if not self.low <= value <= self.high:  # false for NaN and infinity too
            return None
        if self.whole:
            return int(value) if value == int(value) else None
        return float(value)


TIMEOUT_SECONDS = NumberRange(1, 120, "seconds", whole=False)  # a feed's or a translation's
