"""The library's hot calls at the scale of a large store (issue 15): medians in milliseconds.

    python benchmarks/library.py [--keys 100000] [--runs 5]

In a temporary folder: see() of N keys (into an empty library; again, by a new Library
object, as on every start; again, by the same object, as on every listing), open() of the
library they make, read_keys() of N read keys (the first call, the cached one, the one after
a change), one set_read, a bulk mark_read of 10,000 keys and its undo; and the memory a
Library holds once it has seen N keys and read N read marks (its caches).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from reader.library.state import Library


def keys(count: int, prefix: str = "feed:https://nos.nl/nieuws/") -> list[str]:
    return [f"{prefix}{2500000 + n}-kabinet-valt-over-stikstof" for n in range(count)]


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def report(what: str, times: list[float]) -> None:
    print(
        f"{what:<52} median {statistics.median(times):8.2f} ms"
        f"  (min {min(times):.2f}, max {max(times):.2f}, {len(times)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    listed = keys(args.keys)
    bulk = keys(10_000, "feed:https://nu.nl/artikel/")
    with tempfile.TemporaryDirectory() as folder:
        cold, start, again, opening = [], [], [], []
        for run in range(args.runs):
            path = Path(folder) / f"cold{run}.sqlite"
            with Library.open(path) as library:
                cold.append(timed(lambda library=library: library.see(listed)))
                again.append(timed(lambda library=library: library.see(listed)))
            opening.append(timed(lambda path=path: Library.open(path).close()))
            with Library.open(path) as library:
                start.append(timed(lambda library=library: library.see(listed)))
        report(f"see() of {args.keys:,} new keys", cold)
        report(f"see() of {args.keys:,} known keys, new object (start)", start)
        report(f"see() of {args.keys:,} keys, same object (listing)", again)
        report(f"open() of a library of {args.keys:,} keys", opening)

        path = Path(folder) / "read.sqlite"
        with Library.open(path) as library:
            library.mark_read(listed)
        first, cached, changed, single, marks, undos = [], [], [], [], [], []
        for run in range(args.runs):
            with Library.open(path) as library:
                first.append(timed(library.read_keys))
                cached.append(timed(library.read_keys))
                for n in range(20):
                    key = f"feed:single-{run}-{n}"
                    single.append(timed(lambda key=key, library=library: library.set_read(key)))
                changed.append(timed(library.read_keys))
                marks.append(timed(lambda library=library: library.mark_read(bulk)))
                undos.append(timed(library.undo))
        report(f"read_keys() of {len(first and listed):,} read, first call", first)
        report("read_keys(), cached", cached)
        report("read_keys() after one set_read", changed)
        report("set_read() of one key", single)
        report(f"mark_read() of {len(bulk):,} keys", marks)
        report(f"undo() of {len(bulk):,} keys", undos)

        tracemalloc.start()
        with Library.open(path) as library:
            library.read_keys()
            library.see(listed)
            held, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"memory of a Library caching {args.keys:,} read and seen keys: {held / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
