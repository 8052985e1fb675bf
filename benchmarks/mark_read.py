"""What a key that marks read (m) adds to the repaint, in a Pilot timing loop (issue 15:
at most 2 ms).

    python benchmarks/mark_read.py [--rows 100000] [--keys 200]

The reader on the samples, its article list given N synthetic feed articles (as the store
lists them), the library open in a temporary data folder. Timed: m's handler (the row's read
mark toggled, the count, the write handed to the writer thread) and the rendering of the row
it changed: what marking adds to a frame. For context, the whole frame after m, and after the
same row and position repainted without marking (Pilot's waits included: on a busy machine
these are dominated by the compositor).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def rows(count: int) -> list[object]:
    from reader.feeds.feed_row import FeedRow

    now = datetime.now(UTC)
    return [
        FeedRow(
            f"Kabinet valt over stikstof, deel {n}", f"https://nos.nl/artikel/{n}", 0, (),
            "NOS Nieuws", f"https://nos.nl/artikel/{n}", now - timedelta(minutes=n),
            f"nos-{n}", False, "https://feeds.nos.nl/nosnieuwsalgemeen", now, None,
            paragraph_count=7,
        )
        for n in range(count)
    ]  # fmt: skip


async def measure(count: int, presses: int) -> dict[str, list[float]]:
    from reader.ui.app import build_app

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    app = build_app([seeds])
    app.read_dwell = 3600.0  # only m marks
    times: dict[str, list[float]] = {"handler": [], "row": [], "marking": [], "repaint": []}
    async with app.run_test(size=(120, 40)) as pilot:
        while app.library is None:
            await pilot.pause(0.05)
        app.feed_articles = rows(count)
        app._show_articles()
        while app.workers._workers:  # the rows seen, the count made
            await pilot.pause(0.05)
        await pilot.pause(0.2)
        articles = app.articles
        for _ in range(presses):
            # What marking itself costs: m's handler, then its row rendered again.
            started = time.perf_counter()
            app.action_toggle_read()
            times["handler"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            articles.render_line(articles.cursor - articles.scroll_offset.y)
            times["row"].append((time.perf_counter() - started) * 1000)
            await pilot.pause()
            # The frame with and without the marking: m's handler and the frame written,
            # against the same row and position repainted by themselves.
            started = time.perf_counter()
            app.action_toggle_read()
            await pilot.pause()
            times["marking"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            articles.refresh_item(articles.highlighted)
            app._update_pane_title(articles)
            await pilot.pause()
            times["repaint"].append((time.perf_counter() - started) * 1000)
        while app.workers._workers:
            await pilot.pause(0.05)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keys", type=int, default=200)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for part in ("CACHE", "CONFIG", "DATA"):
            os.environ[f"NIEUWSLEZER_{part}_DIR"] = str(Path(folder) / part.lower())
        times = asyncio.run(measure(arguments.rows, arguments.keys))
    print(f"{arguments.rows:,} rows listed, m pressed {arguments.keys * 2} times")
    for name, what in (
        ("handler", "m's handler (state, count, write queued)"),
        ("row", "its row rendered again"),
        ("marking", "m's handler + the frame written"),
        ("repaint", "the same row and position repainted alone"),
    ):
        values = times[name]
        median, worst = statistics.median(values), max(values)
        print(f"{what:<44} median {median:6.2f} ms, worst {worst:6.2f} ms")
    added = statistics.median(times["handler"]) + statistics.median(times["row"])
    verdict = "met" if added <= 2 else "MISSED"
    print(f"marking adds {added:.2f} ms to the repaint (target <= 2 ms: {verdict})")


if __name__ == "__main__":
    main()
