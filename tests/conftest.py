"""Shared test helpers: the sample corpus, and the nieuwslezer command as a user runs it."""

from __future__ import annotations

import shutil
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


def installed_script(name: str) -> str | None:
    """A console script installed beside this Python (the test venv's), else on PATH."""
    script = Path(sys.executable).parent / name
    return str(script) if script.exists() else shutil.which(name)


def nieuwslezer_command() -> list[str]:
    """The installed console script as a user runs it, else the module."""
    script = installed_script("nieuwslezer")
    return [script] if script else [sys.executable, "-m", "reader.cli"]


@pytest.fixture
def seed_texts() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(autouse=True)
def _private_cache_and_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test reads the user's config or writes the user's translation cache, feed store,
    library or search index. A MonkeyPatch of its own: a test's `monkeypatch.undo()` undoes
    the test's patches, never these (it once sent a test's read marks to the user's library)."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as private:
        private.setenv("NIEUWSLEZER_CACHE_DIR", str(home / "cache"))
        private.setenv("NIEUWSLEZER_CONFIG_DIR", str(home / "config"))
        private.setenv("NIEUWSLEZER_DATA_DIR", str(home / "data"))
        for variable in (
            "NIEUWSLEZER_TRANSLATOR",
            "NIEUWSLEZER_TRANSLATOR_URL",
            "NIEUWSLEZER_TRANSLATOR_KEY",
        ):
            private.delenv(variable, raising=False)
        yield


_LOOPBACK_PREFIXES = ("127.", "::1", "localhost")


@pytest.fixture(autouse=True)
def _no_network_but_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the internet: a connection elsewhere than 127.0.0.1 fails at once.

    In this process the socket refuses; in the processes tests start, HTTP goes through a
    proxy address where nothing listens, loopback excepted."""
    real_connect = socket.socket.connect

    def loopback_only(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else str(address)
        if self.family in (socket.AF_INET, socket.AF_INET6) and not str(host).startswith(
            _LOOPBACK_PREFIXES
        ):
            raise ConnectionRefusedError(f"tests may not connect to {host}")
        real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", loopback_only)
    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(variable, "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
