"""Time the reader as a user runs it, in a real pseudo-terminal, against a bare Textual app.

    python benchmarks/startup.py [--runs 7] [--files 10000] [--keys 40]

Measured in the same run, medians over --runs:
- a bare "hello" Textual app: process start to "hello" on screen (the baseline);
- `nieuwslezer` on the samples: process start to the first article title on screen
  (target: at most 1.2x the baseline, issue 14);
- `nieuwslezer` on a 10,000-file corpus: process start to the first article on screen
  (target: at most 2x the baseline);
- on that corpus once loaded, `j` pressed to the reading pane showing the next article
  (target: under 16 ms at the median), then `k`, `j`, `k`... (each key turning back, so
  nothing was laid out ahead): to the frame written to the terminal, and to it parsed by
  this benchmark's emulator too (pyte, 4-9 ms a frame that real terminals parse in
  microseconds);
- with --against DIR (another checkout, e.g. `git worktree add /tmp/base main`; may be given
  more than once): the checkouts started alike (`python -c` importing each one's reader.cli)
  on the samples and on the 10,000 files, so a change's cost to start-up is measured in the
  same run (with --samples-only: the bare app and the samples alone, no key latency, and
  neither the 10,000 files nor the store written: 25 rounds take ~3 minutes);
- `nieuwslezer` with a feed store of --store-items items (100,000) and the samples: process
  start to the first frame (target: at most 2x the baseline), and to the newest stored
  article on screen (target: at most 1.5x, issue 15);
- with --landing: the article the reader opens on (benchmarks/landing.py);
- with --store-only: the bare app and the store cases alone, for this checkout and each
  --against (each reading a store its own code wrote), then for each: resident memory once
  every stored article is listed (VmRSS; target: at most 150 MB, issue 15) and `j`, `k`...
  over the stored articles to the reading pane showing the one moved to.

The user's own config and feed store are kept out: each run gets empty folders.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.corpus import write_corpus
from benchmarks.feed_store import write_store
from benchmarks.installed import compile_like_pip, launched_from
from tests.conftest import nieuwslezer_command
from tests.terminal import Terminal

HELLO_APP = """
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("hello")

Hello().run()
"""


def time_to_screen(argv: list[str], shown: Callable[[str], bool]) -> float:
    """Seconds from starting `argv` on a pty to `shown(screen)` holding; then quit it."""
    start = time.perf_counter()
    terminal = Terminal(argv)
    if not terminal.wait_for(shown, timeout=60):
        raise RuntimeError(f"never shown: {argv}\n{terminal.text()}")
    elapsed = time.perf_counter() - start
    terminal.send("q" if "hello" not in str(shown) else "\x03")
    terminal.send("\x03")
    terminal.wait_exit(5)
    return elapsed


def key_latencies(argv: list[str], files: int, keys: int) -> dict[str, list[tuple[float, float]]]:
    """A key to the reading pane showing the article it moves to: (written, parsed) seconds.

    First `j` `keys` times: the reader lays out ahead the article the next `j` shows. Then
    `k`, `j`, `k`... as many times: each key turns back, so nothing was laid out ahead.
    """
    terminal = Terminal(argv)
    loaded = f"{files:,} articles"
    if not terminal.wait_for(lambda t: loaded in t and "loading" not in t, timeout=120):
        raise RuntimeError(f"the corpus never finished loading\n{terminal.text()}")
    terminal.wait_for(lambda _: False, timeout=0.5)  # let the screen settle
    latencies = moves_and_turns(terminal, keys, lambda i: lambda t: f"{i:05d}.txt, line 1" in t)
    terminal.send("q")
    terminal.wait_exit(5)
    return latencies


def moves_and_turns(
    terminal: Terminal, keys: int, shows: Callable[[int], Callable[[str], bool]]
) -> dict[str, list[tuple[float, float]]]:
    """`j` `keys` times from the first article, then `k`, `j`, `k`... as many; each to
    `shows(index)` holding for the article moved to: (written, parsed) seconds."""
    moves = [("j", index) for index in range(1, keys + 1)]
    turns = [("k", keys - 1) if turn % 2 == 0 else ("j", keys) for turn in range(keys)]
    latencies: dict[str, list[tuple[float, float]]] = {}
    for name, presses in (("j, j, j…", moves), ("k, j, k… (turning back)", turns)):
        latencies[name] = []
        for key, index in presses:
            latencies[name].append(terminal.press(key, shows(index)))
            terminal.wait_for(lambda _: False, timeout=0.05)
    return latencies


def first_frame_with_store(screen: str) -> bool:
    """The first frame of a reader with a store: the samples, or (since #15) at once the
    newest stored articles."""
    return "Oekraïne: Rusland zet" in screen or "Nieuwste bericht" in screen


def store_memory_and_keys(
    argv: list[str], items: int, keys: int
) -> tuple[int, dict[str, list[tuple[float, float]]]]:
    """Once all `items` stored articles are listed: the reader's resident memory (kB), then
    `j` `keys` times and `k`, `j`, `k`... as many, each to the reading pane showing the
    article moved to (its title twice on screen: in the list and in the pane)."""
    terminal = Terminal(argv)
    listed = f"{items:,} articles"
    if not terminal.wait_for(lambda t: listed in t and "loading" not in t, timeout=120):
        raise RuntimeError(f"the store was never read\n{terminal.text()}")
    terminal.wait_for(lambda _: False, timeout=1.0)  # let it settle (gc.freeze, the highlighter)
    status = Path(f"/proc/{terminal.pid}/status").read_text()
    rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
    latencies = moves_and_turns(
        terminal, keys, lambda i: lambda t: t.count(f"Bericht {i:06d}") >= 2
    )
    terminal.send("q")
    terminal.wait_exit(5)
    return rss, latencies


def stored(checkout: Path, folder: Path, items: int) -> Path:
    """A data folder with a feed store of `items` that `checkout`'s own code wrote (an older
    checkout may not read a newer schema)."""
    folder.mkdir(parents=True, exist_ok=True)
    script = checkout / "benchmarks" / "feed_store.py"
    subprocess.run([sys.executable, str(script), str(folder), "--items", str(items)], check=True)
    return folder


def store_only(args: argparse.Namespace, tmp: str, hello: Path) -> None:
    """--store-only: start-up with a store, memory and keys over it, per checkout."""
    this_checkout = Path(__file__).resolve().parent.parent
    cases: dict[str, tuple[list[str], Callable[[str], bool]]] = {
        "bare hello app": ([sys.executable, str(hello)], lambda t: "hello" in t)
    }
    readers: dict[str, list[str]] = {}
    for checkout in [this_checkout, *args.against]:
        name = "this checkout" if checkout == this_checkout else checkout.name
        data = stored(checkout, Path(tmp, f"store-{len(readers)}"), args.store_items)
        argv = ["env", f"NIEUWSLEZER_DATA_DIR={data}", *launched_from(checkout.resolve())]
        readers[name] = argv
        cases[f"{name}, first frame"] = (argv, first_frame_with_store)
        cases[f"{name}, newest stored"] = (argv, lambda t: "Nieuwste bericht" in t)
    times = timed(cases, args.runs)
    base = statistics.median(times["bare hello app"])
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"{name:32} median {median * 1000:6.0f} ms  ({median / base:.2f}x the bare app)")
    for name, argv in readers.items():
        rss, latencies = store_memory_and_keys(argv, args.store_items, args.keys)
        print(f"{name}: {rss / 1024:.0f} MB resident with {args.store_items:,} articles listed")
        for keys, times_taken in latencies.items():
            written = describe([w for w, _ in times_taken])
            print(f"  {keys:24} frame written to the terminal: {written}")


def timed(
    cases: dict[str, tuple[list[str], Callable[[str], bool]]], runs: int
) -> dict[str, list[float]]:
    """Each case's times to screen, `runs` rounds, interleaved so drift hits every case alike,
    and in a new order each round: in a fixed order the case after the bare app was measured
    up to 25% slower than the same start-up measured later in the round."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    order = random.Random(0)
    for _ in range(runs):
        names = list(cases)
        order.shuffle(names)
        for name in names:
            argv, shown = cases[name]
            times[name].append(time_to_screen(argv, shown))
    return times


def describe(latencies: list[float]) -> str:
    median = statistics.median(latencies) * 1000
    return f"median {median:.1f} ms, p90 {statistics.quantiles(latencies, n=10)[-1] * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("--store-items", type=int, default=100_000)
    parser.add_argument(
        "--against",
        type=Path,
        action="append",
        default=[],
        help="another checkout to compare start-up with (may be given more than once)",
    )
    parser.add_argument(
        "--samples-only",
        action="store_true",
        help="only the bare app and the reader on the samples (and --against's), no key latency",
    )
    parser.add_argument(
        "--store-only",
        action="store_true",
        help="only the bare app and the reader with the store (and --against's), its memory"
        " and keys over the stored articles",
    )
    parser.add_argument(
        "--landing",
        action="store_true",
        help="only the bare app and the article the reader opens on (fresh, restored, newest"
        " read), on the samples and on the store (benchmarks/landing.py)",
    )
    args = parser.parse_args()
    compile_like_pip()
    for checkout in args.against:
        compile_like_pip(checkout / "reader")
    with tempfile.TemporaryDirectory() as tmp:
        for variable in ("NIEUWSLEZER_CONFIG_DIR", "NIEUWSLEZER_DATA_DIR"):
            os.environ[variable] = tempfile.mkdtemp(dir=tmp)
        hello = Path(tmp, "hello.py")
        hello.write_text(HELLO_APP)
        if args.store_only:
            store_only(args, tmp, hello)
            return
        if args.landing:
            from benchmarks.landing import landing

            shuffle = random.Random(0).shuffle
            landing(Path(tmp), hello, args.runs, args.store_items, shuffle, args.against)
            return
        corpus = Path(tmp, "corpus")
        store = Path(tmp, "store")
        if not args.samples_only:  # neither is started then: not worth their ~minute to write
            store = write_store(store, args.store_items).parent
            write_corpus(corpus, args.files)
        with_store = ["env", f"NIEUWSLEZER_DATA_DIR={store}", *nieuwslezer_command()]
        reader = nieuwslezer_command()
        cases: dict[str, tuple[list[str], Callable[[str], bool]]] = {
            "bare hello app": ([sys.executable, str(hello)], lambda t: "hello" in t),
            "nieuwslezer, samples": (reader, lambda t: "Oekraïne: Rusland zet" in t),
            f"nieuwslezer, {args.files:,} files": (
                [*reader, str(corpus)],
                lambda t: "soldaten in (0)" in t,
            ),
            f"nieuwslezer, {args.store_items:,} stored items": (
                with_store,
                first_frame_with_store,
            ),
            "  ... to the newest stored item": (with_store, lambda t: "Nieuwste bericht" in t),
        }
        if args.samples_only:
            cases = {name: cases[name] for name in ("bare hello app", "nieuwslezer, samples")}
        this_checkout = Path(__file__).resolve().parent.parent
        checkouts = [this_checkout, *args.against] if args.against else []
        for checkout in checkouts:
            launched = launched_from(checkout.resolve())
            cases[f"{checkout.name}, samples"] = (launched, cases["nieuwslezer, samples"][1])
            if not args.samples_only:
                cases[f"{checkout.name}, {args.files:,} files"] = (
                    [*launched, str(corpus)],
                    lambda t: "soldaten in (0)" in t,
                )
        times = timed(cases, args.runs)
        base = statistics.median(times["bare hello app"])
        for name, samples in times.items():
            median = statistics.median(samples)
            print(f"{name:32} median {median * 1000:6.0f} ms  ({median / base:.2f}x the bare app)")
        if args.samples_only:
            return
        os.chdir(tmp)  # the reading pane then names files as corpus/00001.txt
        latencies = key_latencies([*reader, "corpus"], args.files, args.keys)
        print(f"a key to the repainted reading pane ({args.files:,} files, {args.keys} keys):")
        for name, times in latencies.items():
            print(f"  {name:24} frame written to the terminal: {describe([w for w, _ in times])}")
            print(f"  {'':24} and parsed by pyte as well:     {describe([p for _, p in times])}")


if __name__ == "__main__":
    main()
