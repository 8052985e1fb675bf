"""Folding text for filters: case and accents ignored, the same as the plain definition."""

from __future__ import annotations

import json
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from reader.text import CONTROL_CHARACTERS, fold, make_visible


def reference_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def test_accents_and_case_are_ignored() -> None:
    assert fold("GENÈVE") == fold("Genève") == "geneve"
    assert fold("Oekraïne: Ærø, Straße, ﬁnale") == "oekraine: ærø, strasse, finale"


@given(st.text(alphabet=st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",))))
def test_fold_is_the_plain_definition_for_any_text_of_the_basic_plane(text: str) -> None:
    assert fold(text) == reference_fold(text)


# Characters that steer a terminal or reorder what it shows (#13, point 11): bidi controls,
# C0 and C1 controls, and the Unicode line and paragraph separators.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
C1_CONTROLS = "".join(chr(code) for code in range(0x80, 0xA0))
STEERING = BIDI_CONTROLS + C1_CONTROLS + "\x00\x1b\x7f\n\r\u2028\u2029"


def test_bidi_controls_are_made_visible_as_escapes() -> None:
    assert make_visible("a\u202edliw\u202c b") == "a\\u202edliw\\u202c b"
    shown = make_visible("\u2066x\u2069 \u200e\u200f\u061c")
    assert shown == "\\u2066x\\u2069 \\u200e\\u200f\\u061c"


def test_c0_and_c1_controls_keep_their_short_escapes() -> None:
    assert make_visible("\x1b[31m \x85 \x9b2J \x7f") == "\\x1b[31m \\x85 \\x9b2J \\x7f"
    assert make_visible("kop\tmet tab") == "kop\tmet tab"  # a tab is white space, not a control


@given(st.text(alphabet=st.sampled_from(STEERING + "ab é\u05d0\u0627\t")))
def test_nothing_that_steers_survives_make_visible(text: str) -> None:
    shown = make_visible(text)
    assert not any(character in STEERING for character in shown)
    assert CONTROL_CHARACTERS.search(shown) is None


def test_ordinary_right_to_left_text_is_left_as_it_is() -> None:
    """Hebrew and Arabic letters order themselves; only the invisible controls are escaped."""
    assert make_visible("שלום en مرحبا") == "שלום en مرحبا"


def test_json_text_escapes_what_steers_and_reads_back_the_same() -> None:
    from reader.text import json_text  # new with #13: the other tests run without it

    record = {"title": "Kop \u202eevil\u202c \x85 \x9b2J \x7f \x1b é \u2028", "n": 1}
    written = json_text(record)
    assert written.isascii() is False  # é stays as it is: ensure_ascii would escape it
    assert "é" in written
    assert not any(character in STEERING for character in written)
    assert "\\u202e" in written and "\\u0085" in written and "\\u007f" in written
    assert json.loads(written) == record
