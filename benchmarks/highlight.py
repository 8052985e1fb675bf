"""Time the highlighter on Dutch news text: at least 1 MB per second on one core (issue 4).

    python benchmarks/highlight.py [--megabytes 5] [--runs 5]

The text is the labelled paragraphs and the sample pages, repeated with a counter so that no
cache helps. Baseline in the same run: one regular-expression pass splitting it into words.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from pathlib import Path

from reader.corpus import load_corpus
from reader.highlight.numbers import find_numbers
from reader.highlight.sources import find_sources

ROOT = Path(__file__).resolve().parent.parent


def paragraphs(megabytes: float) -> list[str]:
    gold = ROOT / "tests" / "data" / "highlight_gold.jsonl"
    base = [json.loads(line)["text"] for line in gold.read_text(encoding="utf-8").splitlines()]
    corpus = load_corpus([ROOT / "seeds"])
    base += [p.text for a in corpus.articles for p in a.paragraphs] + [
        t.text for t in corpus.ticker
    ]
    out, size, index = [], 0, 0
    while size < megabytes * 1e6:
        text = f"{base[index % len(base)]} ({index})"
        out.append(text)
        size += len(text.encode())
        index += 1
    return out


def timed(function, texts: list[str]) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for text in texts:
        function(text)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--megabytes", type=float, default=5)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    texts = paragraphs(args.megabytes)
    size = sum(len(t.encode()) for t in texts) / 1e6
    words = re.compile(r"\w+")
    cases = {
        "baseline: split into words": words.findall,
        "numbers": find_numbers,
        "sources": find_sources,
        "numbers + sources": lambda t: (find_numbers(t), find_sources(t)),
    }
    results = {
        name: statistics.median(timed(f, texts) for _ in range(args.runs))
        for name, f in cases.items()
    }
    base = results["baseline: split into words"]
    print(f"{len(texts):,} paragraphs, {size:.1f} MB, median of {args.runs} runs")
    for name, seconds in results.items():
        print(f"{name:28} {size / seconds:6.2f} MB/s  ({seconds / base:.1f}x the baseline)")
    both = size / results["numbers + sources"]
    print("target: at least 1 MB/s ->", "met" if both >= 1 else "MISSED")


if __name__ == "__main__":
    main()
