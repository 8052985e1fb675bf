"""What a list filter compares: case, accents and hyphens ignored."""

from __future__ import annotations

from reader.matching import match_key


def test_hyphens_and_dashes_are_spaces_in_text_and_query() -> None:
    assert match_key("zuid korea") in match_key("Zuid-Korea bevestigt")
    assert match_key("zuid-korea") in match_key("Zuid Korea")
    assert match_key("nieuws algemeen") in match_key("NOS Nieuws - Algemeen")
    assert match_key("den haag") in match_key("DEN\u2013HAAG \u2014 Den\u00a0Haag")


def test_case_and_accents_still_ignored_and_the_ends_of_a_query_trimmed() -> None:
    assert match_key("GENÈVE") == "geneve"
    assert match_key("  Genève ") == "geneve"
    assert match_key(" - ") == ""
