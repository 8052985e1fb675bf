"""`nieuwslezer search`, run as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.cli import main
from reader.feeds.items import Block, FeedItem
from reader.feeds.store import FeedStore
from reader.model import ParagraphKind
from tests.conftest import SEEDS, nieuwslezer_command


def search(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["search", *args])
    out, err = capsys.readouterr()
    return code, out, err


def usage_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main(["search", *args])
    assert exited.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1, err
    return err


def test_without_path_the_samples_are_searched_with_matches_marked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = search(capsys, "Oekraine", "--limit", "2")
    assert code == 0, err
    blocks = out.strip().split("\n\n")
    assert len(blocks) == 2
    assert all("[Oekraïne]" in block or "[Oekraïners]" in block for block in blocks)
    assert all(str(SEEDS) in block.splitlines()[0] for block in blocks)


def test_json_lines_one_object_per_hit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = search(capsys, "geneve", "--json")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    ticker = next(r for r in records if r["kind"] == "ticker")
    assert ticker["title"] == "GENÈVE" and ticker["title_matches"] == [[0, 6]]
    assert set(ticker) >= {"key", "kind", "title", "file", "link", "published", "paragraph",
                           "snippet", "matches"}  # fmt: skip
    for record in records:
        for start, end in record["matches"]:
            assert record["snippet"][start:end].casefold().startswith("gen")


def test_nothing_found_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = search(capsys, "xyzzyqwerty")
    assert (code, out) == (1, "") and "nothing found" in err


@pytest.mark.parametrize(
    "args",
    [("",), ("-",), ('  " ',), ("--", "-boeren"), ("a", "--limit", "0"), ("a", "--limit", "x"), (),
     ("a", "--limit", "99999999999999999999"), ("a", "--limit", "10001")],
)  # fmt: skip
def test_usage_errors_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    err = usage_error(capsys, *args)
    assert err.startswith("nieuwslezer search: ")


def test_fts_syntax_typed_by_the_user_is_no_error(capsys: pytest.CaptureFixture[str]) -> None:
    for query in ["NEAR(a b)", "Noord-Korea", "auto's", "3,5", '"Noord-Korea', "a:b", "x*", "^de"]:
        code, _, err = search(capsys, query)
        assert code in (0, 1) and "Traceback" not in err and "fts5" not in err


def test_paths_are_indexed_and_only_they_searched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page = tmp_path / "pagina.txt"
    page.write_text("Stikstof in \x1b[31mBrabant\nDe boeren en de militairen.\n", encoding="utf-8")
    code, out, _ = search(capsys, "militair", str(page))
    assert code == 0
    assert out.splitlines()[1] == "Stikstof in \\x1b[31mBrabant"
    assert "[militairen]" in out and out.count("\n\n") == 0
    code, out, _ = search(capsys, "Oekraine", str(page))
    assert code == 1


def test_stored_feed_articles_are_searched_not_the_samples(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = Path(os.environ["NIEUWSLEZER_DATA_DIR"])
    item = FeedItem(
        "g1",
        "Kabinet over Oekraïne",
        "https://nos.nl/1",
        datetime(2026, 12, 1, tzinfo=UTC),
        (Block(ParagraphKind.BODY, "Steun."),),
    )
    with FeedStore.open(data / "feeds.sqlite3") as store:
        store.save("https://nos.nl/feed", "NOS", [item])
    code, out, _ = search(capsys, "oekraine", "--json")
    assert code == 0
    assert [json.loads(line)["key"] for line in out.splitlines()] == ["feed:g1"]
    assert json.loads(out)["source"] == "NOS"


def test_a_damaged_index_is_reported_and_left_as_it_is(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = Path(os.environ["NIEUWSLEZER_DATA_DIR"])
    data.mkdir(parents=True, exist_ok=True)
    damaged = data / "search.sqlite"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    before = damaged.read_bytes()
    code, out, err = search(capsys, "oekraine")
    assert code == 1 and out == "" and str(damaged) in err and "left as it is" in err
    code, out, _ = search(capsys, "oekraine", str(SEEDS))  # pages: searched all the same
    assert code == 0 and "Oekraïne" in out
    assert damaged.read_bytes() == before


def test_the_installed_command() -> None:
    result = subprocess.run(
        [*nieuwslezer_command(), "search", "militair", "--limit", "1", str(SEEDS)],
        capture_output=True, text=True, encoding="utf-8", timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "[militairen]" in result.stdout


def test_a_word_to_leave_out_is_no_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = search(capsys, "Oekraine", "--json", "--limit", "99", str(SEEDS))
    everything = {json.loads(line)["key"] for line in out.splitlines()}
    code, out, _ = search(capsys, "Oekraine", "-Rusland", "--json", "--limit", "99", str(SEEDS))
    assert code == 0
    without = {json.loads(line)["key"] for line in out.splitlines()}
    assert without and without < everything
    code, out2, _ = search(capsys, "--json", "--limit", "99", "--", "Oekraine", "-Rusland")
    assert code == 0 and {json.loads(line)["key"] for line in out2.splitlines()} == without


def test_nothing_found_names_a_long_query_shortened(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = search(capsys, "stikstofx" * 5000)
    assert (code, out) == (1, "")
    assert err.startswith("nieuwslezer: nothing found for stikstofx") and len(err) < 200
    assert err.rstrip().endswith("…")


def test_a_page_whose_file_name_is_not_utf8_is_found_and_named(tmp_path: Path) -> None:
    import sys

    folder = tmp_path / "pages"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9.txt")
    (folder / name).write_text("Titel\nDEN HAAG (ANP) - Het kabinet valt.\n", encoding="utf-8")
    command = [sys.executable, "-m", "reader.cli", "search", "kabinet", str(folder)]
    plain = subprocess.run(command, capture_output=True, timeout=120)
    assert plain.returncode == 0, plain.stderr
    assert b"caf\\xe9.txt" in plain.stdout and b"[kabinet]" in plain.stdout
    lines = subprocess.run([*command, "--json"], capture_output=True, timeout=120)
    assert lines.returncode == 0, lines.stderr
    assert json.loads(lines.stdout)["file"] == str(folder / name)  # as export writes it
