"""The web mode in a real browser: Debian's Chromium, headless, driven by selenium. The page
opens on its start dialog; Start starts a reader; keys reach it; the screenshot shows the
reader, not the dialog; `q` ends the session. Skipped without Chromium and chromium-driver,
except in CI (CI=true), where that is a failure: .ci/run installs them."""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable

import pytest

from tests.web.browser import browser_missing, canvas_rows_with, png_rows
from tests.web.served import children, serving

try:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # without the test extra: the check below says what is missing
    pass

# The colours of textual-dark, the reader's theme (Textual is pinned).
FOCUSED_CURSOR = (1, 120, 212)  # the list's highlighted row
BLURRED_CURSOR = (12, 48, 75)  # the same before the page has the focus
KEY_BAR = (36, 47, 56)  # the footer, with the keys
START_BUTTON = (94, 11, 167)  # textual-serve's start dialog

Pixels = list[list[tuple[int, int, int]]]


@pytest.fixture
def need_chromium() -> None:
    missing = browser_missing()
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing = "selenium (pip install '.[test]')"
    if missing is None:
        return
    message = f"{missing} not installed (apt-get install chromium chromium-driver)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"the browser test must run in CI: {message}")
    pytest.skip(message)


def wait(condition: Callable[[], object], timeout: float = 60) -> None:
    """Wait for `condition()` to hold (a generous time-out: waiting, not timing)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.1)


def rows_mostly(pixels: Pixels, colour: tuple[int, int, int], share: float) -> list[int]:
    return [y for y, row in enumerate(pixels) if row.count(colour) >= share * len(row)]


def colours(pixels: Pixels) -> Counter[tuple[int, int, int]]:
    return Counter(pixel for row in pixels for pixel in row)


def test_the_page_starts_a_reader_that_keys_drive_and_the_screenshot_shows(
    need_chromium: None,
) -> None:
    from tests.web.browser import chromium

    with serving("--samples") as (server, port), chromium(1280, 800) as driver:
        driver.get(f"http://127.0.0.1:{port}/?delay=1")  # with its start dialog
        start = driver.find_element(By.ID, "start")
        WebDriverWait(driver, 60).until(lambda _: start.is_displayed())
        dialog = png_rows(driver.get_screenshot_as_png())
        assert colours(dialog)[START_BUTTON] > 1000, "the start dialog's button"
        assert not rows_mostly(dialog, KEY_BAR, 0.5)
        assert not children(server.pid), "no reader before Start"

        start.click()
        wait(lambda: canvas_rows_with(driver, BLURRED_CURSOR, 200))  # the first frame
        first_row = canvas_rows_with(driver, BLURRED_CURSOR, 200)[0]
        keys = driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
        keys.send_keys("j")
        wait(lambda: canvas_rows_with(driver, FOCUSED_CURSOR, 200))
        assert canvas_rows_with(driver, FOCUSED_CURSOR, 200)[0] > first_row, "j moved down"

        reader = png_rows(driver.get_screenshot_as_png())
        assert len(rows_mostly(reader, FOCUSED_CURSOR, 0.12)) >= 10, "a highlighted row"
        assert len(rows_mostly(reader, KEY_BAR, 0.6)) >= 10, "the key bar"
        assert colours(reader)[START_BUTTON] == 0, "not the start dialog"

        keys.send_keys("q")
        body = driver.find_element(By.TAG_NAME, "body")
        wait(lambda: "-closed" in (body.get_attribute("class") or ""))  # "Session ended."
        wait(lambda: not children(server.pid))
