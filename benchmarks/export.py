"""Time `nieuwslezer export` on a 10,000-file corpus, as a user runs it.

    python benchmarks/export.py [--files 10000] [--runs 5]

Baselines, in the same run, each on one core like the export:
- the floor (issue 14): a plain script reading the same files, splitting each into lines and
  writing as many bytes of JSON as the export writes (each file's lines as one object, encoded
  again from the first file until the byte count is reached). Target: the export within 2x.
- the Python interpreter starting and exiting (`python -c pass`).
Target (issue 2): the whole corpus exported in under 3 s on one core.

Every export runs with folders of its own (NIEUWSLEZER_CONFIG_DIR, _DATA_DIR, _CACHE_DIR in
the temporary folder): a user's library must not change the figures; what reading one costs
is benchmarks/export_state.py's to tell.
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
from benchmarks.installed import compile_like_pip, launched_from

FLOOR = """
import json, os, sys

folder, target = sys.argv[1], int(sys.argv[2])
records = []
for root, dirs, files in os.walk(folder):
    dirs.sort()
    for name in sorted(files):
        path = os.path.join(root, name)
        with open(path, "rb") as handle:
            records.append({"file": path, "lines": handle.read().decode("utf-8").split("\\n")})
out, written = sys.stdout.buffer, 0
while written < target:
    for record in records:
        written += out.write((json.dumps(record, ensure_ascii=False) + "\\n").encode())
        if written >= target:
            break
"""


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
    parser.add_argument(
        "--against",
        type=Path,
        action="append",
        default=[],
        help="another checkout, timed in the same run (may be given more than once)",
    )
    args = parser.parse_args()
    compile_like_pip()
    for checkout in args.against:
        compile_like_pip(checkout / "reader")
    nieuwslezer = shutil.which("nieuwslezer") or str(Path(sys.executable).parent / "nieuwslezer")
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("config", "data", "cache"):  # inherited by every run below
            os.environ[f"NIEUWSLEZER_{name.upper()}_DIR"] = str(Path(tmp, name))
        folder = Path(tmp, "corpus")
        size = write_corpus(folder, args.files)
        floor_script = Path(tmp, "floor.py")
        floor_script.write_text(FLOOR)
        written = subprocess.run(
            [nieuwslezer, "export", str(folder)], check=True, capture_output=True
        ).stdout
        os.sync()
        floor_command = [sys.executable, str(floor_script), str(folder), str(len(written))]
        others = {c: [*launched_from(c.resolve()), "export", str(folder)] for c in args.against}
        baseline, floor, export = [], [], []
        against: dict[Path, list[float]] = {checkout: [] for checkout in args.against}
        for _ in range(args.runs):  # interleaved, so drift hits each alike
            baseline.append(_timed([sys.executable, "-c", "pass"]))
            floor.append(_timed(floor_command))
            export.append(_timed([nieuwslezer, "export", str(folder)]))
            for checkout, command in others.items():
                against[checkout].append(_timed(command))
        base, median = statistics.median(baseline), statistics.median(export)
        floor_median = statistics.median(floor)
        ratios = sorted(e / f for e, f in zip(export, floor, strict=True))
        megabytes = len(written) / 1e6
        print(f"corpus: {args.files} files, {size / 1e6:.1f} MB; export writes {megabytes:.1f} MB")
        print(f"python -c pass: median {base * 1000:.0f} ms")
        print(
            f"floor (read, split into lines, write {megabytes:.1f} MB of JSON): "
            f"median {floor_median:.2f} s (min {min(floor):.2f}, max {max(floor):.2f})"
        )
        print(
            f"nieuwslezer export: median {median:.2f} s over {args.runs} runs "
            f"(min {min(export):.2f}, max {max(export):.2f}); "
            f"{args.files / median:,.0f} files/s, {size / 1e6 / median:.1f} MB/s; "
            f"{median / base:.0f}x the bare interpreter"
        )
        ratio = median / floor_median
        print(
            f"export / floor: {ratio:.2f}x (medians); per round "
            f"{', '.join(f'{r:.2f}' for r in ratios)}"
        )
        for checkout, times in against.items():
            other = statistics.median(times)
            print(
                f"{checkout.name} export: median {other:.2f} s "
                f"(min {min(times):.2f}, max {max(times):.2f}); "
                f"{other / floor_median:.2f}x the floor; this export takes "
                f"{median / other:.2f}x its time"
            )
        print("target: within 2x the floor ->", "met" if ratio <= 2 else "MISSED")
        print("target: under 3 s ->", "met" if median < 3 else "MISSED")


if __name__ == "__main__":
    main()
