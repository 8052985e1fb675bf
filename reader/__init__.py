"""nieuwslezer: a terminal reader for Dutch news."""

# The one place the version is written: the build reads it from here (pyproject's
# [tool.hatch.version]), and reading it needs no importlib.metadata at start-up.
__version__ = "0.1.0"
