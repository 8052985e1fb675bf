"""`nieuwslezer cache`: the translation cache's size and entries, or `--clear` to empty it."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from reader.commands.common import EXIT_NOTHING_READ, EXIT_OK, report
from reader.translate.cache import TranslationCache


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="nieuwslezer cache",
        description="Show the translation cache's size and entries, or empty it.",
    )
    parser.add_argument("--clear", action="store_true", help="remove every cached translation")
    args = parser.parse_args(argv)
    cache = TranslationCache()
    if args.clear:
        print(f"removed {cache.clear():,} translations from {cache.path}")
    else:
        entries, size = cache.stats()
        print(f"{cache.path}\n{entries:,} translations, {size / 1024:,.0f} KiB")
    if cache.problem:
        report(cache.problem)
        return EXIT_NOTHING_READ
    return EXIT_OK
