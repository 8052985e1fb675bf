"""Which translation backend, from (first found wins) the command line, the environment, the
config file, and the defaults. Keys are kept out of every message and repr."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from reader.config import TIMEOUT_SECONDS, config_table, default_config_path, shown
from reader.model import Value
from reader.translate.result import BackendError
from reader.web_links import web_link_problem

if TYPE_CHECKING:
    from reader.translate.backends import Backend

BACKENDS = ("google", "libre")

ENVIRONMENT = {
    "backend": "NIEUWSLEZER_TRANSLATOR",
    "url": "NIEUWSLEZER_TRANSLATOR_URL",
    "api_key": "NIEUWSLEZER_TRANSLATOR_KEY",
    "timeout": "NIEUWSLEZER_TRANSLATOR_TIMEOUT",
}


class ConfigError(Exception):
    """The settings cannot give a working backend; the message says which and why."""


_set = object.__setattr__  # frozen: fields set as a dataclass sets them


class TranslationSettings(Value):
    __slots__ = ("api_key", "backend", "timeout", "unusable", "url")

    backend: str
    url: str | None
    api_key: str | None
    timeout: float
    # Why the config file or the environment give no translator (said at start). Then each
    # paragraph fails saying so: a mistake in config.toml must not keep the reader from
    # starting, nor send the text to another service than the one meant.
    unusable: str | None

    def __init__(
        self,
        backend: str = "google",
        url: str | None = None,
        api_key: str | None = None,
        timeout: float = 10.0,
        unusable: str | None = None,
    ) -> None:
        _set(self, "backend", backend)
        _set(self, "url", url)
        _set(self, "api_key", api_key)
        _set(self, "timeout", timeout)
        _set(self, "unusable", unusable)

    def __repr__(self) -> str:  # without the API key: a secret, kept out of logs and errors
        return (
            f"TranslationSettings(backend={self.backend!r}, url={self.url!r}, "
            f"timeout={self.timeout!r}, unusable={self.unusable!r})"
        )

    def make_backend(self) -> Backend:
        """The backend these settings give; ConfigError when the command line's choice
        cannot give one (a usage error)."""
        if self.unusable:
            return NoTranslator(self.unusable)
        if problem := self.problem():
            raise ConfigError(problem)
        # Imported here: the reader reads its settings at start-up, and backends only on `t`.
        from reader.translate.backends import GoogleBackend, LibreBackend

        if self.backend == "google":
            return GoogleBackend(timeout=self.timeout, url=self.url)
        assert self.url is not None  # checked by problem()
        return LibreBackend(url=self.url, api_key=self.api_key, timeout=self.timeout)

    def problem(self) -> str | None:
        """Why these settings give no backend, else None."""
        if self.url and (problem := web_link_problem(self.url)):
            return f"the translator address {self.url!r} is not usable: {problem}"
        if self.backend == "libre" and not self.url:
            return (
                "the libre translator needs the address of a LibreTranslate server: "
                "--translator-url URL, NIEUWSLEZER_TRANSLATOR_URL or url in the config file"
            )
        if self.backend not in BACKENDS:
            return f"unknown translator {self.backend!r}; choose one of {BACKENDS}"
        return None


class NoTranslator(Value):
    """The backend of settings that give none: every paragraph fails, saying why."""

    __slots__ = ("name", "why")

    why: str
    name: str

    def __init__(self, why: str, name: str = "none") -> None:
        _set(self, "why", why)
        _set(self, "name", name)

    def translate(self, text: str, source: str, target: str) -> str:
        raise BackendError(f"no translator: {self.why}", retryable=False, sent=False)


def load_settings(
    *,
    backend: str | None = None,
    url: str | None = None,
    config_path: Path | None = None,
) -> tuple[TranslationSettings, list[str]]:
    """The settings, and the problems found reading them, each naming its key or variable.

    A time-out or key of the wrong type or out of range is said with what is used instead. A
    backend or address of the config file or the environment that gives no translator turns
    translation off, said too; the command line's choice is checked by make_backend instead."""
    config_path = config_path or default_config_path()
    values, problems = config_table("translation", ENVIRONMENT, config_path)
    where = {key: f"{config_path}: [translation] {key}" for key in values}
    for key, variable in ENVIRONMENT.items():
        if os.environ.get(variable):
            values[key], where[key] = os.environ[variable], variable
    checked: dict[str, object] = {}
    no_translator: list[str] = []  # what leaves no backend to use
    for key, value in values.items():
        usable, problem = _checked(key, value, where[key])
        if usable is not None:
            checked[key] = usable
        if problem and key in ("backend", "url"):
            no_translator.append(problem)
        elif problem:
            problems.append(problem)
    if backend:
        checked["backend"] = backend
    if url:
        checked["url"] = url
    settings = TranslationSettings(**checked)  # type: ignore[arg-type]
    if backend or url:  # the command line's choice: make_backend says what is wrong with it
        return settings, problems + no_translator
    if not no_translator and settings.backend == "libre" and not settings.url:
        no_translator.append(
            f'{where["backend"]} is "libre", which needs the address of a LibreTranslate '
            f"server: url in [translation] or {ENVIRONMENT['url']}"
        )
    if not no_translator:
        return settings, problems
    problems += [f"{problem}; nothing is translated until it is fixed" for problem in no_translator]
    # Said again by each paragraph, where the folder of config.toml would only be in the way.
    why = "; ".join(no_translator).replace(str(config_path), config_path.name)
    return replace(settings, unusable=why), problems


def _checked(key: str, value: object, where: str) -> tuple[object, str | None]:
    """`value` of setting `key` if it is one, else None (or the default) and the problem."""
    if key == "timeout":
        from_environment = where == ENVIRONMENT["timeout"]
        return TIMEOUT_SECONDS.check(value, where, 10, text=from_environment)
    if key == "backend":
        if isinstance(value, str) and value.strip().lower() in BACKENDS:
            return value.strip().lower(), None
        return None, f'{where} must be "google" or "libre" (not {shown(value)})'
    if key == "url":
        why = web_link_problem(value) if isinstance(value, str) else None
        if isinstance(value, str) and why is None:
            return value, None
        detail = f": {why}" if why else ""
        return None, f"{where} must be an http:// or https:// address (not {shown(value)}{detail})"
    if isinstance(value, str):  # api_key
        return value, None
    # Its kind, not its value: a key is kept out of every message, also one written as 1234.
    kind = _KINDS.get(type(value).__name__, "another kind of value")
    return None, f"{where} must be text in quotes (not {kind}); using none"


# A TOML value's kind, by its Python type's name.
_KINDS = {
    "bool": "true or false",
    "int": "a number",
    "float": "a number",
    "list": "a list",
    "dict": "a table",
    "datetime": "a date",
    "date": "a date",
    "time": "a time",
}
