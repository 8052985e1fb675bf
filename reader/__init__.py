"""nieuwslezer: a terminal reader for Dutch news."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("nieuwslezer")
except PackageNotFoundError:  # running from a clone that was never installed
    __version__ = "0+unknown"
