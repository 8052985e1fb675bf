"""Shared test helpers: the sample corpus, and the nieuwslezer command as a user runs it."""

from __future__ import annotations

import shutil
import sys
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
