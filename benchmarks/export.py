"""Time `nieuwslezer export` on a 10,000-file corpus, as a user runs it.

    python benchmarks/export.py [--files 10000] [--runs 5]

Baseline, in the same run: the Python interpreter starting and exiting (`python -c pass`).
Target (issue 2): the whole corpus exported in under 3 s on one core.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.corpus import write_corpus
from benchmarks.installed import compile_like_pip


def _timed(command: list[str]) -> float:
    # taskset pins the run to one core, the target's condition.
    pinned = ["taskset", "-c", "0", *command] if shutil.which("taskset") else command
    start = time.perf_counter()
    subprocess.run(pinned, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    compile_like_pip()
    nieuwslezer = shutil.which("nieuwslezer") or str(Path(sys.executable).parent / "nieuwslezer")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "corpus")
        size = write_corpus(folder, args.files)
        os.sync()
        baseline, export = [], []
        for _ in range(args.runs):
            baseline.append(_timed([sys.executable, "-c", "pass"]))
            export.append(_timed([nieuwslezer, "export", str(folder)]))
        base, median = statistics.median(baseline), statistics.median(export)
        print(f"corpus: {args.files} files, {size / 1e6:.1f} MB")
        print(f"python -c pass: median {base * 1000:.0f} ms")
        print(
            f"nieuwslezer export: median {median:.2f} s over {args.runs} runs "
            f"(min {min(export):.2f}, max {max(export):.2f}); "
            f"{args.files / median:,.0f} files/s, {size / 1e6 / median:.1f} MB/s; "
            f"{median / base:.0f}x the bare interpreter"
        )
        print("target: under 3 s ->", "met" if median < 3 else "MISSED")


if __name__ == "__main__":
    main()
