"""The reader against hostile feeds, as a user runs it (issue 13).

    python benchmarks/hostile.py [--keys 40]

A loopback server serves one good feed beside hostile ones: entity expansion, a broken end
tag, a redirect to a malformed address, a 2 MB title with a 6 MB paragraph, a 429 with
Retry-After, and a server that trickles its headers a byte a second. Measured:
1. `nieuwslezer refresh`: wall time, peak memory, exit code, and one line per feed.
2. The reader on a pseudo-terminal while it refreshes those feeds on start: the time from each
   `j`/`k` to the reading pane showing the other article, median and worst (target: every key
   within 100 ms); then what `d` (the diagnostics) says.
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.installed import compile_like_pip
from benchmarks.latency import print_key_latencies
from tests.conftest import nieuwslezer_command
from tests.feed_server import FeedServer, Route
from tests.terminal import Terminal

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "feeds"
TITLES = ("Oekraïne: Rusland zet", "VS bevestigen dat Noord")


def rss(title: str, items: list[tuple[str, str]]) -> bytes:
    body = "".join(
        f"<item><title>{headline}</title><link>http://example.org/{index}</link>"
        f"<description>{text}</description><guid>{title}-{index}</guid></item>"
        for index, (headline, text) in enumerate(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>http://example.org/</link>{body}</channel></rss>"
    ).encode()


ENTITY_EXPANSION = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "' + b"A" * 100_000 + b'">]>'
    b'<rss version="2.0"><channel><title>Entities</title><item><title>boom</title>'
    b"<description>" + b"&a;" * 3000 + b"</description></item></channel></rss>"
)
BROKEN_END_TAG = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title>'
    b"<item><title>A</tXtle><description>x</description></item></channel></rss>"
)


def trickling_headers() -> str:
    """A server that answers the status line, then one header byte a second, for ever."""
    listener = socket.create_server(("127.0.0.1", 0))

    def answer(connection: socket.socket) -> None:
        with connection:
            try:
                connection.recv(65536)
                for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 600:
                    connection.send(bytes([byte]))
                    time.sleep(1)
            except OSError:
                pass  # the client gave up: what this is about

    def accept() -> None:
        while True:
            connection, _ = listener.accept()
            threading.Thread(target=answer, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}/trickle.xml"


def serve_hostile(server: FeedServer) -> list[str]:
    return [
        server.add_file("/good.xml", FIXTURES / "rss2_full.xml"),
        server.add("/entity.xml", Route(ENTITY_EXPANSION)),
        server.add("/broken.xml", Route(BROKEN_END_TAG)),
        server.add_redirect("/bad-redirect.xml", "http://[::1"),
        server.add("/huge.xml", Route(rss("Huge", [("T" * 2_000_000, "P " * 3_000_000)]))),
        server.add("/limited.xml", Route(b"slow down", status=429, headers={"Retry-After": "120"})),
        trickling_headers(),
    ]


def refresh_run() -> tuple[float, int, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [*nieuwslezer_command(), "refresh"], capture_output=True, text=True, timeout=600
    )
    return time.perf_counter() - start, done.returncode, done.stdout + done.stderr


def reading_pane_top(terminal: Terminal) -> str:
    """The first lines of the reading pane, right of the lists (40 columns at this width)."""
    return "\n".join(line[41:] for line in terminal.screen.display[1:7])


def key_latencies(keys: int) -> tuple[list[tuple[float, float]], str]:
    """`j`/`k` while the reader refreshes the hostile feeds; then the diagnostics' text."""
    terminal = Terminal([*nieuwslezer_command(), "--samples"], 110, 32)
    terminal.wait_for(lambda text: "32 ticker items" in text)
    # The saved pages alone, so the keys move between two known articles while feed
    # articles arrive: the last choice of the sources screen.
    for _ in range(20):  # `s` waits for the store to be read, in a worker
        terminal.send("s")
        if terminal.wait_for(lambda text: "Saved pages" in text, 1):
            break
    for _ in range(12):  # down to the last row, past the seven feeds
        terminal.send("\x1b[B")
        terminal.wait_for(lambda _: False, 0.05)
    terminal.send("\r")
    terminal.wait_for(lambda _: TITLES[0] in reading_pane_top(terminal))
    latencies = []
    for index in range(keys):
        expected = TITLES[(index + 1) % 2]
        latencies.append(
            terminal.press(
                "j" if index % 2 == 0 else "k",
                lambda _, e=expected: e in reading_pane_top(terminal),
            )
        )
        terminal.wait_for(lambda _: False, 0.1)
    terminal.wait_for(lambda _: False, 15)  # the refresh ends within its deadline
    terminal.send("d")
    terminal.wait_for(lambda _: False, 1)
    diagnostics = terminal.text()
    terminal.send("\x1b")
    terminal.send("q")
    terminal.wait_exit()
    return latencies, diagnostics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keys", type=int, default=40)
    args = parser.parse_args()
    compile_like_pip()
    with tempfile.TemporaryDirectory() as tmp, FeedServer() as server:
        for name in ("config", "data", "cache"):
            os.environ[f"NIEUWSLEZER_{name.upper()}_DIR"] = f"{tmp}/{name}"
        for url in serve_hostile(server):
            subprocess.run([*nieuwslezer_command(), "feeds", "add", url], check=True,
                           capture_output=True)  # fmt: skip
        seconds, code, output = refresh_run()
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"refresh of 7 feeds (6 hostile): {seconds:.1f} s, exit {code}, "
              f"peak memory of a child {peak:.0f} MB")  # fmt: skip
        print("  " + "\n  ".join(output.strip().splitlines()[-12:]))
        # A store of its own, so the reader's refresh asks every feed again (the first one
        # keeps the 429's Retry-After) and parses the hostile documents while keys are timed.
        os.environ["NIEUWSLEZER_DATA_DIR"] = f"{tmp}/data-reader"
        latencies, diagnostics = key_latencies(args.keys)
        print_key_latencies(latencies, "j/k while refreshing", 100)
        print("the diagnostics (d) after the refresh:")
        print(diagnostics)


if __name__ == "__main__":
    main()
