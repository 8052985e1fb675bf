"""Where the bundled sample corpus and stylesheets are, in a clone and when installed."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    # An installed wheel carries them inside the package (see pyproject's force-include);
    # a clone or an editable install has them at the top of the repository.
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def seeds_dir() -> Path:
    """The sample corpus opened when no path is given."""
    return _bundled("seeds")


def styles_dir() -> Path:
    """The Textual stylesheets (*.tcss)."""
    return _bundled("styles")


def reader_styles() -> Path:
    """The main screen's stylesheet."""
    return styles_dir() / "reader.tcss"


def dialog_styles() -> Path:
    """The dialogs' stylesheet, read after the first frame (reader/ui/app.py)."""
    return styles_dir() / "dialogs.tcss"
