"""The article the reader opens on, timed (issue 15): `python benchmarks/startup.py --landing`.

From process start to the landing article's title in the reading pane (at 100 x 30, below
the lists; the hello app: "hello" anywhere), medians over --runs rounds of every case
interleaved, against a bare Textual app (target: at most 1.5x); with --against, each other
checkout's reader on the same cases in the same rounds:

- the samples, fresh (no library: the newest unread is the first sample);
- the samples, restored (the session saved on the third sample, nothing read);
- the samples, the first sample read (the newest unread is the second);
- a store of --store-items articles: fresh (no library: the newest unread is the newest),
  seen before (a library with every item seen, none read), restored (the session saved on
  the 5,000th newest) and the newest 50 read (landing on the 51st).

A library that has seen every item, as a daily reader's has, and the search index built, as
after a first run; each run starts from a copy of its case's library (quitting saves the
session, and a run marks what it shows as read).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.feed_store import write_store
from benchmarks.installed import launched_from
from tests.terminal import Terminal

LIBRARY = "library.sqlite"
STORED_RESTORED = 5000  # the session's article: the 5,000th newest stored
STORED_READ = 50  # the newest read: landing on the 51st
SAMPLE_RESTORED = 2  # the third sample
READING_PANE = "╭─ Article "  # its border's title, at 100 columns below the lists
Case = tuple[Path, Path | None, str]  # data folder, library to copy (None: none), title


def stored_title(n: int) -> str:
    return f"Nieuwste bericht {n:06d}" if n == 0 else f"Bericht {n:06d} over de begroting"


def make_library(path: Path, keys: list[str], session: str | None = None, read: int = 0) -> Path:
    """A library that has seen `keys` (in a run before), with the session on `session` and
    the first `read` keys read."""
    from reader.library.session import Session, save_session
    from reader.library.state import Library

    path.parent.mkdir(parents=True, exist_ok=True)
    with Library.open(path) as library:
        library.begin_run()
        library.see(keys)
        if read:
            library.mark_read(keys[:read])
        if session is not None:
            save_session(library, Session(article=session, pane="articles"))
    for suffix in ("-wal", "-shm"):  # checkpointed on close; a copy needs only the file
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def sample_cases(tmp: Path, seeds: Path, name: str) -> dict[str, Case]:
    """The samples' cases of the checkout whose samples are in `seeds` (the keys of page
    articles hold their file's path), its libraries made in `tmp` / `name`."""
    from reader.corpus import find_page_files, load_found
    from reader.library.keys import article_key, ticker_key

    corpus = load_found(list(find_page_files([seeds])))
    keys = [article_key(a) for a in corpus.articles] + [ticker_key(t) for t in corpus.ticker]
    titles = [article.title for article in corpus.articles]
    data = tmp / "samples-data"
    data.mkdir(exist_ok=True)
    restored = make_library(tmp / name / "restored" / LIBRARY, keys, keys[SAMPLE_RESTORED])
    first_read = make_library(tmp / name / "read" / LIBRARY, keys, read=1)
    return {
        "samples, fresh": (data, None, titles[0]),
        "samples, restored (3rd)": (data, restored, titles[SAMPLE_RESTORED]),
        "samples, 1st read": (data, first_read, titles[1]),
    }


def store_cases(tmp: Path, items: int) -> dict[str, Case]:
    from reader.library.feed_index import catch_up_feeds
    from reader.library.index import SearchIndex

    data = tmp / "store-data"
    store = write_store(data, items)
    with SearchIndex.open(data / "search.sqlite") as index:
        catch_up_feeds(index, store)
    keys = [f"feed:guid-{n}" for n in range(items)]
    seen = make_library(tmp / "store-seen" / LIBRARY, keys)
    restored = make_library(tmp / "store-restored" / LIBRARY, keys, keys[STORED_RESTORED])
    newest_read = make_library(tmp / "store-read" / LIBRARY, keys, read=STORED_READ)
    name = f"{items:,} stored"
    return {
        f"{name}, fresh": (data, None, stored_title(0)),
        f"{name}, seen before": (data, seen, stored_title(0)),
        f"{name}, restored (5,000th)": (data, restored, stored_title(STORED_RESTORED)),
        f"{name}, newest 50 read": (data, newest_read, stored_title(STORED_READ)),
    }


def put_library(data: Path, library: Path | None) -> None:
    """The case's library in the data folder (none: a first run)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{data / LIBRARY}{suffix}").unlink(missing_ok=True)
    if library is not None:
        shutil.copyfile(library, data / LIBRARY)


def in_reading_pane(screen: str) -> str:
    """The reading pane's part of the screen (below the lists, at this width); the hello
    app's screen as it is."""
    return screen.partition(READING_PANE)[2] if READING_PANE in screen else screen


def time_to_title(argv: list[str], title: str) -> float:
    """Seconds from starting `argv` on a pty to `title` on screen; then quit it."""
    start = time.perf_counter()
    terminal = Terminal(argv)
    if not terminal.wait_for(lambda screen: title in in_reading_pane(screen), timeout=60):
        raise RuntimeError(f"never shown: {title}\n{terminal.text()}")
    elapsed = time.perf_counter() - start
    terminal.send("q")
    terminal.send("\x03")
    terminal.wait_exit(5)
    return elapsed


def landing(
    tmp: Path,
    hello: Path,
    runs: int,
    items: int,
    order: Callable[[list[str]], None],
    against: Sequence[Path] = (),
) -> None:
    """Time every case `runs` rounds, for this checkout and each of `against` (started
    alike), in an order `order` shuffles each round; print the medians."""
    this_checkout = Path(__file__).resolve().parent.parent
    readers = {
        "" if checkout == this_checkout else f"{checkout.name}: ": (
            checkout,
            launched_from(checkout),
        )
        for checkout in [this_checkout, *(path.resolve() for path in against)]
    }
    stored = store_cases(tmp, items)
    runs_of: dict[str, tuple[list[str], Path, Path | None, str]] = {}
    for number, (prefix, (checkout, argv)) in enumerate(readers.items()):
        cases = {**sample_cases(tmp, checkout / "seeds", f"samples-{number}"), **stored}
        for name, (data, library, title) in cases.items():
            command = ["env", f"NIEUWSLEZER_DATA_DIR={data}", *argv]
            runs_of[f"{prefix}{name}"] = (command, data, library, title)
    for argv, data, library, title in runs_of.values():  # a first run indexes the pages
        put_library(data, library)
        time_to_title(argv, title)
    times: dict[str, list[float]] = {"bare hello app": [], **{name: [] for name in runs_of}}
    for _ in range(runs):
        names = list(times)
        order(names)
        for name in names:
            if name == "bare hello app":
                times[name].append(time_to_title([sys.executable, str(hello)], "hello"))
                continue
            argv, data, library, title = runs_of[name]
            put_library(data, library)
            times[name].append(time_to_title(argv, title))
    base = statistics.median(times["bare hello app"])
    print(f"the landing article's title in the reading pane, medians of {runs} runs:")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"{name:44} median {median * 1000:6.0f} ms  ({median / base:.2f}x the bare app)")
