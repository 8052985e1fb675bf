"""Opening an article's web page: in a graphical browser only.

Python's webbrowser falls back on console browsers (lynx, w3m) when there is no display; one
of those would take over the terminal the reader is drawing in. So without a display (or a
$BROWSER the user chose) nothing is started, and the reader offers the address instead.
"""

from __future__ import annotations

import os
import sys


def can_open_browser() -> bool:
    if os.environ.get("BROWSER"):
        return True
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_in_browser(url: str) -> bool:
    """Open `url` in a new browser tab; False when no browser could be started.

    Blocks while the browser starts: call it from a worker."""
    import webbrowser

    try:
        return webbrowser.open(url, new=2)
    except webbrowser.Error:
        return False
