"""ruff lint and format hold for the whole tree."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import REPO, installed_script


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]])
def test_ruff(command: list[str]) -> None:
    ruff = installed_script("ruff")
    assert ruff, "ruff is a test dependency: pip install '.[test]'"
    result = subprocess.run([ruff, *command, str(REPO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
