"""A feed store of N generated items, for the start-up benchmark (issue 6).

    python benchmarks/feed_store.py DATA_DIR [--items 100000]

Items spread over ten sources and the last 80 days, newest first in the order written; each
has five paragraphs of news-like Dutch with numbers and sources, as real feed items have.
The newest is titled "Nieuwste bericht 000000".
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from reader.feeds.items import Block, FeedItem
from reader.feeds.store import STORE_FILE, FeedStore
from reader.model import Link, ParagraphKind

SOURCES = [f"Bron {n} - Nieuws" for n in range(10)]
PARAGRAPHS = [
    "Volgens de politie raakten bij het ongeluk {n} mensen gewond, van wie drie ernstig.",
    "Het kabinet trekt de komende vijf jaar 2,5 miljard euro extra uit, aldus minister Van Dalen.",
    "De gemeente noemt het bedrag onvoldoende en wil minstens 4 miljard euro, meldt de NOS.",
    "Duizenden mensen demonstreerden zaterdag in Den Haag tegen de plannen van het kabinet.",
    "Een woordvoerder van de Woonbond zegt dat huurders er op korte termijn weinig van merken.",
]


def items(count: int, now: datetime) -> list[tuple[str, FeedItem]]:
    step = timedelta(days=80) / max(count, 1)
    made = []
    for n in range(count):
        blocks = [Block(ParagraphKind.BODY, text.format(n=n % 97)) for text in PARAGRAPHS]
        blocks[2] = Block(
            ParagraphKind.BODY, blocks[2].text, (Link("de NOS", f"https://nos.nl/{n}"),)
        )
        blocks.insert(3, Block(ParagraphKind.SUBHEADING, "Reacties"))
        title = f"Nieuwste bericht {n:06d}" if n == 0 else f"Bericht {n:06d} over de begroting"
        item = FeedItem(
            f"guid-{n}", title, f"https://example.nl/{n}", now - n * step, tuple(blocks)
        )
        made.append((SOURCES[n % len(SOURCES)], item))
    return made


def write_store(data_dir: Path, count: int) -> Path:
    path = data_dir / STORE_FILE
    with FeedStore.open(path) as store:
        generated = items(count, datetime.now(UTC))
        for start in range(0, count, 5000):
            for source in SOURCES:
                batch = [item for s, item in generated[start : start + 5000] if s == source]
                store.save(f"https://example.nl/{source}.xml", source, batch)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    print(write_store(args.data_dir, args.items))


if __name__ == "__main__":
    main()
