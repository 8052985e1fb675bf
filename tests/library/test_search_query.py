"""The user's search text as FTS5 syntax that cannot go wrong, and marking what it matches."""

from __future__ import annotations

import sqlite3

import pytest

from reader.library.query import (
    EMPTY,
    ONLY_EXCLUDED,
    TOO_LONG,
    Term,
    match_spans,
    parse_query,
    tokens,
)


def test_each_word_is_quoted_and_prefix_matched() -> None:
    query = parse_query("militair stikstof")
    assert query.match == '"militair"* AND "stikstof"*'
    assert query.problem is None


def test_punctuation_inside_a_word_makes_a_phrase_of_its_parts() -> None:
    assert parse_query("Noord-Korea").match == '"Noord Korea"*'
    assert parse_query("3,5").match == '"3 5"*'
    assert parse_query("auto's").match == '"auto s"*'


def test_a_quoted_phrase_is_exact_and_an_unbalanced_quote_runs_to_the_end() -> None:
    assert parse_query('"Den Haag" kabinet').match == '"Den Haag" AND "kabinet"*'
    assert parse_query('"Den Haag').match == '"Den Haag"'
    assert parse_query('kabinet "').match == '"kabinet"*'


def test_exclusions() -> None:
    assert parse_query("stikstof -boeren").match == '("stikstof"*) NOT ("boeren"*)'
    assert parse_query('a -"den haag" -x').match == '("a"*) NOT ("den haag" OR "x"*)'


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", EMPTY),
        ("   ", EMPTY),
        ("-", EMPTY),
        ('"', EMPTY),
        ('""', EMPTY),
        ("* ^ : ( )", EMPTY),
        ("\x00\x1b[31m", "ok"),
        ("-x", ONLY_EXCLUDED),
        ("-x -y", ONLY_EXCLUDED),
        ("woord " * 2000, TOO_LONG),
    ],
)
def test_a_query_that_means_nothing_is_a_problem_value(text: str, problem: str) -> None:
    query = parse_query(text)
    if problem == "ok":
        assert query.match == '"31m"*'
    else:
        assert query.match is None and query.problem == problem


@pytest.mark.parametrize(
    "text",
    [
        "NEAR(a b)", "a AND b", "a OR b", "NOT a", "a*", "^a", "title:a", "a:b", '"a" "b',
        "-", "- a", "a -", "--a", "{a b}", "a + b", "(a", "a)", "'", "\\", "\u202e", "\x00",
        "x" * 10_000, "ä" * 5000 + " -" * 10, "🙂", "1/2", "%_", "a\nb\tc",
    ],
)  # fmt: skip
def test_no_input_reaches_sqlite_as_syntax(text: str) -> None:
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE f USING fts5(t, tokenize = 'unicode61 remove_diacritics 2')"
    )
    connection.execute("INSERT INTO f VALUES ('a b near and or not title')")
    query = parse_query(text)
    if query.match is not None:
        connection.execute("SELECT * FROM f WHERE f MATCH ?", (query.match,)).fetchall()
    else:
        assert query.problem


def test_fts_words_are_plain_words() -> None:
    assert parse_query("NEAR AND OR").match == '"NEAR"* AND "AND"* AND "OR"*'


def test_tokens_cut_and_fold_as_unicode61_does() -> None:
    assert [word for _, _, word in tokens("Oekraïne, GENÈVE: Ägypten's 3,5")] == [
        "oekraine", "geneve", "agypten", "s", "3", "5",
    ]  # fmt: skip


def _terms(text: str) -> tuple[Term, ...]:
    return parse_query(text).terms


@pytest.mark.parametrize(
    ("query", "text", "marked"),
    [
        ("Oekraine", "Rusland valt Oekraïne aan", ["Oekraïne"]),
        ("geneve", "In GENÈVE werd gepraat", ["GENÈVE"]),
        ("ägy", "Ägypten en ägyptische", ["Ägypten", "ägyptische"]),
        ("militair", "De militairen en een militair", ["militairen", "militair"]),
        ('"den haag"', "In Den  Haag en den haagse", ["Den  Haag"]),
        ("Noord-Korea", "Noord-Koreaanse troepen, Noord Korea", ["Noord-Koreaanse", "Noord Korea"]),
        ("3,5", "3,5 miljard of 3.5", ["3,5", "3.5"]),
        ("auto's", "twee auto's", ["auto's"]),
        ("kabinet", "Het Kabinet-Schoof", ["Kabinet"]),
        ("zzz", "niets", []),
    ],
)
def test_match_spans_mark_what_the_index_matches(query: str, text: str, marked: list[str]) -> None:
    spans = match_spans(text, _terms(query))
    assert [text[start:end] for start, end in spans] == marked


TRICKY = [
    "Straße", "STRASSE", "ﬁets", "fiets", "Ørsted", "orsted", "Łódź", "lodz", "Ελλάδα",
    "ελλαδα", "İstanbul", "istanbul", "Việt", "viet", "½", "1", "²", "µ", "μ", "ǅ", "dž",
    "e\u0301te", "été", "ete", "Ä", "a", "naïef", "naief", "\U0001d400bc", "abc", "Й", "и",
    "\u017f", "s",
]  # fmt: skip


@pytest.mark.parametrize("word", TRICKY)
def test_marking_agrees_with_what_fts5_matches(word: str) -> None:
    """What match_spans marks is exactly what the index finds, for every pair of words."""
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE f USING fts5(t, tokenize = 'unicode61 remove_diacritics 2')"
    )
    connection.executemany("INSERT INTO f (rowid, t) VALUES (?, ?)", enumerate(TRICKY))
    query = parse_query(word)
    assert query.match is not None
    found = {
        row for (row,) in connection.execute("SELECT rowid FROM f WHERE f MATCH ?", (query.match,))
    }
    marked = {number for number, text in enumerate(TRICKY) if match_spans(text, query.terms)}
    assert marked == found


def test_a_long_phrase_or_hyphen_chain_is_refused_like_many_words() -> None:
    from reader.library.query import MAX_WORDS

    assert parse_query('"' + " ".join(["de"] * 1000) + '"').problem == TOO_LONG
    assert parse_query("-".join(["kabinet"] * 1000)).problem == TOO_LONG
    assert parse_query("stikstof -" + "-".join(["boer"] * 1000)).problem == TOO_LONG
    words = [f"w{n}" for n in range(MAX_WORDS)]
    assert parse_query(" ".join(words)).problem is None
    assert parse_query("-".join(words)).problem is None
    assert parse_query(" ".join([*words, "een"])).problem == TOO_LONG
