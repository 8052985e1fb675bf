"""The core never imports Textual: it must stay usable and testable without a terminal."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE_MODULES = [
    "reader.model",
    "reader.parse",
    "reader.corpus",
    "reader.export",
    "reader.text",
    "reader.agencies",
    "reader.resources",
    "reader.cli",
    "reader.present",
    "reader.annotate_cli",
    "reader.highlight",
    "reader.highlight.claims",
    "reader.translate.service",
    "reader.translate.cache",
    "reader.translate.config",
    "reader.translate.backends",
    "reader.translate.detect",
]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module: str) -> None:
    code = (
        f"import sys, {module};"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_translation_libraries_load_on_first_use_only() -> None:
    """deep-translator and langdetect cost about 0.3 s: not at start-up, only when translating."""
    code = (
        "import sys, reader.cli, reader.ui.app;"
        "print(sorted(m for m in sys.modules"
        " if m.split('.')[0] in ('deep_translator', 'langdetect')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
