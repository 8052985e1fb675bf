"""Folding text for filters: case and accents ignored, the same as the plain definition."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from reader.text import fold


def reference_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def test_accents_and_case_are_ignored() -> None:
    assert fold("GENÈVE") == fold("Genève") == "geneve"
    assert fold("Oekraïne: Ærø, Straße, ﬁnale") == "oekraine: ærø, strasse, finale"


@given(st.text(alphabet=st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",))))
def test_fold_is_the_plain_definition_for_any_text_of_the_basic_plane(text: str) -> None:
    assert fold(text) == reference_fold(text)
