"""config.toml in the user's config folder: one table per part of the program.

Each part reads its own table (`[translation]`, `[feeds]`) through `config_table`, which
reports problems as messages naming the file instead of failing: a broken config file must
never keep the reader from starting.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
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
