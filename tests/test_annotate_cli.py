"""`nieuwslezer annotate`: spans as JSON Lines, from stdin or from page files."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

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


def test_files_that_cannot_be_read_are_named_and_nothing_read_is_exit_1(tmp_path: Path) -> None:
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    missing = tmp_path / "missing.txt"
    for args, message in (
        ([missing], f"{missing}: error: no such file or folder"),
        ([binary], f"{binary}: error: binary file"),
        ([missing, binary], f"{missing}: error: no such file or folder"),
    ):
        result = annotate(*map(str, args))
        assert result.returncode == 1, (args, result.stderr)
        assert message in result.stderr
        assert result.stderr.splitlines()[-1] == "nieuwslezer: nothing could be read"
        assert result.stdout == ""


def test_some_files_bad_annotates_the_others_as_export_does(tmp_path: Path) -> None:
    missing, good = tmp_path / "missing.txt", SEEDS / "003_cab50403b27c31fc.txt"
    result = annotate(str(missing), str(good))
    assert result.returncode == 0
    assert result.stderr == f"{missing}: error: no such file or folder\n"
    assert {json.loads(line)["file"] for line in result.stdout.splitlines()} == {str(good)}
    (tmp_path / "title_only.txt").write_text("Alleen een kop\n", encoding="utf-8")
    title_only = annotate(str(tmp_path / "title_only.txt"))
    assert title_only.returncode == 0 and title_only.stdout == "", "a page, as export counts it"


def test_empty_stdin_is_not_a_failure() -> None:
    result = annotate(stdin="")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
