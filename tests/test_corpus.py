"""The corpus loader: decoding, hostile files, de-duplication, order."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from reader.corpus import MAX_FILE_BYTES, load_corpus
from reader.model import Severity
from tests.conftest import SEEDS

GOOD = (SEEDS / "003_cab50403b27c31fc.txt").read_bytes()
GOOD_TITLE = "VS schatten aantal Noord-Koreaanse soldaten in Rusland op 10.000"
PAGE = (
    "Titel met é\nUTRECHT (ANP) - Het kost € 5.\n"
    "Meer uit Binnenland\nZWOLLE (ANP) - Een.\n1 uur geleden"
)


def _twenty_megabytes() -> bytes:
    paragraph = "Dit is een lange alinea van een erg lang bestand. " * 20
    head = "Een reusachtige pagina\nUTRECHT (ANP) - Begin.\n"
    count = (20 * 1024 * 1024) // (len(paragraph) + 1)
    return (head + (paragraph + "\n") * count).encode()


# name -> (bytes, title the file should give or None, words one diagnostic on it must hold)
HOSTILE: dict[str, tuple[bytes, str | None, str | None]] = {
    "bom.txt": (codecs.BOM_UTF8 + PAGE.encode(), "Titel met é", None),
    "cp1252.txt": (PAGE.encode("cp1252"), "Titel met é", "Windows-1252"),
    "crlf.txt": (PAGE.replace("\n", "\r\n").encode(), "Titel met é", "line endings"),
    "no_separator.txt": (b"Titel\nUTRECHT (ANP) - Lead.\nNog een alinea.", "Titel", "separator"),
    "ticker_only.txt": (
        b"Meer uit Sport\nAMSTERDAM (ANP) - Ajax wint.\n3 uur geleden",
        None,
        "ticker only",
    ),
    "empty.txt": (b"", None, "empty"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), None, "binary"),
    "markup.txt": (
        b"[bold]Kop[/] [@click=app.quit]x[/]\nUTRECHT (ANP) - [link=file:///etc/passwd]x[/link]",
        "[bold]Kop[/] [@click=app.quit]x[/]",
        None,
    ),
    "escapes.txt": (
        b"Kop \x1b[31mrood\x1b[0m\nUTRECHT (ANP) - Bel\x07 \x9b2J",
        "Kop \x1b[31mrood\x1b[0m",
        "control characters",
    ),
    "utf16.txt": (PAGE.encode("utf-16"), "Titel met é", "UTF-16"),
}


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    for name, (data, _, _) in HOSTILE.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "zz_good.txt").write_bytes(GOOD)
    return tmp_path


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_each_hostile_file_loads_or_is_reported_and_the_rest_still_loads(
    hostile_folder: Path, name: str
) -> None:
    corpus = load_corpus([hostile_folder])
    titles = {article.file.rsplit("/", 1)[-1]: article.title for article in corpus.articles}
    assert titles.get("zz_good.txt") == GOOD_TITLE, "the good file of the folder loads"
    _, title, words = HOSTILE[name]
    assert titles.get(name) == title
    if words is not None:
        mine = [d for d in corpus.diagnostics if d.file.endswith(name)]
        assert any(words in d.message for d in mine), mine


def test_windows_1252_keeps_every_character(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_bytes(PAGE.encode("cp1252"))
    corpus = load_corpus([tmp_path])
    lead = corpus.articles[0].paragraphs[0]
    assert lead.text == "Het kost € 5."
    (warning,) = [d for d in corpus.diagnostics if d.severity is Severity.WARNING]
    assert warning.line == 1, "the first byte that is not UTF-8 is on line 1"


def test_crlf_is_normalised(tmp_path: Path) -> None:
    (tmp_path / "dos.txt").write_bytes(GOOD.replace(b"\n", b"\r\n"))
    corpus = load_corpus([tmp_path])
    assert corpus.articles[0].title == GOOD_TITLE
    assert all("\r" not in p.text for p in corpus.articles[0].paragraphs)
    assert all(item.age is not None for item in corpus.ticker)


def test_twenty_megabyte_file_loads_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "huge.txt").write_bytes(_twenty_megabytes())
    (tmp_path / "good.txt").write_bytes(GOOD)
    corpus = load_corpus([tmp_path])
    assert [a.title for a in corpus.articles] == [GOOD_TITLE, "Een reusachtige pagina"]
    assert len(corpus.articles[1].paragraphs) > 20_000, "nothing of the large file is lost"
    assert any("large" in d.message and d.file.endswith("huge.txt") for d in corpus.diagnostics)


def test_file_over_the_limit_is_skipped_with_a_message(tmp_path: Path) -> None:
    with open(tmp_path / "monster.txt", "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    (tmp_path / "good.txt").write_bytes(GOOD)
    corpus = load_corpus([tmp_path])
    assert [a.title for a in corpus.articles] == [GOOD_TITLE]
    (error,) = [d for d in corpus.diagnostics if d.file.endswith("monster.txt")]
    assert error.severity is Severity.ERROR and "too large" in error.message


def test_missing_path_is_a_diagnostic_not_an_exception(tmp_path: Path) -> None:
    corpus = load_corpus([tmp_path / "nope", SEEDS])
    assert len(corpus.articles) == 5
    assert corpus.diagnostics[0].file.endswith("nope")


def test_sample_corpus_deduplicates_the_ticker() -> None:
    corpus = load_corpus([SEEDS])
    assert len(corpus.articles) == 5
    assert sum(len(item.sightings) for item in corpus.ticker) == 35
    assert len(corpus.ticker) == 32
    tokio = next(i for i in corpus.ticker if i.dateline and i.dateline.place == "TOKIO")
    assert [Path(s.file).name[:3] for s in tokio.sightings] == ["001", "002"]
    assert [s.age.text for s in tokio.sightings if s.age] == ["3 uur geleden", "1 uur geleden"]


def test_order_articles_by_file_name_ticker_by_first_sighting(tmp_path: Path) -> None:
    nested = tmp_path / "b"
    nested.mkdir()
    for name in ("002_643072ad90021aff.txt", "000_677511ae5c9e6493.txt"):
        (nested / name).write_bytes((SEEDS / name).read_bytes())
    (tmp_path / "a.txt").write_bytes(GOOD)
    corpus = load_corpus([tmp_path])
    assert [Path(a.file).name[:3] for a in corpus.articles] == ["a.t", "000", "002"]
    first_places = [i.dateline.place for i in corpus.ticker[:2] if i.dateline]
    assert first_places == ["BRASILIA", "ANKARA"], "003's ticker (a.txt) is sighted first"
    assert corpus.ticker[7].dateline and corpus.ticker[7].dateline.place == "MINNEAPOLIS"


def test_same_file_given_twice_loads_once() -> None:
    corpus = load_corpus([SEEDS, SEEDS / "000_677511ae5c9e6493.txt"])
    assert len(corpus.articles) == 5


def test_ticker_newest_first_puts_undated_items_last_in_their_order() -> None:
    from reader.corpus import ticker_newest_first
    from reader.model import Age, CorpusTickerItem, Sighting

    def item(text: str, age: Age | None) -> CorpusTickerItem:
        return CorpusTickerItem(None, text, None, (Sighting("a.txt", 1, age),))

    ticker = [
        item("21m", Age("21 minuten geleden", 21)),
        item("none", None),
        item("5h", Age("5 uur geleden", 300)),
        item("clock", Age("12:45", None)),
        item("16m", Age("16 minuten geleden", 16)),
        item("yesterday", Age("gisteren", 1440)),
    ]
    assert [i.text for i in ticker_newest_first(ticker)] == [
        "16m", "21m", "5h", "yesterday", "none", "clock"
    ]  # fmt: skip


def test_the_sample_ticker_newest_first() -> None:
    from reader.corpus import ticker_newest_first

    minutes = [item.age.minutes for item in ticker_newest_first(load_corpus([SEEDS]).ticker)]
    assert minutes == sorted(minutes)  # type: ignore[type-var]
    assert minutes[0] == 16


FIXTURES = Path(__file__).parent / "fixtures" / "hostile"


def test_each_cut_page_loads_with_what_it_holds_and_says_where_it_ends() -> None:
    cut_pages = sorted(FIXTURES.glob("cut_*.txt"))
    assert len(cut_pages) >= 5
    corpus = load_corpus([*cut_pages, SEEDS / "003_cab50403b27c31fc.txt"])
    assert corpus.files_read == len(cut_pages) + 1
    for page in cut_pages:
        (ends,) = [
            d for d in corpus.diagnostics if d.file == str(page) and "ends inside" in d.message
        ]
        assert ends.severity is Severity.WARNING and ends.line > 0
    cut_articles = [a for a in corpus.articles if a.cut]
    assert sorted(Path(a.file).name for a in cut_articles) == [
        "cut_in_lead_dateline.txt",
        "cut_in_paragraph.txt",
    ]


def test_a_cut_off_fragment_joins_no_story_in_the_ticker(tmp_path: Path) -> None:
    whole = SEEDS / "001_febc59f7181d7d7e.txt"
    cut = (FIXTURES / "cut_after_age.txt").read_bytes()  # 001 cut after "33 minuten geledenDA"
    (tmp_path / "a_whole.txt").write_bytes(whole.read_bytes())
    (tmp_path / "b_cut.txt").write_bytes(cut)
    (tmp_path / "c_cut_again.txt").write_bytes(cut)
    corpus = load_corpus([tmp_path])
    fragments = [item for item in corpus.ticker if item.cut]
    assert [(item.text, [Path(s.file).name for s in item.sightings]) for item in fragments] == [
        ("DA", ["b_cut.txt"]),
        ("DA", ["c_cut_again.txt"]),
    ], "each fragment stands alone: not one story seen twice"
    stories = [item for item in corpus.ticker if not item.cut]
    assert len(stories) == 7, "the whole items of the cut pages join those of the whole page"
    davos_33 = next(item for item in stories if item.age and item.age.text == "33 minuten geleden")
    assert [s.age.text for s in davos_33.sightings if s.age] == ["33 minuten geleden"] * 3


def test_export_marks_what_a_page_ends_inside_and_only_that() -> None:
    from reader.export import corpus_records

    corpus = load_corpus(
        [FIXTURES / "cut_in_paragraph.txt", FIXTURES / "cut_in_ticker_text.txt", SEEDS]
    )
    records = list(corpus_records(corpus))
    cut = [(r["type"], Path(r["file"]).name) for r in records if r.get("cut") is True]
    assert cut == [("article", "cut_in_paragraph.txt"), ("ticker", "cut_in_ticker_text.txt")]
    assert all("cut" not in r for r in records if not r.get("cut")), "whole records as before"
