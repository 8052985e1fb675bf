"""The FTS5 search index (search.sqlite): what it finds, in which order, and how it keeps."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reader.corpus import load_corpus
from reader.feeds.items import Block, FeedItem
from reader.feeds.store import FeedStore
from reader.library.feed_index import catch_up_feeds
from reader.library.index import SearchIndex
from reader.library.search import search
from reader.library.search_docs import FEED, PAGE, SearchDoc, cached_english, corpus_docs
from reader.model import ParagraphKind
from tests.conftest import SEEDS

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def doc(key: str, title: str, *paragraphs: str, hours_ago: float = 0) -> SearchDoc:
    time = (NOW - timedelta(hours=hours_ago)).timestamp()
    return SearchDoc(f"feed:{key}", FEED, title, paragraphs, time, None, f"https://x.nl/{key}")


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    opened = SearchIndex.open(tmp_path / "search.sqlite")
    assert opened.problem is None
    opened.index(
        [
            doc(
                "a",
                "Oorlog in Oekraïne",
                "Rusland valt aan.",
                "Militairen trekken op.",
                hours_ago=3,
            ),
            doc("b", "Overleg in GENÈVE", "De VN praten in Genève over Noord-Korea.", hours_ago=1),
            doc("c", "Ägypten en de Nijl", "Een auto's-wasstraat kost 3,5 euro.", hours_ago=2),
            doc("d", "Stikstof", "Boeren protesteren tegen stikstofregels.", hours_ago=5),
            doc("e", "Stikstof stikstof stikstof", "Over stikstof, zonder bezwaar.", hours_ago=9),
        ]
    )
    return opened


def keys(index: SearchIndex, text: str, **options: object) -> list[str]:
    result = search(index, text, **options)  # type: ignore[arg-type]
    assert result.problem is None, result.problem
    return [hit.key.removeprefix("feed:") for hit in result.hits]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Oekraine", ["a"]),
        ("geneve", ["b"]),
        ("ägy", ["c"]),
        ("AGYPTEN", ["c"]),
        ("militair", ["a"]),
        ('"noord korea"', ["b"]),
        ("Noord-Korea", ["b"]),
        ("3,5", ["c"]),
        ("auto's", ["c"]),
        ('"rusland valt"', ["a"]),
        ('"valt rusland"', []),
        ("stikstof -boeren", ["e"]),
        ("in", ["b", "a"]),
        ("NEAR", []),
    ],
)
def test_finds_accent_and_case_insensitively_by_prefix_and_phrase(
    index: SearchIndex, text: str, found: list[str]
) -> None:
    assert keys(index, text) == found


def test_newest_first_by_default_and_relevance_on_request(index: SearchIndex) -> None:
    assert keys(index, "stikstof") == ["d", "e"]
    assert keys(index, "stikstof", relevance=True) == ["e", "d"]
    assert keys(index, "stikstof", limit=1) == ["d"]


def test_relevance_ranks_the_newest_matches_only(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reader.library.search.RELEVANCE_WINDOW", 1)
    assert keys(index, "stikstof", relevance=True) == ["d"]


def test_a_hit_names_the_paragraph_and_marks_the_words(index: SearchIndex) -> None:
    (hit,) = search(index, "militair").hits
    assert hit.paragraph == 1 and hit.title == "Oorlog in Oekraïne"
    assert [hit.snippet[s:e] for s, e in hit.matches] == ["Militairen"]
    (hit,) = search(index, "oorlog").hits
    assert hit.paragraph is None and hit.title_matches == ((0, 6),)
    assert hit.link == "https://x.nl/a" and hit.time == NOW - timedelta(hours=3)


def test_malformed_queries_are_problems_not_exceptions(index: SearchIndex) -> None:
    for text in ['"', "-", "-x", "", "NEAR(", "a:", "*", "x" * 10_000]:
        result = search(index, text)
        assert result.hits == () or result.problem is None


def test_reindexing_skips_what_is_unchanged_and_updates_what_changed(index: SearchIndex) -> None:
    again = index.index(
        [doc("a", "Oorlog in Oekraïne", "Rusland valt aan.", "Militairen trekken op.", hours_ago=3)]
    )
    assert (again.added, again.changed, again.skipped) == (0, 0, 1)
    changed = index.index([doc("a", "Vrede in Oekraïne", "Gesprekken.", hours_ago=3)])
    assert changed.changed == 1
    assert keys(index, "vrede") == ["a"] and keys(index, "militair") == []
    assert index.count() == 5


def test_stable_ids_survive_vacuum(index: SearchIndex, tmp_path: Path) -> None:
    index.remove(["feed:b", "feed:c"])
    with index.use("reading ids") as connection:
        before = dict(connection.execute("SELECT key, id FROM docs").fetchall())
        connection.execute("VACUUM")
        after = dict(connection.execute("SELECT key, id FROM docs").fetchall())
    assert before == after and len(after) == 3
    assert keys(index, "stikstof") == ["d", "e"] and keys(index, "militair") == ["a"]


def test_ids_grow_with_time_so_rowid_order_is_newest_first(tmp_path: Path) -> None:
    with SearchIndex.open(tmp_path / "s.sqlite") as index:
        # Indexed oldest last, several in one millisecond.
        index.index([doc(str(n), "woord", hours_ago=n // 3) for n in range(12)])
        hits = search(index, "woord").hits
        times = [hit.time for hit in hits]
        assert len(hits) == 12 and times == sorted(times, reverse=True)  # type: ignore[type-var]


def test_english_is_found_at_index_time_and_when_it_arrives(index: SearchIndex) -> None:
    english = {"Boeren protesteren tegen stikstofregels.": "Farmers protest nitrogen rules."}
    index.index(
        [doc("f", "Boeren", "Boeren protesteren tegen stikstofregels.")], english=english.get
    )
    (hit,) = search(index, "farmer").hits
    assert hit.in_english and hit.paragraph == 0 and hit.snippet.startswith("Farmers")
    assert keys(index, "troops") == []
    assert index.add_english("feed:a", {1: "Soldiers advance."})
    assert keys(index, "soldier") == ["a"] and keys(index, "militair") == ["a"]
    assert not index.add_english("feed:nothing", ["x"])


def test_pages_and_ticker_items_of_a_corpus(tmp_path: Path) -> None:
    corpus = load_corpus([SEEDS])
    with SearchIndex.open(tmp_path / "s.sqlite") as index:
        first = index.index(corpus_docs(corpus))
        assert first.added == len(corpus.articles) + len(corpus.ticker)
        assert index.index(corpus_docs(corpus)).skipped == first.added
        hits = search(index, "geneve").hits
        assert any(hit.kind == "ticker" and hit.title == "GENÈVE" for hit in hits)
        assert all(hit.file and Path(hit.file).is_absolute() for hit in hits)
        assert search(index, "militair", kinds=(PAGE,)).hits


def test_an_edited_page_replaces_its_old_version(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text("Titel over stikstof\nDe boeren protesteren.\n", encoding="utf-8")
    with SearchIndex.open(tmp_path / "s.sqlite") as index:
        index.index(corpus_docs(load_corpus([page])))
        page.write_text("Titel over water\nDe boeren protesteren.\n", encoding="utf-8")
        index.index(corpus_docs(load_corpus([page])))
        assert [hit.title for hit in search(index, "titel").hits] == ["Titel over water"]


def _item(n: int, text: str) -> FeedItem:
    published = NOW - timedelta(hours=n)
    return FeedItem(
        f"g{n}", f"Bericht {n}", f"https://x.nl/{n}", published, (Block(ParagraphKind.BODY, text),)
    )


def test_feed_articles_catch_up_by_changed_and_drop_what_the_store_lost(tmp_path: Path) -> None:
    store_path = tmp_path / "feeds.sqlite3"
    with FeedStore.open(store_path) as store:
        store.save("https://x.nl/feed", "X", [_item(1, "stikstof"), _item(2, "water")], NOW)
    progress: list[tuple[int, int]] = []
    with SearchIndex.open(tmp_path / "s.sqlite") as index:
        first = catch_up_feeds(index, store_path, progress=lambda *p: progress.append(p))
        assert (first.added, progress) == (2, [(2, 2)])
        with FeedStore.open(store_path) as store:
            store.save("https://x.nl/feed", "X", [_item(3, "stikstof")], NOW + timedelta(hours=1))
        second = catch_up_feeds(index, store_path)
        assert second.added == 1 and second.skipped == 2  # those at the watermark
        assert [hit.key for hit in search(index, "stikstof").hits] == ["feed:g1", "feed:g3"]
        assert search(index, "stikstof").hits[0].source == "X"
        with FeedStore.open(store_path) as store:
            store.prune(keep_days=1, now=NOW + timedelta(days=1, hours=-1, minutes=-30))
        third = catch_up_feeds(index, store_path)
        assert third.removed == 2
        assert [hit.key for hit in search(index, "stikstof").hits] == ["feed:g1"]
        assert catch_up_feeds(index, tmp_path / "none.sqlite3").problem is None


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


@pytest.mark.parametrize("kind", ["garbage", "newer", "foreign", "truncated"])
def test_an_unusable_index_is_reported_and_left_byte_identical(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "search.sqlite"
    if kind == "garbage":
        path.write_bytes(b"not a database at all, just some text\n" * 200)
    else:
        connection = sqlite3.connect(path)
        if kind == "newer":
            connection.execute("PRAGMA application_id = 1313624881")
            connection.execute("PRAGMA user_version = 99")
        connection.execute("CREATE TABLE t (x)")
        connection.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
        connection.commit()
        connection.close()
        if kind == "truncated":
            data = path.read_bytes()
            path.write_bytes(data[:100] + b"\xff" * (len(data) - 100))
    before = _bytes(path)
    index = SearchIndex.open(path)
    assert index.problem is not None and str(path) in index.problem
    result = search(index, "stikstof")
    assert result.hits == () and result.problem and "unavailable" in result.problem
    assert index.index([doc("a", "stikstof")]).problem
    assert catch_up_feeds(index, tmp_path / "feeds.sqlite3").problem is None
    index.close()
    assert _bytes(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["search.sqlite"]


def test_a_locked_index_still_searches_and_says_why_it_cannot_index(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reader.library.index._BUSY_MS", 50)
    holder = sqlite3.connect(index.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another reader indexing
    try:
        second = SearchIndex.open(index.path)
        assert second.problem is None
        assert [hit.key for hit in search(second, "militair").hits] == ["feed:a"]
        indexed = second.index([doc("z", "stikstof")])
        assert indexed.problem and "locked" in indexed.problem
        assert second.available  # a lock is no damage: it may work again later
        second.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_the_dateline_of_a_lead_is_searched_too(tmp_path: Path) -> None:
    with SearchIndex.open(tmp_path / "s.sqlite") as index:
        index.index(corpus_docs(load_corpus([SEEDS])))
        hits = search(index, "kyiv", kinds=(PAGE,)).hits
        assert hits and hits[0].paragraph == 0 and hits[0].snippet.startswith("KYIV (")


def test_cached_english_reads_the_translation_cache_and_creates_nothing(tmp_path: Path) -> None:
    from reader.translate.cache import TranslationCache

    path = tmp_path / "translations.sqlite3"
    assert cached_english(path)("Boeren protesteren.") is None
    assert not path.exists()
    TranslationCache(path).put("libre", "nl", "en", "Boeren protesteren.", "Farmers protest.")
    lookup = cached_english(path)
    assert lookup("Boeren  protesteren.") == "Farmers protest."
    assert lookup("Iets anders.") is None


@pytest.mark.parametrize("kind", ["odd rows", "not a store", "garbage"])
def test_a_strange_feed_store_is_a_problem_or_read_as_far_as_it_can_be(
    tmp_path: Path, kind: str
) -> None:
    store_path = tmp_path / "feeds.sqlite3"
    if kind == "garbage":
        store_path.write_bytes(b"\x00garbage" * 1000)
    else:
        connection = sqlite3.connect(store_path)
        if kind == "odd rows":
            connection.execute(
                "CREATE TABLE items (guid, source, title, link, published, fetched,"
                " blocks_json, changed)"
            )
            connection.executemany(
                "INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    ("g1", None, None, 5, "x", None, 42, None),
                    ("g2", b"NOS", "Stikstof", "javascript:x", 1.0, 1.0, '[["body"]]', 2.0),
                    (None, "NOS", "Stikstof", None, 1.0, 1.0, "[", 3.0),
                    ("g3", "NOS", "Water", None, 1.0, 1.0, '[["body", "stikstof"]]', "z"),
                ],
            )
        else:
            connection.execute("CREATE TABLE other (x)")
        connection.commit()
        connection.close()
    before = store_path.read_bytes()
    with SearchIndex.open(tmp_path / "s.sqlite") as index:
        report = catch_up_feeds(index, store_path)
        if kind == "odd rows":
            assert report.problem is None and report.added == 3
            assert [hit.key for hit in search(index, "stikstof").hits] == ["feed:g3", "feed:g2"]
            assert search(index, "stikstof").hits[1].link is None
        else:
            assert report.problem and str(store_path) in report.problem
    assert store_path.read_bytes() == before


def test_an_article_stored_by_a_refresh_that_began_earlier_is_indexed(tmp_path: Path) -> None:
    store_path = tmp_path / "feeds.sqlite3"
    published = NOW - timedelta(hours=1)
    with FeedStore.open(store_path) as store:
        store.save("https://x.example/", "X", [FeedItem("x1", "stikstof X", None, published, ())],
                   NOW + timedelta(seconds=30))  # fmt: skip
    with SearchIndex.open(tmp_path / "search.sqlite") as index:
        catch_up_feeds(index, store_path)
        # another process's refresh, begun at NOW (its items' `changed`), stores only now
        with FeedStore.open(store_path) as store:
            store.save("https://y.example/", "Y",
                       [FeedItem("y1", "stikstof Y", None, published, ())], NOW)  # fmt: skip
        catch_up_feeds(index, store_path)
        assert {hit.key for hit in search(index, "stikstof").hits} == {"feed:x1", "feed:y1"}


def test_a_feed_article_missing_from_the_index_is_added_when_the_counts_differ(
    tmp_path: Path,
) -> None:
    store_path = tmp_path / "feeds.sqlite3"
    with FeedStore.open(store_path) as store:
        store.save("https://x.nl/feed", "X", [_item(1, "stikstof"), _item(2, "stikstof")], NOW)
    with SearchIndex.open(tmp_path / "search.sqlite") as index:
        catch_up_feeds(index, store_path)
        index.remove(["feed:g2"])  # lost, whatever the reason: beyond the watermark's reach
        with index.use("moving the watermark") as connection:
            connection.execute("UPDATE meta SET value = value + 86400 WHERE name = 'changed'")
        assert catch_up_feeds(index, store_path).added == 1
        assert {hit.key for hit in search(index, "stikstof").hits} == {"feed:g1", "feed:g2"}


def test_a_huge_limit_is_no_traceback(tmp_path: Path) -> None:
    with SearchIndex.open(tmp_path / "search.sqlite") as index:
        index.index([doc("a", "stikstof")])
        for limit in (10**20, 10**7, -5):
            result = search(index, "stikstof", limit=limit)
            assert result.problem is None
        assert len(search(index, "stikstof", limit=10**20).hits) == 1


def test_a_ticker_hit_names_the_file_it_was_found_in_now(tmp_path: Path) -> None:
    import shutil

    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(SEEDS, old)
    shutil.copytree(SEEDS, new)
    with SearchIndex.open(tmp_path / "search.sqlite") as index:
        index.index(list(corpus_docs(load_corpus([old]))))
        shutil.rmtree(old)  # yesterday's folder is gone
        docs = list(corpus_docs(load_corpus([new])))
        index.index(docs)
        tickers = [d for d in docs if d.kind == "ticker"]
        word = tickers[0].paragraphs[0].split()[1]
        hits = search(index, word, keys={tickers[0].key}).hits
        assert hits and all(hit.file and hit.file.startswith(str(new)) for hit in hits)


def test_a_page_file_whose_name_is_not_utf8_is_indexed_and_found(tmp_path: Path) -> None:
    import os

    folder = tmp_path / "pages"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9.txt")
    (folder / name).write_text("Titel over stikstof\nDEN HAAG (ANP) - Het kabinet en stikstof.\n")
    (folder / "gewoon.txt").write_text("Ander stuk\nHet kabinet en stikstof, opnieuw.\n")
    with SearchIndex.open(tmp_path / "search.sqlite") as index:
        report = index.index(list(corpus_docs(load_corpus([folder]))))
        assert report.problem is None and report.added == 2  # one bad name fails no chunk
        files = {hit.file for hit in search(index, "stikstof").hits}
    assert {os.path.basename(file) for file in files if file} == {name, "gewoon.txt"}


def test_what_cannot_be_stored_fails_its_chunk_as_a_problem_not_an_exception(
    tmp_path: Path,
) -> None:
    with SearchIndex.open(tmp_path / "search.sqlite") as index:
        bad = SearchDoc("feed:\udce9", FEED, "stikstof", ("stikstof",), NOW.timestamp())
        report = index.index([doc("a", "stikstof"), bad])
        assert report.problem and "indexing failed" in report.problem
        assert index.available  # not damage: the next chunk may do
        assert index.index([doc("b", "stikstof")]).added == 1


def test_a_feed_article_with_an_absurd_date_is_indexed_as_undated(tmp_path: Path) -> None:
    store_path = tmp_path / "feeds.sqlite3"
    with FeedStore.open(store_path) as store:
        store.save("https://x.nl/feed", "X", [_item(1, "stikstof"), _item(2, "stikstof")], NOW)
    connection = sqlite3.connect(store_path)
    connection.execute("UPDATE items SET published = 1e300 WHERE guid = 'g1'")
    connection.execute("UPDATE items SET published = -1e300 WHERE guid = 'g2'")
    connection.commit()
    connection.close()
    with SearchIndex.open(tmp_path / "search.sqlite") as index:
        report = catch_up_feeds(index, store_path)
        assert report.problem is None and report.added == 2
        hits = search(index, "stikstof").hits
        assert {hit.key for hit in hits} == {"feed:g1", "feed:g2"}


def test_a_named_pipe_where_the_index_should_be_is_refused_without_waiting(
    tmp_path: Path,
) -> None:
    import os
    import threading

    path = tmp_path / "search.sqlite"
    os.mkfifo(path)
    opened: list[SearchIndex] = []
    opening = threading.Thread(target=lambda: opened.append(SearchIndex.open(path)), daemon=True)
    opening.start()
    opening.join(30)  # a guard against a hang, not a timing
    if opening.is_alive():  # HEAD: it waits for a writer forever; give it one and fail
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        opening.join(5)
        pytest.fail("opening a named pipe as the search index waited for a writer")
    assert opened[0].problem and "not a regular file" in opened[0].problem
    assert path.is_fifo()


def test_a_search_replaced_by_a_newer_one_stops(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.library.search import SUPERSEDED

    ask = index.next_search

    def a_newer_one_is_asked_for_at_once() -> int:
        mine = ask()
        ask()  # another thread's search, asked for while this one runs
        return mine

    monkeypatch.setattr(index, "next_search", a_newer_one_is_asked_for_at_once)
    result = search(index, "militair OR stikstof")
    assert (result.hits, result.problem) == ((), SUPERSEDED)
    monkeypatch.undo()
    assert [hit.key for hit in search(index, "militair").hits] == ["feed:a"]


def test_a_hit_in_a_huge_paragraph_marks_its_match_reading_only_around_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.library.query as query

    filler = "woord " * 400_000  # 2.4 MB
    paragraph = filler + "het Stikstofakkoord ligt er " + filler
    with SearchIndex.open(tmp_path / "search.sqlite") as index:
        index.index([doc("a", "Een lang stuk", "kort", paragraph), doc("b", "Ägypten", filler)])
        tokenized: list[int] = []
        real = query.tokens
        monkeypatch.setattr(query, "tokens", lambda text: tokenized.append(len(text)) or real(text))
        hits = search(index, "stikstof").hits
        assert [hit.key for hit in hits] == ["feed:a"] and hits[0].paragraph == 1
        start, end = hits[0].matches[0]
        assert hits[0].snippet[start:end] == "Stikstofakkoord"
        assert search(index, "agypten").hits[0].title_matches == ((0, 7),)
    assert tokenized and max(tokenized) <= 50_000


def test_a_running_search_stops_when_a_newer_one_is_asked_for(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.library.search import SUPERSEDED

    monkeypatch.setattr("reader.library.search._CHECK_STEPS", 1)
    asked: list[int] = []

    def newer_once_it_runs(ticket: int) -> bool:
        asked.append(ticket)
        return len(asked) > 1  # not when it starts; from its first step on

    monkeypatch.setattr(index, "superseded", newer_once_it_runs)
    result = search(index, "militair")
    assert (result.hits, result.problem, len(asked) > 1) == ((), SUPERSEDED, True)
