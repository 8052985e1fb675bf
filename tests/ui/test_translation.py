"""Pilot tests of English beside the Dutch, against a local LibreTranslate-like server."""

from __future__ import annotations

from pathlib import Path

from reader.translate.backends import LibreBackend
from reader.translate.cache import TranslationCache
from reader.translate.service import TranslationService
from reader.ui.translating import texts_of
from tests.translate_server import translate_server
from tests.ui.helpers import reader_app


def translator(url: str, tmp_path: Path, **options) -> TranslationService:  # type: ignore[no-untyped-def]
    options.setdefault("backoff", 0.01)
    cache = TranslationCache(tmp_path / "cache.sqlite3")
    return TranslationService(LibreBackend(url=url), cache, **options)


async def test_t_shows_pending_then_english_beside_each_paragraph(tmp_path: Path) -> None:
    with translate_server(latency=0.3) as (url, state):
        async with reader_app(translator=translator(url, tmp_path)) as (app, pilot):
            await pilot.press("t")
            await pilot.pause()
            assert "… translating" in app.reader.text, "the Dutch shows at once, English pending"
            await app.workers.wait_for_complete()
            await pilot.pause()
            article = app.reader.shown
            for text in texts_of(article):
                assert f"EN:{text}" in app.reader.text
            assert "… translating" not in app.reader.text
            assert len(state.requests) == len(texts_of(article))
            await pilot.press("t")
            assert "EN:" not in app.reader.text


async def test_the_toggle_holds_while_moving_and_a_result_for_a_left_article_is_dropped(
    tmp_path: Path,
) -> None:
    with translate_server(latency=0.4) as (url, _):
        async with reader_app(translator=translator(url, tmp_path)) as (app, pilot):
            first = app.articles.highlighted
            await pilot.press("t", "j")  # move on before the first article's English arrives
            await app.workers.wait_for_complete()
            await pilot.pause()
            second = app.reader.shown
            assert second is not first
            for text in texts_of(second):
                assert f"EN:{text}" in app.reader.text
            assert first is not None
            assert f"EN:{first.title}" not in app.reader.text


async def test_a_failure_is_shown_per_paragraph_and_shift_t_retries(tmp_path: Path) -> None:
    with translate_server(mode="500") as (url, state):
        service = translator(url, tmp_path, retries=0, pause_after=100)
        async with reader_app(translator=service) as (app, pilot):
            await pilot.press("t")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "⚠ not translated: server error 500 (T retries)" in app.reader.text
            failed_requests = len(state.requests)
            state.mode = "ok"
            await pilot.press("T")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "⚠" not in app.reader.text
            assert len(state.requests) == 2 * failed_requests
            assert f"EN:{app.reader.shown.title}" in app.reader.text  # type: ignore[union-attr]


async def test_narrow_terminals_put_the_english_under_the_dutch(tmp_path: Path) -> None:
    with translate_server() as (url, _):
        async with reader_app(size=(80, 24), translator=translator(url, tmp_path)) as (app, pilot):
            await pilot.press("t")
            await app.workers.wait_for_complete()
            await pilot.pause()
            article = app.reader.shown
            lead = article.paragraphs[0].text  # type: ignore[union-attr]
            text = app.reader.text
            assert text.index(lead) < text.index(f"EN:{lead}")
            assert not app.reader.side_by_side


async def test_an_article_opened_again_translates_from_the_cache_without_requests(
    tmp_path: Path,
) -> None:
    with translate_server() as (url, state):
        async with reader_app(translator=translator(url, tmp_path)) as (app, pilot):
            await pilot.press("t")
            await app.workers.wait_for_complete()
        requests = len(state.requests)
        async with reader_app(translator=translator(url, tmp_path)) as (app, pilot):
            await pilot.press("t")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert f"EN:{app.reader.shown.title}" in app.reader.text  # type: ignore[union-attr]
        assert len(state.requests) == requests, "the next run asks nothing"
