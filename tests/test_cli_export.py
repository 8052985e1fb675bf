"""`nieuwslezer export`, `--version` and `--help`, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader import __version__
from reader.commands.common import usage_parser
from reader.corpus import load_corpus
from reader.export import article_record
from reader.feeds.items import Block, FeedItem, feed_article
from reader.library.keys import article_key
from reader.library.state import Library, Starred
from reader.model import Link, ParagraphKind
from tests.conftest import SEEDS, nieuwslezer_command


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*nieuwslezer_command(), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=120,
    )


def test_export_without_path_exports_the_bundled_samples(tmp_path: Path) -> None:
    result = run("export", cwd=tmp_path)  # another folder: the samples are found anyway
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    articles = [r for r in records if r["type"] == "article"]
    ticker = [r for r in records if r["type"] == "ticker"]
    assert len(articles) == 5 and len(ticker) == 32
    assert sum(len(r["sightings"]) for r in ticker) == 35
    assert result.stderr == ""
    first = articles[0]
    assert first["title"].startswith("Oekraïne: Rusland zet")
    assert (first["place"], first["agencies"]) == ("KYIV", ["ANP", "RTR", "AFP"])
    assert [p["kind"] for p in first["paragraphs"]] == ["lead", "body", "body", "body"]
    assert first["paragraphs"][0]["line"] == 2
    minneapolis = ticker[0]
    assert (minneapolis["place"], minneapolis["age"], minneapolis["age_minutes"]) == (
        "MINNEAPOLIS",
        "21 minuten geleden",
        21,
    )
    assert minneapolis["section"] == "Buitenland"
    assert minneapolis["text"].startswith("Duizenden mensen")


def test_export_reports_diagnostics_on_stderr_naming_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"Kop\nZonder dateline.\nMeer uit Sport\nA (ANP) - x")
    (tmp_path / "good.txt").write_bytes((SEEDS / "002_643072ad90021aff.txt").read_bytes())
    result = run("export", str(tmp_path))
    assert result.returncode == 0
    assert len([line for line in result.stdout.splitlines() if '"article"' in line]) == 2
    lines = result.stderr.splitlines()
    assert (
        f"{tmp_path / 'bad.txt'}:2: warning: the lead has no dateline 'PLACE (AGENCY) - '" in lines
    )
    assert all(line.startswith(str(tmp_path / "bad.txt")) for line in lines)


def test_export_escapes_control_characters_in_diagnostics(tmp_path: Path) -> None:
    (tmp_path / "evil\x1b[2J.txt").write_bytes(b"")
    result = run("export", str(tmp_path))
    assert "\x1b" not in result.stderr
    assert "evil\\x1b[2J.txt" in result.stderr


def test_export_exit_codes(tmp_path: Path) -> None:
    assert run("export", str(tmp_path / "missing")).returncode == 1
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02")
    nothing = run("export", str(tmp_path))
    assert nothing.returncode == 1
    assert "binary" in nothing.stderr and nothing.stdout == ""
    assert run("export", "--no-such-option").returncode == 2


def test_export_writes_and_selects_by_the_librarys_state() -> None:
    """As a user runs it: marks and stars made in the reader (here through the library) are
    on the records, and --starred, --unread select by them."""
    articles = load_corpus([SEEDS]).articles
    with Library.open() as library:  # the test's own data folder (conftest)
        library.see([article_key(a) for a in articles])
        library.set_read(article_key(articles[0]))
        library.star(Starred.of(articles[1]))
        library.star(Starred.of(articles[0]))
    starred = run("export", "--starred", str(SEEDS))
    assert starred.returncode == 0 and starred.stderr == ""
    records = [json.loads(line) for line in starred.stdout.splitlines()]
    assert [(r["title"], r["read"], r["starred"]) for r in records] == [
        (articles[0].title, True, True),
        (articles[1].title, False, True),
    ]
    assert all(r["first_seen"].endswith("+00:00") for r in records)
    unread_starred = run("export", "--starred", "--unread", str(SEEDS))
    assert [json.loads(line)["title"] for line in unread_starred.stdout.splitlines()] == [
        articles[1].title
    ]
    usage = run("export", "--starred=no")
    assert usage.returncode == 2 and len(usage.stderr.splitlines()) == 1


def test_version_and_help() -> None:
    version = run("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"nieuwslezer {__version__}"
    helped = run("--help")
    assert helped.returncode == 0 and "export" in helped.stdout
    export_help = run("export", "--help")
    assert export_help.returncode == 0 and "JSON Lines" in export_help.stdout
    assert "--starred" in export_help.stdout and "--unread" in export_help.stdout


def test_page_records_keep_their_fields_and_feed_articles_add_theirs() -> None:
    page = article_record(load_corpus([SEEDS / "002_643072ad90021aff.txt"]).articles[0])
    assert list(page) == [
        "type", "file", "line", "title", "place", "agencies",
        "read", "starred", "first_seen", "paragraphs",
    ]  # fmt: skip
    assert list(page["paragraphs"][0]) == ["kind", "text", "line", "place", "agencies"]
    link = Link("de Kamer", "https://nos.nl/kamer")
    item = FeedItem(
        guid="nos-1",
        title="Kabinet valt",
        link="https://nos.nl/artikel/1",
        published=datetime(2024, 11, 12, 13, 32, 5, tzinfo=UTC),
        blocks=(Block(ParagraphKind.BODY, "Het kabinet is gevallen, meldt de Kamer.", (link,)),),
        cut=True,
    )
    record = article_record(feed_article(item, "NOS Nieuws", "https://feeds.nos.nl/nieuws"))
    assert record == {
        "type": "article",
        "file": "https://nos.nl/artikel/1",
        "line": 0,
        "title": "Kabinet valt",
        "place": None,
        "agencies": [],
        "source": "NOS Nieuws",
        "link": "https://nos.nl/artikel/1",
        "published": "2024-11-12T13:32:05+00:00",
        "guid": "nos-1",
        "cut": True,
        "read": False,
        "starred": False,
        "first_seen": None,
        "paragraphs": [
            {
                "kind": "lead",
                "text": "Het kabinet is gevallen, meldt de Kamer.",
                "line": 0,
                "place": None,
                "agencies": [],
                "links": [{"text": "de Kamer", "href": "https://nos.nl/kamer"}],
            }
        ],
    }


def test_export_unread_says_it_could_not_select_when_the_library_is_unreadable() -> None:
    """Review finding 6: with a library that could not be read, `--unread` wrote nothing and
    exited 0, as if everything were read."""
    library = Path(os.environ["NIEUWSLEZER_DATA_DIR"]) / "library.sqlite"
    library.parent.mkdir(parents=True, exist_ok=True)
    library.write_bytes(b"garbage" * 500)
    for options in (["--unread"], ["--starred"]):
        done = run("export", *options)
        assert done.stdout == "" and done.returncode == 1
        [line] = done.stderr.splitlines()
        assert line.startswith(f"nieuwslezer: cannot select {options[0]}: library {library}")
    everything = run("export", str(SEEDS))
    assert everything.returncode == 0 and everything.stdout, "without a selection: null state"
    assert "written as null" in everything.stderr
    assert library.read_bytes() == b"garbage" * 500


def test_the_commands_share_one_usage_parser(capsys: pytest.CaptureFixture[str]) -> None:
    """export's and search's usage errors come from commands.common.usage_parser (it was
    copied into each): one line, `PROG: message`, control characters made visible, exit 2."""
    parser = usage_parser(prog="nieuwslezer export")
    with pytest.raises(SystemExit) as exit_:
        parser.parse_args(["--kleur=\x1b[31mrood"])
    assert exit_.value.code == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("nieuwslezer export: unrecognized arguments: --kleur=")
    assert "\x1b" not in line
    for command in ("export", "search"):
        done = run(command, "--no-such-option")
        assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
        assert done.stderr.startswith(f"nieuwslezer {command}: ")
