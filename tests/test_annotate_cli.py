"""`nieuwslezer annotate`: spans as JSON Lines, from stdin or from page files."""

from __future__ import annotations

import json
import subprocess

from tests.conftest import SEEDS, nieuwslezer_command


def annotate(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*nieuwslezer_command(), "annotate", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def test_one_object_per_input_line_with_offsets_into_that_line() -> None:
    lines = [
        "Noord-Korea heeft 10.000 militairen gestuurd, schat het Amerikaanse Pentagon.",
        "",
        "Volgens Zelensky zijn 3000 soldaten gedood of gewond.",
    ]
    result = annotate(stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 3
    first = records[0]
    assert first["numbers"] == [{"start": 18, "end": 24, "text": "10.000", "value": 10000}]
    assert first["sources"] == [
        {"start": 52, "end": 76, "text": "het Amerikaanse Pentagon", "cue": "schat"}
    ]
    assert records[1] == {"numbers": [], "sources": []}
    for line, record in zip(lines, records, strict=True):
        for span in record["numbers"] + record["sources"]:
            assert line[span["start"] : span["end"]] == span["text"]


def test_page_files_per_paragraph_with_the_dateline() -> None:
    result = annotate(str(SEEDS / "003_cab50403b27c31fc.txt"))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    lead = records[0]
    assert (lead["kind"], lead["line"]) == ("lead", 2)
    assert [s["text"] for s in lead["sources"]][:2] == ["ANP", "AFP"]
    assert {k: v for k, v in lead["numbers"][0].items() if k in ("text", "value")} == {
        "text": "10.000",
        "value": 10000,
    }
    assert sum(r["kind"] == "ticker" for r in records) == 7
