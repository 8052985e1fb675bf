"""The core never imports Textual: it must stay usable and testable without a terminal.

And starting the command line loads neither the feed modules nor what they need.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

READER_FEED_MODULES = [
    "reader.feeds.subscriptions",
    "reader.feeds.html_text",
    "reader.feeds.parse",
    "reader.feeds.fetch",
    "reader.feeds.store",
    "reader.feeds.schema",
    "reader.feeds.reading",
    "reader.feeds.refresh",
    "reader.feeds.tombstones",
    "reader.feeds.feed_row",
    "reader.feeds.store_rows",
    "reader.feeds.peek",
    "reader.commands.feeds",
    "reader.commands.refresh",
]

CORE_MODULES = [
    "reader.model",
    "reader.parse",
    "reader.corpus",
    "reader.files",
    "reader.export",
    "reader.export_state",
    "reader.sqlite_files",
    "reader.text",
    "reader.gc_pause",
    "reader.closing",
    "reader.agencies",
    "reader.resources",
    "reader.cli",
    "reader.commands.common",
    "reader.commands.read",
    "reader.commands.export",
    "reader.commands.annotate",
    "reader.commands.cache",
    "reader.present",
    "reader.browser",
    "reader.matching",
    "reader.highlight",
    "reader.highlight.claims",
    "reader.translate.service",
    "reader.translate.cache",
    "reader.translate.config",
    "reader.translate.backends",
    "reader.translate.detect",
    "reader.connections",
    "reader.library",
    "reader.library.keys",
    "reader.library.db",
    "reader.library.state",
    "reader.library.session",
    "reader.library.peek",
    "reader.library.tokens",
    "reader.library.query",
    "reader.library.search_docs",
    "reader.library.index",
    "reader.library.feed_index",
    "reader.library.search",
    "reader.commands.search",
    "reader.commands.serve",
    "reader.commands.serve_server",
    *READER_FEED_MODULES,
]

# What only fetching feeds and reading the store need; `import reader.cli` (every start of the
# reader) must not pay for them: the subcommands that use them import them when they run.
LOADED_ON_FIRST_FEED_USE = [
    "requests",
    "urllib3",
    "feedparser",
    "sqlite3",
    "reader.connections",  # translation's too, imported when the first paragraph is
    *READER_FEED_MODULES,
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


def test_the_command_line_loads_the_feed_modules_on_first_use_only() -> None:
    loaded = f"sorted(m for m in {LOADED_ON_FIRST_FEED_USE!r} if m in sys.modules)"
    code = f"import sys, reader.cli; print({loaded})"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
