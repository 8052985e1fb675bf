"""A deterministic benchmark corpus: N page files varied from the bundled samples.

Used by the benchmarks in this folder; not by the test suite.
"""

from __future__ import annotations

import random
from pathlib import Path

from reader.resources import seeds_dir

_PLACES = ["AMSTERDAM", "DEN HAAG", "BRUSSEL", "BERLIJN", "PARIJS", "GENÈVE", "KYIV", "TOKIO"]
_AGENCIES = ["ANP", "ANP/RTR", "ANP/AFP", "ANP/RTR/AFP", "ANP/DPA", "ANP/BLOOMBERG"]
_AGES = ["1 minuut geleden", "21 minuten geleden", "1 uur geleden", "5 uur geleden", "gisteren"]


def _sample_lines() -> list[list[str]]:
    return [
        path.read_text(encoding="utf-8").strip().split("\n")
        for path in sorted(seeds_dir().glob("*.txt"))
    ]


def write_corpus(folder: Path, files: int, seed: int = 2026) -> int:
    """Write `files` page files into `folder`; return the bytes written."""
    rng = random.Random(seed)
    samples = _sample_lines()
    bodies = [line for lines in samples for line in lines[2:] if " - " not in line]
    bodies = [line for line in bodies if not line.startswith("Meer uit")]
    tickers = [line.split(") - ", 1)[1] for lines in samples for line in lines if ") - " in line]
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for index in range(files):
        base = samples[index % len(samples)]
        lines = [f"{base[0]} ({index})"]
        lines.append(f"{rng.choice(_PLACES)} ({rng.choice(_AGENCIES)}) - {rng.choice(bodies)}")
        lines += rng.sample(bodies, rng.randint(2, 6))
        lines.append("Meer uit Buitenland")
        ages = sorted(rng.sample(range(len(_AGES)), 4))
        previous = ""
        for age_index in ages:
            # Half of the ticker repeats across files, as real captures do.
            text = rng.choice(tickers) if rng.random() < 0.5 else f"{rng.choice(tickers)} #{index}"
            lines.append(f"{previous}{rng.choice(_PLACES)} ({rng.choice(_AGENCIES)}) - {text}")
            previous = _AGES[age_index]
        data = ("\n".join(lines) + "\n" + previous).encode()
        (folder / f"{index:05d}.txt").write_bytes(data)
        total += len(data)
    return total
