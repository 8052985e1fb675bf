"""What carrying the library's state costs `nieuwslezer export` (issue 15): the export of a
10,000-file corpus timed beside four libraries, and against other checkouts.

    python benchmarks/export_state.py [--files 10000] [--runs 5] [--against CHECKOUT ...]

The data folders (NIEUWSLEZER_DATA_DIR of each run):
- none: no library.sqlite (nothing to read: no key is computed, sqlite3 not imported);
- empty: a library with nothing in it;
- other: 100,000 feed articles' keys seen, half of them read (nothing of these pages);
- this: the corpus's own keys (every article and ticker item) seen, half read, 200 starred,
  and feed keys up to 100,000: each page's and ticker item's key is computed and looked up.
A checkout given with --against runs with the `none` folder (a checkout from before export
wrote the state reads no library anyway). Runs are interleaved, pinned to one core.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.corpus import write_corpus
from benchmarks.export import _timed
from benchmarks.installed import compile_like_pip, launched_from
from reader.corpus import load_corpus
from reader.library.keys import article_key, ticker_key
from reader.library.state import Library, Starred

ENTRIES = 100_000
CHECKOUT = Path(__file__).resolve().parent.parent


def feed_keys(count: int) -> list[str]:
    return [f"feed:https://nos.nl/nieuws/{2500000 + n}-kabinet-valt" for n in range(count)]


def make_library(folder: Path, kind: str, corpus_folder: Path) -> None:
    """A data folder holding the library `kind` names (see the module's docstring)."""
    folder.mkdir(parents=True)
    if kind == "none":
        return
    with Library.open(folder / "library.sqlite") as library:
        if kind == "empty":
            return
        library.begin_run()
        keys: list[str] = []
        if kind == "this":
            corpus = load_corpus([corpus_folder])
            keys = [article_key(a) for a in corpus.articles]
            keys += [ticker_key(item) for item in corpus.ticker]
            for article in corpus.articles[:200]:
                library.star(Starred.of(article))
        keys += feed_keys(ENTRIES - len(keys))
        library.see(keys)
        library.mark_read(keys[::2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", type=Path, action="append", default=[])
    args = parser.parse_args()
    compile_like_pip()
    for checkout in args.against:
        compile_like_pip(checkout / "reader")
    kinds = ("none", "empty", "other", "this")
    with tempfile.TemporaryDirectory() as tmp:
        corpus_folder = Path(tmp, "corpus")
        write_corpus(corpus_folder, args.files)
        for kind in kinds:
            make_library(Path(tmp, kind), kind, corpus_folder)
        os.sync()
        command = [*launched_from(CHECKOUT), "export", str(corpus_folder)]
        times: dict[str, list[float]] = {kind: [] for kind in kinds}
        others: dict[Path, list[float]] = {checkout: [] for checkout in args.against}
        real_data = os.environ.get("NIEUWSLEZER_DATA_DIR")
        try:
            for _ in range(args.runs):
                for kind in kinds:
                    os.environ["NIEUWSLEZER_DATA_DIR"] = str(Path(tmp, kind))
                    times[kind].append(_timed(command))
                os.environ["NIEUWSLEZER_DATA_DIR"] = str(Path(tmp, "none"))
                for checkout in args.against:
                    other = [*launched_from(checkout.resolve()), "export", str(corpus_folder)]
                    others[checkout].append(_timed(other))
        finally:
            if real_data is None:
                os.environ.pop("NIEUWSLEZER_DATA_DIR", None)
            else:
                os.environ["NIEUWSLEZER_DATA_DIR"] = real_data
        print(f"corpus: {args.files} files; {args.runs} runs each, interleaved")
        print("ratios: of the medians (of the minimums, steadier on a busy machine)")
        without = times["none"]
        for kind in kinds:
            print(f"library {kind:<6} {_summary(times[kind])}; {_ratio(times[kind], without)}"
                  " the export without a library")  # fmt: skip
        for checkout, measured in others.items():
            print(f"{checkout} (no library): {_summary(measured)}")
            for kind in kinds:
                print(f"  this checkout, library {kind:<6}: {_ratio(times[kind], measured)}")


def _summary(times: list[float]) -> str:
    return f"median {statistics.median(times):.3f} s (min {min(times):.3f}, max {max(times):.3f})"


def _ratio(times: list[float], base: list[float]) -> str:
    median = statistics.median(times) / statistics.median(base)
    return f"{median:.3f}x ({min(times) / min(base):.3f}x)"


if __name__ == "__main__":
    main()
