"""The highlighter's quality on labelled Dutch news paragraphs (exact and overlap span match).

Three sets follow the conventions of docs/highlighting.md. `highlight_gold.jsonl` (183
paragraphs: economy, politics, sport, justice, weather, culture, health, science, local and
international news, war) is the development set the rules were built against.
`highlight_heldout.jsonl` (118 paragraphs, other topics and styles, Belgian news among them)
was labelled by someone who never saw the rules, and the rules were not changed after it was
first scored: keep it that way, or it stops measuring anything.
`highlight_heldout_real.jsonl` (62 paragraphs) is real published text (regional and national
Dutch news sites, ANP wire copy, Tweakers; each line names the page it comes from), labelled
before it was first scored (issue 14). Two more real sets followed the same way, each from
pages the earlier sets do not use: `highlight_heldout_real2.jsonl` (59 paragraphs; police,
economy, sport, justice) was labelled and scored before the rules changed, then served with
`highlight_heldout_real` as the development set for the families of issue 14;
`highlight_heldout_real3.jsonl` (41 paragraphs; weather, health, local government) was
labelled and scored before the last of those changes and never used to write rules: it is
the held-out measure now, keep it that way. The floors sit a little under the scores
measured, so a change that makes the highlighter worse fails here.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from reader.highlight.numbers import find_numbers
from reader.highlight.sources import find_sources

DATA = Path(__file__).parent / "data"
# (set, layer) -> (exact floor, overlap floor). Measured with issue 14 (exact / overlap):
# gold numbers 0.999 / 0.999, sources 0.985 / 0.995; held-out numbers 0.999 / 0.999,
# sources 0.971 / 0.983; real numbers 0.986 / 0.986, sources 0.982 / 0.982; real2 numbers
# 0.984 / 0.984, sources 0.952 / 0.952; real3 numbers 0.989 / 0.989, sources 0.928 / 0.928.
FLOORS = {
    ("highlight_gold", "numbers"): (0.97, 0.97),
    ("highlight_gold", "sources"): (0.97, 0.98),
    ("highlight_heldout", "numbers"): (0.97, 0.97),
    ("highlight_heldout", "sources"): (0.96, 0.97),
    ("highlight_heldout_real", "numbers"): (0.97, 0.97),
    ("highlight_heldout_real", "sources"): (0.96, 0.96),
    ("highlight_heldout_real2", "numbers"): (0.97, 0.97),
    ("highlight_heldout_real2", "sources"): (0.93, 0.93),
    ("highlight_heldout_real3", "numbers"): (0.97, 0.97),
    ("highlight_heldout_real3", "sources"): (0.90, 0.90),
}
MINIMUM_PARAGRAPHS = {
    "highlight_gold": 100,
    "highlight_heldout": 100,
    "highlight_heldout_real": 60,
    "highlight_heldout_real2": 55,
    "highlight_heldout_real3": 40,
}
REAL_SETS = ("highlight_heldout_real", "highlight_heldout_real2", "highlight_heldout_real3")


def _records(labelled: str) -> list[dict]:
    lines = (DATA / f"{labelled}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _f1(found: int, expected: int, both_found: int, both_expected: int) -> float:
    precision, recall = both_found / found, both_expected / expected
    return 2 * precision * recall / (precision + recall)


def scores(labelled: str, layer: str) -> tuple[float, float]:
    """Exact F1 (same start and end) and overlap F1 (a span counts where it overlaps one of
    the other side)."""
    find = find_numbers if layer == "numbers" else find_sources
    found = expected = exact = overlap_found = overlap_expected = 0
    for record in _records(labelled):
        gold = {tuple(span) for span in record[layer]}
        marked = {(span.start, span.end) for span in find(record["text"])}
        found, expected, exact = (
            found + len(marked),
            expected + len(gold),
            exact + len(gold & marked),
        )
        overlap_found += sum(any(a < d and c < b for c, d in gold) for a, b in marked)
        overlap_expected += sum(any(a < d and c < b for c, d in marked) for a, b in gold)
    return _f1(found, expected, exact, exact), _f1(found, expected, overlap_found, overlap_expected)


@pytest.mark.parametrize(("labelled", "layer"), sorted(FLOORS))
def test_f1_stays_above_its_floor(labelled: str, layer: str) -> None:
    exact, overlap = scores(labelled, layer)
    exact_floor, overlap_floor = FLOORS[labelled, layer]
    assert exact >= exact_floor
    assert overlap >= overlap_floor


@pytest.mark.parametrize("labelled", sorted(MINIMUM_PARAGRAPHS))
def test_the_labelled_sets_are_well_formed(labelled: str) -> None:
    records = _records(labelled)
    assert len(records) >= MINIMUM_PARAGRAPHS[labelled]
    for record in records:
        for layer in ("numbers", "sources"):
            spans = [tuple(span) for span in record[layer]]
            assert spans == sorted(spans)
            assert all(0 <= a < b <= len(record["text"]) for a, b in spans)
            assert all(b <= c for (_, b), (c, _) in itertools.pairwise(spans))


@pytest.mark.parametrize("labelled", REAL_SETS)
def test_real_paragraphs_name_where_they_were_published(labelled: str) -> None:
    for record in _records(labelled):
        assert record["source"].startswith(("https://", "http://"))


def test_each_real_set_comes_from_pages_the_others_do_not_use() -> None:
    pages = [{record["source"] for record in _records(labelled)} for labelled in REAL_SETS]
    for one, other in itertools.combinations(pages, 2):
        assert not one & other
