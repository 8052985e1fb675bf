"""Time the web mode (`nieuwslezer serve`) as a user meets it, against the terminal reader.

    python benchmarks/web.py [--runs 7] [--files 10000] [--keys 40] [--start-only]
    python benchmarks/web.py --screenshot docs/web-screenshot.png

Needs the test extra (textual-serve, selenium) and Debian's chromium and chromium-driver.
Measured in the same run, medians over --runs (interleaved, in a new order each round):
- the terminal reader on the samples: process start to the first article title on a pty
  (benchmarks/startup.py's time_to_screen);
- the web mode: Chromium opening the page of a running `nieuwslezer serve --samples` (a
  browser already started, as a user's is) to the reader's first frame drawn on the page: the
  list's highlighted row on xterm.js's canvas, seen by the page itself on each animation frame
  and timed from the navigation's start (performance.now());
- on 10,000 files (benchmarks/corpus.py) once loaded, `j` sent over the websocket (as the
  page sends it) to the reading pane showing the next article in the output received, then
  `k`, `j`, `k`... (each key turning back); the same keys on a pty for comparison.

The user's own config, data and cache are kept out: each run gets empty folders.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import aiohttp

from benchmarks.corpus import write_corpus
from benchmarks.startup import describe, key_latencies, time_to_screen
from tests.conftest import nieuwslezer_command
from tests.web.browser import chromium
from tests.web.served import Tab, open_tab, serving, settle

FIRST_TITLE = "Oekraïne: Rusland zet"
# Run by the page from its start: the time (ms since the navigation began) of the first
# animation frame whose terminal canvas shows the list's highlighted row (textual-dark's
# cursor, blurred: the page has no focus yet) in the pixel column x = 20.
FIRST_FRAME_WATCH = """
window.__firstFrame = null;
window.__marks = {};
new MutationObserver(() => {
  const body = document.body;
  for (const mark of ["-loaded", "-first-byte"]) {
    if (body && body.classList.contains(mark) && !(mark in window.__marks)) {
      window.__marks[mark] = performance.now();
    }
  }
}).observe(document, { attributes: true, subtree: true, attributeFilter: ["class"] });
function watch() {
  const canvas = document.querySelector("canvas.xterm-text-layer");
  if (canvas && canvas.height) {
    const column = canvas.getContext("2d").getImageData(20, 0, 1, canvas.height).data;
    for (let i = 0; i < column.length; i += 4) {
      if (column[i] === 12 && column[i + 1] === 48 && column[i + 2] === 75) {
        window.__firstFrame = performance.now();
        return;
      }
    }
  }
  requestAnimationFrame(watch);
}
requestAnimationFrame(watch);
"""


# Where the time to the first frame goes, each from the navigation's start (seconds).
STAGES = ("page loaded", "socket open", "first output", "first frame")
stages: dict[str, list[float]] = {stage: [] for stage in STAGES}
_STAGE_TIMES = """
const navigation = performance.getEntriesByType("navigation")[0];
return [navigation.loadEventEnd, window.__marks["-loaded"], window.__marks["-first-byte"]];
"""


def web_first_frames(port: int, runs: int) -> list[float]:
    """Seconds from Chromium opening the page to the reader's first frame on it, `runs`
    times (each a new page: a new websocket, a new reader); each stage kept in `stages`."""
    times = []
    with chromium(1280, 800) as driver:
        driver.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument", {"source": FIRST_FRAME_WATCH}
        )
        for _ in range(runs):
            driver.get(f"http://127.0.0.1:{port}/")
            deadline = time.monotonic() + 60
            while (shown := driver.execute_script("return window.__firstFrame")) is None:
                if time.monotonic() > deadline:
                    raise RuntimeError("the reader never showed on the page")
                time.sleep(0.05)
            times.append(shown / 1000)
            marks = [*driver.execute_script(_STAGE_TIMES), shown]
            for stage, at in zip(STAGES, marks, strict=True):
                stages[stage].append((at or 0) / 1000)
            driver.get("about:blank")  # the page's socket closes: its reader quits
            time.sleep(0.5)
    return times


def terminal_first_frames(runs: int) -> list[float]:
    argv = [*nieuwslezer_command(), "--samples", "--fresh"]
    return [time_to_screen(argv, lambda t: FIRST_TITLE in t) for _ in range(runs)]


async def press(tab: Tab, keys: str, shown: Callable[[str], bool], timeout: float = 10) -> float:
    """Send `keys` over the websocket; seconds until the message that made `shown` hold
    arrived (before pyte parsed it: a browser's xterm.js draws in ~1 ms)."""
    start = time.perf_counter()
    await tab.send(keys)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = await tab.websocket.receive(timeout=timeout)
        arrived = time.perf_counter()
        if message.type != aiohttp.WSMsgType.BINARY:
            continue
        tab.stream.feed(message.data)
        if shown(tab.text()):
            return arrived - start
    raise TimeoutError(f"not shown after {keys!r}:\n{tab.text()}")


async def websocket_keys(port: int, files: int, keys: int) -> dict[str, list[float]]:
    loaded = f"{files:,} articles"
    async with aiohttp.ClientSession() as session:
        tab = await open_tab(session, port)
        if not await tab.wait_for(lambda t: loaded in t and "loading" not in t, timeout=180):
            raise RuntimeError(f"the corpus never finished loading\n{tab.text()}")
        await settle(tab, 1.0)
        moves = [("j", index) for index in range(1, keys + 1)]
        turns = [("k", keys - 1) if turn % 2 == 0 else ("j", keys) for turn in range(keys)]
        latencies: dict[str, list[float]] = {}
        for name, presses in (("j, j, j…", moves), ("k, j, k… (turning back)", turns)):
            latencies[name] = []
            for key, index in presses:
                name_shown = f"{index:05d}.txt, line 1"
                latencies[name].append(await press(tab, key, lambda t, n=name_shown: n in t))
                await settle(tab, 0.05)
        await tab.send("q")
        await tab.wait_closed()
    return latencies


def screenshot(path: Path) -> None:
    """The web mode as the README shows it: Chromium at 1280 x 800 on the samples, the third
    article (numbers and sources marked) chosen with `j` `j`."""
    from selenium.webdriver.common.by import By

    with serving("--samples", "--fresh") as (_, port), chromium(1280, 800) as driver:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False},
        )
        driver.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument", {"source": FIRST_FRAME_WATCH}
        )
        driver.get(f"http://127.0.0.1:{port}/")
        deadline = time.monotonic() + 60
        while driver.execute_script("return window.__firstFrame") is None:
            if time.monotonic() > deadline:
                raise RuntimeError("the reader never showed on the page")
            time.sleep(0.05)
        keys = driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
        for key in "jj":
            keys.send_keys(key)
            time.sleep(0.5)
        time.sleep(1.5)  # the reading pane laid out, the cursor settled
        path.write_bytes(driver.get_screenshot_as_png())
    print(f"wrote {path}")


def _ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:6.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("--start-only", action="store_true", help="no key latency")
    parser.add_argument(
        "--screenshot", type=Path, metavar="PNG", help="only take the README's screenshot"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for variable in ("NIEUWSLEZER_CONFIG_DIR", "NIEUWSLEZER_DATA_DIR", "NIEUWSLEZER_CACHE_DIR"):
            os.environ[variable] = tempfile.mkdtemp(dir=tmp)
        if args.screenshot:
            screenshot(args.screenshot)
            return
        terminal: list[float] = []
        web: list[float] = []
        with serving("--samples", "--fresh") as (_, port):
            order = random.Random(0)
            for _ in range(args.runs):  # interleaved: drift hits both alike
                rounds = [lambda: terminal.extend(terminal_first_frames(1))]
                rounds.append(lambda: web.extend(web_first_frames(port, 1)))
                order.shuffle(rounds)
                for measure in rounds:
                    measure()
        term, page = statistics.median(terminal), statistics.median(web)
        print(f"terminal, samples: process start to first frame  median {term * 1000:6.0f} ms")
        print(f"web, samples: page opened to first frame          median {page * 1000:6.0f} ms")
        print(f"  web / terminal: {page / term:.2f}x ({args.runs} runs each)")
        for stage, times in stages.items():
            print(f"  web, {stage:12} after the page was opened: median {_ms(times)}")
        if args.start_only:
            return
        corpus = Path(tmp, "corpus")
        write_corpus(corpus, args.files)
        os.chdir(tmp)  # the reading pane then names files as corpus/00001.txt
        # --fresh: each starts on the first article, not where the one before left off
        with serving("--fresh", "corpus") as (_, port):
            web_keys = asyncio.run(websocket_keys(port, args.files, args.keys))
        pty = [*nieuwslezer_command(), "--fresh", "corpus"]
        pty_keys = key_latencies(pty, args.files, args.keys)
        print(f"a key to the repainted reading pane ({args.files:,} files, {args.keys} keys):")
        for name, times in web_keys.items():
            print(f"  {name:24} through the websocket: {describe(times)}")
            pty = [written for written, _ in pty_keys[name]]
            print(f"  {'':24} on a pty:              {describe(pty)}")


if __name__ == "__main__":
    main()
