"""Debian's Chromium in headless mode, driven by selenium, and the pixels of its screenshots.

Used by the browser test, by benchmarks/web.py and to take docs/web-screenshot.png.
"""

from __future__ import annotations

import os
import shutil
import struct
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
# What a closed network otherwise refuses or waits on; no sandbox, as root in a container.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",
]


def browser_missing() -> str | None:
    """What of Chromium and its driver is not installed (apt-get install chromium
    chromium-driver), or None."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    return " and ".join(missing) or None


@contextmanager
def chromium(width: int = 1280, height: int = 800) -> Iterator[webdriver.Chrome]:
    """Headless Chromium with a window of `width` x `height` and a profile of its own, quit
    (and its profile removed) when the block ends. selenium-manager is never asked to
    download a driver: the driver's path is given."""
    profile = tempfile.mkdtemp(prefix="nieuwslezer-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.set_page_load_timeout(60)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def png_rows(png: bytes) -> list[list[tuple[int, int, int]]]:
    """The pixels of an 8-bit RGB or RGBA PNG (as Chromium's screenshots are), row by row."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, data, header = 8, b"", b""
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        body = png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            data += body
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and not interlace, "an unexpected kind of PNG"
    size = 4 if colour == 6 else 3
    raw = zlib.decompress(data)
    stride = width * size
    rows: list[list[tuple[int, int, int]]] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        _unfilter(kind, line, previous, size)
        rows.append([tuple(line[x : x + 3]) for x in range(0, stride, size)])  # type: ignore[misc]
        previous = line
    return rows


def _unfilter(kind: int, line: bytearray, previous: bytearray, size: int) -> None:
    if kind == 1:
        for i in range(size, len(line)):
            line[i] = (line[i] + line[i - size]) & 0xFF
    elif kind == 2:
        for i in range(len(line)):
            line[i] = (line[i] + previous[i]) & 0xFF
    elif kind == 3:
        for i in range(len(line)):
            left = line[i - size] if i >= size else 0
            line[i] = (line[i] + (left + previous[i]) // 2) & 0xFF
    elif kind == 4:
        for i in range(len(line)):
            a = line[i - size] if i >= size else 0
            b, c = previous[i], previous[i - size] if i >= size else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            nearest = a if pa <= pb and pa <= pc else b if pb <= pc else c
            line[i] = (line[i] + nearest) & 0xFF


# xterm.js draws the terminal on canvases; the text layer holds the cells' backgrounds too.
_ROWS_WITH_COLOUR = """
const [red, green, blue, least] = arguments;
const canvas = document.querySelector("canvas.xterm-text-layer");
if (!canvas) return [];
const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
const rows = [];
for (let y = 0; y < canvas.height; y++) {
  let count = 0;
  for (let i = y * canvas.width * 4; i < (y + 1) * canvas.width * 4; i += 4) {
    if (data[i] === red && data[i + 1] === green && data[i + 2] === blue) count++;
  }
  if (count >= least) rows.push(y);
}
return rows;
"""


def canvas_rows_with(
    driver: webdriver.Chrome, colour: tuple[int, int, int], least: int
) -> list[int]:
    """The pixel rows of the page's terminal with at least `least` pixels of `colour`."""
    rows: list[int] = driver.execute_script(_ROWS_WITH_COLOUR, *colour, least)
    return rows
