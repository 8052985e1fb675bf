"""Translation through a local server with added latency, as a user runs it (issue 5).

    python benchmarks/translate.py [--latency 0.05] [--keys 30]

1. `nieuwslezer export --translate` of the sample corpus, cold cache: wall time, requests made
   (LibreTranslate takes an article's texts in one request); then again from the cache; then
   through Google's page (one text a request, a few at once).
2. The reader on a pseudo-terminal: `t`, then `j`/`k` while the English arrives: the time from
   each key to its repaint (`t`: the pending markers; `j`/`k`: the reading pane showing the
   other article), median and worst; target < 50 ms.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.installed import compile_like_pip
from benchmarks.latency import print_key_latencies
from tests.conftest import nieuwslezer_command
from tests.terminal import Terminal
from tests.translate_server import translate_server

TITLES = ("Oekraïne: Rusland zet", "VS bevestigen dat Noord")


def export_run(url: str, cache: str, translator: str = "libre") -> float:
    start = time.perf_counter()
    subprocess.run(
        [*nieuwslezer_command(), "export", "--translate", "--translator", translator,
         "--translator-url", url],
        check=True, capture_output=True, env={**os.environ, "NIEUWSLEZER_CACHE_DIR": cache},
    )  # fmt: skip
    return time.perf_counter() - start


def key_latencies(url: str, cache: str, keys: int) -> list[tuple[float, float]]:
    """`t`, then `keys` keys: seconds to each frame (written, and parsed by pyte too)."""
    os.environ["NIEUWSLEZER_CACHE_DIR"] = cache
    terminal = Terminal(
        [*nieuwslezer_command(), "--translator", "libre", "--translator-url", url], 100, 30
    )
    terminal.wait_for(lambda text: "32 ticker items" in text)
    # Start-up work (the highlighter loading in its worker) is over within half a second;
    # what is measured here is what translating costs the keys, not what starting does.
    terminal.wait_for(lambda _: False, 0.5)
    # `t` is a key like the others: timed to the pending markers on screen. Each key is sent
    # once the screen shows the previous one, as a reader types, so no key's time includes
    # another's.
    latencies = [terminal.press("t", lambda text: "translating" in text)]
    for index in range(keys):
        expected = TITLES[(index + 1) % 2]
        latencies.append(
            terminal.press(
                "j" if index % 2 == 0 else "k",
                lambda _, e=expected: e in "\n".join(terminal.screen.display[10:14]),
            )
        )
        terminal.wait_for(lambda _: False, 0.1)  # English keeps arriving meanwhile
    terminal.send("q")
    terminal.wait_exit()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--keys", type=int, default=30)
    args = parser.parse_args()
    compile_like_pip()
    with (
        tempfile.TemporaryDirectory() as tmp,
        translate_server(latency=args.latency) as (
            url,
            state,
        ),
    ):
        cold = export_run(url, f"{tmp}/a")
        requests = len(state.requests)
        warm = export_run(url, f"{tmp}/a")
        print(f"server latency {args.latency * 1000:.0f} ms per request")
        print(f"export --translate, samples, cold cache: {cold:.2f} s, {requests} requests")
        print(f"export --translate, samples, from cache: {warm:.2f} s, "
              f"{len(state.requests) - requests} requests")  # fmt: skip
        before, state.most_in_flight = len(state.requests), 0
        google = export_run(url + "m", f"{tmp}/g", "google")
        print(f"export --translate, samples, cold cache, Google: {google:.2f} s, "
              f"{len(state.requests) - before} requests, "
              f"at most {state.most_in_flight} at once")  # fmt: skip
        latencies = key_latencies(url, f"{tmp}/b", args.keys)
        print_key_latencies(latencies, "key to repaint while translating", 50, each=True)


if __name__ == "__main__":
    main()
