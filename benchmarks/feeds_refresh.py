"""Refreshing feeds from a local server that answers slowly, as distant news sites do.

    python benchmarks/feeds_refresh.py [--feeds 20] [--latency 0.1] [--parallel 8] [--runs 5]

Baseline, in the same run: the slowest of the feeds fetched alone, one after another. A refresh
of all of them, `parallel` at a time, should cost about ceil(feeds / parallel) times that;
one after another it would cost `feeds` times. Each stage in STAGES is timed the same way.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.installed import compile_like_pip
from reader.feeds.fetch import Fetched, fetch, fetch_all
from reader.feeds.settings import FeedSettings
from tests.conftest import nieuwslezer_command
from tests.feed_server import FeedServer, Route

_TITLES = [
    "Kabinet presenteert plannen voor woningbouw",
    "Rusland zet aanvallen op Oekraïense energiecentrales voort",
    "Inflatie daalt in april naar 3,1 procent",
    "KNMI: warmste voorjaar sinds het begin van de metingen",
]


def rss(index: int, items: int) -> bytes:
    """An RSS 2.0 feed of `items` items, different for every `index`."""
    entries = "".join(
        f"<item><title>{_TITLES[n % len(_TITLES)]} ({index}.{n})</title>"
        f"<link>https://example.nl/{index}/{n}</link><guid>{index}-{n}</guid>"
        f"<pubDate>Wed, 21 May 2026 07:{n % 60:02d}:00 GMT</pubDate>"
        f"<description>&lt;p&gt;{' '.join(_TITLES)} ({n})&lt;/p&gt;</description></item>"
        for n in range(items)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Feed {index}</title><link>https://example.nl/{index}</link>{entries}"
        f"</channel></rss>"
    ).encode()


def serve_feeds(server: FeedServer, count: int) -> list[str]:
    return [server.add(f"/feeds/{i}.xml", Route(rss(i, 10 + 3 * i))) for i in range(count)]


def slowest_alone(urls: list[str]) -> float:
    times = []
    for url in urls:
        start = time.perf_counter()
        result = fetch(url)
        times.append(time.perf_counter() - start)
        assert isinstance(result, Fetched), result
    return max(times)


def fetch_stage(urls: list[str], parallel: int) -> None:
    for _, result in fetch_all([(url, None) for url in urls], max_parallel=parallel):
        assert isinstance(result, Fetched), result


def refresh_command(urls: list[str], parallel: int) -> None:
    """`nieuwslezer refresh` as a user runs it, into an empty store (every item is new)."""
    with tempfile.TemporaryDirectory() as home:
        config = Path(home, "config")
        config.mkdir()
        feeds = "".join(f'[[feed]]\nurl = "{url}"\n' for url in urls)
        (config / "feeds.toml").write_text(feeds, encoding="utf-8")
        (config / "config.toml").write_text(f"[feeds]\nmax_parallel = {parallel}\n")
        env = {**os.environ, "NIEUWSLEZER_CONFIG_DIR": str(config)}
        env["NIEUWSLEZER_DATA_DIR"] = str(Path(home, "data"))
        subprocess.run([*nieuwslezer_command(), "refresh"], env=env, check=True,
                       capture_output=True)  # fmt: skip


# Each stage refreshes all the feeds once; timed as median of --runs.
STAGES: dict[str, Callable[[list[str], int], None]] = {
    "fetch_all": fetch_stage,
    "nieuwslezer refresh": refresh_command,
}


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--parallel", type=int, default=FeedSettings().max_parallel)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    compile_like_pip()
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1"  # never through a proxy
    with FeedServer(latency=args.latency) as server:
        urls = serve_feeds(server, args.feeds)
        size = sum(len(route.body) for route in server.routes.values())
        baseline = slowest_alone(urls)
        # The command has its own fixed cost (starting Python, importing, the store): its
        # baseline is the same command with only the slowest feed subscribed.
        command_alone = statistics.median(
            timed(partial(refresh_command, [urls[-1]], 1)) for _ in range(args.runs)
        )
        print(
            f"{args.feeds} feeds, {size / 1e3:.0f} kB, server latency "
            f"{args.latency * 1000:.0f} ms per request"
        )
        print(f"baseline, the slowest feed alone: {baseline * 1000:.0f} ms")
        print(f"baseline, nieuwslezer refresh of one feed: {command_alone * 1000:.0f} ms")
        for name, stage in STAGES.items():
            walls = [timed(partial(stage, urls, args.parallel)) for _ in range(args.runs)]
            median = statistics.median(walls)
            base = command_alone if name.startswith("nieuwslezer") else baseline
            print(
                f"{name}, {args.parallel} at a time: median {median * 1000:.0f} ms over "
                f"{args.runs} runs (min {min(walls) * 1000:.0f}, max {max(walls) * 1000:.0f}); "
                f"{median / base:.1f}x its baseline (ideal "
                f"{math.ceil(args.feeds / args.parallel)}x, one at a time {args.feeds}x)"
            )


if __name__ == "__main__":
    main()
