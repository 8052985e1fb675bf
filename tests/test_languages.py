"""Languages by name: "(French, not translated)", not "(already fr, not translated)"."""

from __future__ import annotations

from reader.translate.detect import LANGUAGES
from reader.translate.languages import LANGUAGE_NAMES, language_name


def test_every_language_the_detector_knows_has_a_name() -> None:
    assert all(code in LANGUAGE_NAMES for code in LANGUAGES)
    assert language_name("fr") == "French"
    assert language_name("de") == "German"
    assert language_name("zh-CN") == "Chinese (simplified)"


def test_an_unknown_code_is_shown_as_it_is() -> None:
    assert language_name("xx") == "xx"
    assert language_name("") == ""
