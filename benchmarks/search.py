"""The search index at scale (issue 15): indexing rates, and 20 fixed queries, newest first.

    python benchmarks/search.py [--items 100000] [--files 10000] [--keep DIR]

Builds a feed store of `--items` generated articles (feed_store.py), indexes it (articles/s),
indexes a corpus of `--files` page files (corpus.py write_corpus; files/s, and items/s with
their ticker items), runs each query (single words rare and very common, phrases, prefixes,
an exclusion) newest first, limit 50 with snippets, and reports the median and slowest. Goals:
median <= 50 ms, slowest <= 250 ms. A second indexing of the store (nothing new) is timed too.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.corpus import write_corpus
from benchmarks.feed_store import write_store
from reader.corpus import load_corpus
from reader.library.feed_index import catch_up_feeds
from reader.library.index import SearchIndex
from reader.library.search import search
from reader.library.search_docs import FEED, corpus_docs

QUERIES = [
    "kabinet",  # in every article
    "begroting",  # in all but one title
    "politie",
    "demonstreerden",
    "woonbond",
    "nieuwste",  # one article
    "000042",  # one title
    "stikstof",  # in none
    "oekraine",  # in none
    '"den haag"',  # a phrase in every article
    '"2,5 miljard euro"',
    '"van de woonbond"',
    "2,5",
    "minis",  # prefixes
    "dem",
    "huurder",
    "woordvoerder zegt",
    '"bericht 099999"',
    "gewond -ernstig",  # an exclusion that leaves nothing
    "kabinet -nieuwste",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="build in this folder (kept) instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as spare:
        folder = args.keep or Path(spare)
        folder.mkdir(parents=True, exist_ok=True)
        run(folder, args.items, args.files)


def run(folder: Path, items: int, files: int) -> None:
    started = time.perf_counter()
    store = folder / "feeds.sqlite3"
    if not store.exists():
        write_store(folder, items)
    print(f"store of {items:,} articles built in {time.perf_counter() - started:.1f} s")
    with SearchIndex.open(folder / "search.sqlite") as index:
        started = time.perf_counter()
        report = catch_up_feeds(index, store)
        took = time.perf_counter() - started
        assert report.problem is None, report.problem
        print(f"feed articles indexed: {report.added:,} in {took:.1f} s"
              f" = {report.added / took:,.0f} articles/s")  # fmt: skip
        started = time.perf_counter()
        again = catch_up_feeds(index, store)
        print(f"catch-up with nothing new: {time.perf_counter() - started:.3f} s"
              f" ({again.skipped:,} skipped)")  # fmt: skip
        times = []
        for query in QUERIES:
            started = time.perf_counter()
            result = search(index, query, limit=50, kinds=(FEED,))
            took = (time.perf_counter() - started) * 1000
            times.append(took)
            print(f"  {took:7.1f} ms  {len(result.hits):3d} hits  {query}")
        median, slowest = statistics.median(times), max(times)
        verdict = "ok" if median <= 50 and slowest <= 250 else "OVER GOAL"
        print(f"queries: median {median:.1f} ms, slowest {slowest:.1f} ms ({verdict})")
        started = time.perf_counter()
        relevance = search(index, "kabinet", limit=50, relevance=True)
        took = (time.perf_counter() - started) * 1000
        print(f"relevance order, a word in every article: {took:.0f} ms"
              f" ({len(relevance.hits)} hits)")  # fmt: skip
    size = (folder / "search.sqlite").stat().st_size
    print(f"search.sqlite: {size / 1e6:.0f} MB; feed store: {store.stat().st_size / 1e6:.0f} MB")
    pages = folder / "pages"
    if not pages.exists():
        write_corpus(pages, files)
    with SearchIndex.open(folder / "pages.sqlite") as index:
        started = time.perf_counter()
        corpus = load_corpus([pages])
        loaded = time.perf_counter() - started
        docs = list(corpus_docs(corpus))
        started = time.perf_counter()
        report = index.index(docs, total=len(docs))
        took = time.perf_counter() - started
        print(f"corpus of {files:,} files ({len(docs):,} articles and ticker items): loaded in"
              f" {loaded:.1f} s, indexed in {took:.1f} s = {files / took:,.0f} files/s,"
              f" {len(docs) / took:,.0f} items/s")  # fmt: skip
        started = time.perf_counter()
        index.index(corpus_docs(corpus), total=len(docs))
        print(f"indexed again (all skipped): {time.perf_counter() - started:.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
