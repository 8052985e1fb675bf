"""Where nieuwslezer keeps the user's files: config, cache and data folders.

Each can be moved with an environment variable (the tests use them to stay out of the user's
home); otherwise the platform's convention applies (platformdirs).
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "nieuwslezer"


def config_dir() -> Path:
    """$NIEUWSLEZER_CONFIG_DIR, else the platform's user config folder: config.toml, feeds."""
    folder = os.environ.get("NIEUWSLEZER_CONFIG_DIR")
    if folder:
        return Path(folder)
    from platformdirs import user_config_path

    return user_config_path(APP_NAME)


def cache_dir() -> Path:
    """$NIEUWSLEZER_CACHE_DIR, else the platform's user cache folder: translations."""
    folder = os.environ.get("NIEUWSLEZER_CACHE_DIR")
    if folder:
        return Path(folder)
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME)


def data_dir() -> Path:
    """$NIEUWSLEZER_DATA_DIR, else the platform's user data folder: the stored feed items."""
    folder = os.environ.get("NIEUWSLEZER_DATA_DIR")
    if folder:
        return Path(folder)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME)


# The library (reader/library/db.py) in the data folder, named here for what must find it
# without importing the library: the reader's first frame (library/peek.py) and export.
LIBRARY_FILE = "library.sqlite"


def library_path() -> Path:
    """The library's file in the data folder."""
    return data_dir() / LIBRARY_FILE
