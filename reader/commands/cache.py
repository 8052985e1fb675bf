"""`nieuwslezer cache`: the translation cache's size and entries, or `--clear` to empty it.

A damaged cache file (not a database, or corrupt) cannot be emptied: `--clear` moves it aside,
under a name of its own, so translations are cached again; the reader works without it
meanwhile.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from reader.commands.common import EXIT_FAILED, EXIT_OK, report
from reader.translate.cache import FIX_DAMAGED, TranslationCache


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="nieuwslezer cache",
        description="Show the translation cache's size and entries, or empty it.",
    )
    parser.add_argument(
        "--clear",
        action="store_true",
        help="remove every cached translation (a damaged cache file is moved aside)",
    )
    args = parser.parse_args(argv)
    cache = TranslationCache()
    return _clear(cache) if args.clear else _show(cache)


def _show(cache: TranslationCache) -> int:
    entries, size = cache.stats()
    if cache.damage:
        report(
            f"translation cache {cache.path} is damaged ({cache.damage}); the reader translates "
            f"without it: {FIX_DAMAGED}"
        )
        return EXIT_FAILED
    if cache.problem:
        report(cache.problem)
        return EXIT_FAILED
    print(f"{cache.path}\n{entries:,} translations, {size / 1024:,.0f} KiB")
    return EXIT_OK


def _clear(cache: TranslationCache) -> int:
    removed = cache.clear()
    if cache.damage:
        damage = cache.damage
        try:
            aside = cache.set_aside()
        except OSError as error:
            report(
                f"translation cache {cache.path} is damaged ({damage}) and could not be moved "
                f"aside ({error.strerror or error}); delete it to start a new one"
            )
            return EXIT_FAILED
        cache.stats()  # a new, empty cache in its place: proof that it works again
        if cache.problem:
            report(cache.problem)
            return EXIT_FAILED
        print(
            f"translation cache {cache.path} was damaged ({damage}): moved it to {aside}; "
            "a new, empty cache is in its place"
        )
        return EXIT_OK
    if cache.problem:
        report(cache.problem)
        return EXIT_FAILED
    print(f"removed {removed:,} translations from {cache.path}")
    return EXIT_OK
