"""`nieuwslezer [PATH ...]`: start the reader (the TUI) on page files, or the samples and feeds.

Textual is imported only when the reader starts, inside `run`, so this module stays core.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from reader.commands.common import EXIT_USAGE, paths_or_samples, report, report_nothing_read
from reader.resources import seeds_dir


def run(
    paths: Sequence[str],
    *,
    backend: str | None,
    url: str | None,
    usage_error: Callable[[str], NoReturn],
    samples: bool = False,
    fresh: bool = False,
) -> int:
    """Load the translation settings and run the reader until it quits; its exit code.

    Without paths the reader shows the stored feed articles, and the samples while there are
    none (always with `samples`, which also adds them to paths). The session saved last
    (where the user left off) is restored, unless `fresh`. A translation setting that
    cannot work goes to `usage_error` (the parser's: exit code 2). Nothing is
    drawn when standard input or output is not a terminal (exit code 2), nor when none of
    the paths holds a page (exit code 1; when some do, the reader lists the others' problems).
    """
    not_a_terminal = _not_a_terminal()
    if not_a_terminal:
        report(
            f"the reader needs a terminal: {not_a_terminal}; in a script or a pipe, "
            "`nieuwslezer export [PATH ...]` writes the articles as JSON Lines"
        )
        return EXIT_USAGE
    # Starting the reader makes many objects that all stay alive: looking among them for
    # garbage cycles only delays the first frame (~20 ms). The app turns collection back on
    # once that frame is painted.
    gc.disable()
    from reader.corpus import why_nothing_to_read
    from reader.translate.config import load_settings

    settings, problems = load_settings(backend=backend, url=url)
    # What make_backend would refuse, checked without building the backend: its module, and
    # HTTP's with it, are imported on the first `t`, not on the way to the first frame.
    if not settings.unusable and (problem := settings.problem()):
        usage_error(problem)
    # With --samples there is always something to read: the bad paths are listed in `d`.
    if paths and not samples and (unreadable := why_nothing_to_read(paths)) is not None:
        return report_nothing_read(unreadable)
    from reader.ui.app import run_reader

    pages = paths_or_samples(paths)
    if samples and paths:
        pages.append(seeds_dir())
    return run_reader(
        pages,
        settings,
        problems,
        feeds=not paths,
        samples_until_feeds=not paths and not samples,
        restore=not fresh,
    )


# The driver textual-serve runs each browser tab's reader with (`nieuwslezer serve`): its
# input and output are pipes to the server, which frames them for the page.
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


def _not_a_terminal() -> str | None:
    """Which of standard input and output is not a terminal, said for the user; None if both
    are. The reader cannot run without them: Textual would start and spin, waiting for keys.
    Under textual-serve's web driver it needs none: pipes are what that driver talks over."""
    if os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER:
        return None
    streams = {"input": sys.stdin, "output": sys.stdout}
    names = [name for name, stream in streams.items() if stream is None or not stream.isatty()]
    if not names:
        return None
    if len(names) == 2:
        return "its standard input and output are not terminals"
    return f"its standard {names[0]} is not one"
