"""Which translation backend, from (first found wins) the command line, the environment, the
config file, and the defaults. Keys are kept out of every message and repr."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reader.config import TIMEOUT_SECONDS, config_table, default_config_path
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


@dataclass(frozen=True)
class TranslationSettings:
    backend: str = "google"
    url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 10.0

    def make_backend(self) -> Backend:
        # Imported here: the reader reads its settings at start-up, and backends only on `t`.
        from reader.translate.backends import GoogleBackend, LibreBackend

        if self.url and (problem := web_link_problem(self.url)):
            raise ConfigError(f"the translator address {self.url!r} is not usable: {problem}")
        if self.backend == "google":
            return GoogleBackend(timeout=self.timeout, url=self.url)
        if self.backend == "libre":
            if not self.url:
                raise ConfigError(
                    "the libre translator needs the address of a LibreTranslate server: "
                    "--translator-url URL, NIEUWSLEZER_TRANSLATOR_URL or url in the config file"
                )
            return LibreBackend(url=self.url, api_key=self.api_key, timeout=self.timeout)
        raise ConfigError(f"unknown translator {self.backend!r}; choose one of {BACKENDS}")


def load_settings(
    *,
    backend: str | None = None,
    url: str | None = None,
    config_path: Path | None = None,
) -> tuple[TranslationSettings, list[str]]:
    """The settings, and the problems found reading them (shown, then ignored)."""
    config_path = config_path or default_config_path()
    values, problems = config_table("translation", ENVIRONMENT, config_path)
    for key, variable in ENVIRONMENT.items():
        if os.environ.get(variable):
            values[key] = os.environ[variable]
    if backend:
        values["backend"] = backend
    if url:
        values["url"] = url
    # A bad time-out is said where it came from: the environment, else the file.
    from_environment = bool(os.environ.get(ENVIRONMENT["timeout"]))
    where = ENVIRONMENT["timeout"] if from_environment else f"{config_path}: [translation] timeout"
    timeout, problem = TIMEOUT_SECONDS.check(
        values.get("timeout", 10), where, 10, text=from_environment
    )
    problems += [problem] if problem else []
    settings = TranslationSettings(
        backend=str(values.get("backend", "google")),
        url=str(values["url"]) if values.get("url") else None,
        api_key=str(values["api_key"]) if values.get("api_key") else None,
        timeout=timeout,
    )
    return settings, problems
