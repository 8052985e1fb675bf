"""`nieuwslezer [PATH ...]`: start the reader (the TUI) on page files, or the samples and feeds.

Textual is imported only when the reader starts, inside `run`, so this module stays core.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from typing import NoReturn

from reader.commands.common import paths_or_samples


def run(
    paths: Sequence[str],
    *,
    backend: str | None,
    url: str | None,
    usage_error: Callable[[str], NoReturn],
) -> int:
    """Load the translation settings and run the reader until it quits; its exit code.

    Without paths the reader shows the samples and the stored feed articles. A translation
    setting that cannot work goes to `usage_error` (the parser's: exit code 2).
    """
    # Starting the reader makes many objects that all stay alive: looking among them for
    # garbage cycles only delays the first frame (~20 ms). The app turns collection back on
    # once that frame is painted.
    gc.disable()
    from reader.translate.config import ConfigError, load_settings
    from reader.ui.app import run_reader

    settings, problems = load_settings(backend=backend, url=url)
    try:
        settings.make_backend()
    except ConfigError as error:
        usage_error(str(error))
    return run_reader(paths_or_samples(paths), settings, problems, feeds=not paths)
