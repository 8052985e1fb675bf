"""Text -> spans: the numbers and the attributed sources of a paragraph (pure Python).

`annotate` is the one entry point; `numbers` and `sources` hold the rules of each layer,
`number_words` and `lexicon` their word tables, `claims` links numbers to their sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reader.highlight.numbers import find_numbers
from reader.highlight.sources import find_sources
from reader.model import Span


@dataclass(frozen=True, slots=True)
class Annotation:
    numbers: tuple[Span, ...]
    sources: tuple[Span, ...]


@lru_cache(maxsize=4096)
def annotate(text: str) -> Annotation:
    """The numbers and the sources of one paragraph. Cached: paragraphs are shown again."""
    return Annotation(tuple(find_numbers(text)), tuple(find_sources(text)))
