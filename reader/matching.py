"""Matching what a reader types in a filter against what a list shows."""

from __future__ import annotations

from reader.text import fold

# Hyphens and dashes (U+2010 to U+2015, the minus sign too) count as the spaces they stand
# between: "zuid korea" finds Zuid-Korea, "zuid-korea" finds "Zuid Korea".
_DASHES_AS_SPACES = str.maketrans(dict.fromkeys("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212", " "))


def match_key(text: str) -> str:
    """`text` as a filter compares it: case and accents ignored (as `fold`), every run of
    hyphens, dashes and white space one space, none at the ends ("Zuid-Korea" -> "zuid korea").

    The same for a query and for the texts it is looked for in. Fast, as fold is: a filter
    makes the key of every row of a list of 100,000 on its first key.
    """
    folded = fold(text)
    folded = folded.replace("-", " ") if folded.isascii() else folded.translate(_DASHES_AS_SPACES)
    return " ".join(folded.split())
