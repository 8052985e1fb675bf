"""Pilot tests of English beside the Dutch, against a local LibreTranslate-like server."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from rich.style import Style
from textual.pilot import Pilot
from textual.strip import Strip

from reader.feeds.items import UNTITLED
from reader.model import Article
from reader.translate import service as translation_service
from reader.translate.backends import LibreBackend
from reader.translate.cache import TranslationCache
from reader.translate.config import NoTranslator
from reader.translate.result import Failed
from reader.translate.service import TranslationService
from reader.ui import reading_pane, translating
from reader.ui.app import ReaderApp, build_app
from reader.ui.documents import DocumentBuilder, plain_text
from reader.ui.translating import SETTLE_SECONDS, TranslationsArrived, texts_of
from reader.ui.wrapping import Block
from tests.conftest import SEEDS
from tests.test_translate_pause import Clock
from tests.translate_server import ServerState, translate_server
from tests.ui.helpers import reader_app


async def settled(pilot: Pilot[int]) -> None:
    """Wait until the item shown has stayed long enough to be sent, and its English is in."""
    await pilot.pause(SETTLE_SECONDS + 0.1)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


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
            assert sorted(state.texts) == sorted(texts_of(article))
            assert len(state.requests) == 1, "an article's texts in one request (#14)"
            await pilot.press("t")
            assert "EN:" not in app.reader.text


async def test_the_toggle_holds_while_moving_and_a_result_for_a_left_article_is_dropped(
    tmp_path: Path,
) -> None:
    with translate_server(latency=0.4) as (url, state):
        async with reader_app(translator=translator(url, tmp_path)) as (app, pilot):
            first = app.articles.highlighted
            await pilot.press("t", "j")  # move on before the first article's English arrives
            await settled(pilot)
            await pilot.pause()
            second = app.reader.shown
            assert second is not first
            for text in texts_of(second):
                assert f"EN:{text}" in app.reader.text
            assert first is not None
            assert f"EN:{first.title}" not in app.reader.text
            asked = [r["q"] if isinstance(r["q"], list) else [r["q"]] for r in state.requests]
            of_first = [texts for texts in asked if set(texts) & set(texts_of(first))]
            assert len(of_first) <= 1, "only the request in flight when it was left"


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


def write_pages(folder: Path, count: int, paragraphs: int = 2) -> Path:
    """`count` pages of one article each, with `paragraphs` paragraphs of their own."""
    folder.mkdir()
    for page in range(count):
        body = [
            f"DEN HAAG (ANP) - Bericht {page}, alinea {index}: het kabinet neemt maatregelen."
            for index in range(paragraphs)
        ]
        (folder / f"{page:03}.txt").write_text(
            f"Kabinet besluit over zaak {page}\n" + "\n".join(body)
        )
    return folder


async def test_shift_t_with_the_english_off_sends_nothing_and_says_how_to_turn_it_on(
    tmp_path: Path,
) -> None:
    with translate_server() as (url, state):
        async with reader_app(translator=translator(url, tmp_path)) as (app, pilot):
            await pilot.press("T")
            await settled(pilot)
            assert state.requests == [], "nothing is sent before the reader asks for English"
            assert app.reader.translation_of is None
            assert "translating" not in app.reader.text
            messages = [str(n.message) for n in app._notifications]
            assert "English is off: press t to translate." in messages
            await pilot.press("t", "t", "T")  # on, off: still nothing more than the first `t`
            await settled(pilot)
            assert app.reader.translation_of is None
            assert set(state.texts) <= set(texts_of(app.reader.shown))


async def test_a_pause_counts_down_on_screen_and_then_tries_again_on_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with paused_service_reader(tmp_path, monkeypatch) as (app, pilot, state, clock):
        lines = app.reader.text.splitlines()
        paused = [line for line in lines if "paused" in line]
        assert paused, "the service pauses after the first failure"
        for line in paused:
            assert line.endswith("⚠ not translated: paused after repeated failures (T retries)")
        assert "paused, trying again in 60 s" in legend(app)
        assert len(state.requests) == 1
        clock.now += 3
        await pilot.pause(0.3)
        assert "paused, trying again in 57 s" in legend(app), "it counts down"
        state.mode = "ok"
        clock.now += 60
        await pilot.pause(0.3)
        await settled(pilot)
        assert "⚠" not in app.reader.text, "tried again with no key pressed"
        for text in texts_of(app.reader.shown):
            assert f"EN:{text}" in app.reader.text


@asynccontextmanager
async def paused_service_reader(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    paths: Sequence[Path] = (SEEDS,),
    latency: float = 0.0,
) -> AsyncIterator[tuple[ReaderApp, Pilot[int], ServerState, Clock]]:
    """The reader with the English on (and, unless `latency`, sent), on a service that fails
    (HTTP 500) and pauses after one failure, its clock the test's; a pause counts down
    every 0.05 s. A text a request, so that the pause meets the article's later texts."""
    monkeypatch.setattr(translating, "PAUSE_TICK", 0.05)
    monkeypatch.setattr(translation_service, "BATCH_TEXTS", 1)
    clock = Clock()
    with translate_server(mode="500", latency=latency) as (url, state):
        service = translator(url, tmp_path, retries=0, pause_after=1, clock=clock, concurrency=1)
        async with reader_app(paths, translator=service) as (app, pilot):
            await pilot.press("t")
            if not latency:
                await settled(pilot)
            yield app, pilot, state, clock


def legend(app: ReaderApp) -> str:
    """The reading pane's bottom line: the legend, and how translating goes."""
    return str(app.reader.border_subtitle)


async def test_a_pause_repaints_its_countdown_and_no_paragraph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page of 300 paragraphs held back by a pause: each second the legend's countdown is
    repainted, and no paragraph is built or wrapped again."""
    folder = write_pages(tmp_path / "pages", 1, paragraphs=300)
    async with paused_service_reader(tmp_path, monkeypatch, [folder]) as (app, pilot, _, clock):
        assert app.reader.text.count("paused after repeated failures") >= 299
        built, wrapped = [], []
        article_blocks = DocumentBuilder.article_blocks
        render_block = reading_pane.render_block

        def counted_blocks(builder: DocumentBuilder, article: Article) -> list[Block]:
            built.append(article)
            return article_blocks(builder, article)

        def counted_wrap(*args: Any) -> list[Strip]:
            wrapped.append(args)
            return render_block(*args)

        monkeypatch.setattr(DocumentBuilder, "article_blocks", counted_blocks)
        monkeypatch.setattr(reading_pane, "render_block", counted_wrap)
        seen = []
        for _ in range(4):
            clock.now += 5
            await pilot.pause(0.15)  # three ticks
            seen.append(legend(app).split(" · ")[-1])
        assert (len(built), len(wrapped)) == (0, 0), "the ticks laid out no paragraph"
        assert seen == [f"paused, trying again in {60 - 5 * n} s" for n in (1, 2, 3, 4)]


async def test_a_pause_tick_while_the_app_closes_is_harmless(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The countdown's timer may fire once more while the app tears its widgets down: that
    tick finds no reading pane and must stop, not fail the app."""
    folder = write_pages(tmp_path / "pages", 1, paragraphs=5)
    async with paused_service_reader(tmp_path, monkeypatch, [folder]) as (app, _pilot, _, _clock):
        assert app._pause_timer is not None, "the countdown is running"
        await app.reader.remove()
        app._tick_pause()  # raised NoMatches: "No nodes match 'ReadingPane'"
        assert app._pause_timer is None, "the countdown stopped"


async def test_moving_fast_with_the_english_on_sends_only_the_article_that_stays(
    tmp_path: Path,
) -> None:
    folder = write_pages(tmp_path / "pages", 32)
    with translate_server(latency=0.05) as (url, state):
        async with reader_app([folder], translator=translator(url, tmp_path)) as (app, pilot):
            await pilot.press("t")
            await settled(pilot)
            before = len(state.texts)
            for _ in range(30):
                await pilot.press("j")
            await settled(pilot)
            stayed = app.reader.shown
            assert stayed is app.articles.items[30]
            sent = state.texts[before:]
            assert sorted(sent) == sorted(texts_of(stayed)), "the articles passed: nothing sent"
            for text in texts_of(stayed):
                assert f"EN:{text}" in app.reader.text


async def test_english_on_a_very_large_page_keeps_the_reader_responsive_and_esc_stops_it(
    tmp_path: Path,
) -> None:
    """1,500 paragraphs: those the pane shows (1,000) are sent, with progress; the pane is laid
    out a step at a time; Esc stops sending."""
    folder = write_pages(tmp_path / "pages", 1, paragraphs=1500)
    # 1,001 texts go in 14 batches, 4 at once: still sending after a second.
    with translate_server(latency=0.5) as (url, state):
        async with reader_app([folder], translator=translator(url, tmp_path)) as (app, pilot):
            gaps: list[float] = []
            last = [time.perf_counter()]

            def beat() -> None:
                now = time.perf_counter()
                gaps.append(now - last[0])
                last[0] = now

            app.set_interval(0.02, beat)
            await pilot.pause(0.1)
            await pilot.press("t")
            await pilot.pause(1.0)
            status = app.reader.english_status
            assert status.startswith("translating ") and status.endswith(
                " / 1,001 paragraphs (Esc stops)"
            )
            assert app.reader.border_subtitle is not None
            assert status in str(app.reader.border_subtitle)
            await pilot.press("escape")
            await app.workers.wait_for_complete()
            await pilot.pause()
            stopped = len(state.texts)
            await pilot.pause(0.6)
            assert len(state.texts) == stopped < 1001, "Esc stopped the sending"
            assert set(state.texts) <= set(texts_of(app.reader.shown))
            assert app.reader.english_status == ""
            assert "⚠ not translated: stopped (T retries)" in app.reader.text
            assert max(gaps) < 0.3, f"the interface stalled for {max(gaps):.2f} s"


def toasts(app: ReaderApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def t_sends_what_was_stopped(app: ReaderApp, pilot: Pilot[int]) -> None:
    assert "⚠ not translated: stopped (T retries)" in app.reader.text
    await pilot.press("T")
    await settled(pilot)
    for text in texts_of(app.reader.shown):
        assert f"EN:{text}" in app.reader.text


async def test_esc_before_an_article_is_sent_keeps_it_from_being_sent(tmp_path: Path) -> None:
    """Esc in the moment (0.3 s) an article waits before it is sent stops translating, as it
    does while a worker sends: the article is not sent, the filter stays."""
    folder = write_pages(tmp_path / "pages", 3)
    with translate_server() as (url, state):
        async with reader_app([folder], translator=translator(url, tmp_path)) as (app, pilot):
            await pilot.press("slash", *"kabinet", "enter", "t")
            await settled(pilot)
            sent = len(state.requests)
            await pilot.press("j", "escape")
            await settled(pilot)
            assert len(state.requests) == sent, "Esc kept the article from being sent"
            assert app.articles.filter_text == "kabinet", "Esc stopped translating, not the filter"
            assert "Stopped translating: T sends the rest." in toasts(app)
            await t_sends_what_was_stopped(app, pilot)


async def test_esc_during_a_pause_stops_the_try_at_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with paused_service_reader(tmp_path, monkeypatch) as (app, pilot, state, clock):
        assert "paused, trying again in 60 s" in legend(app)
        await pilot.press("escape")
        assert "paused" not in legend(app) and "paused" not in app.reader.text
        state.mode = "ok"
        clock.now += 61
        await pilot.pause(0.3)
        await settled(pilot)
        assert len(state.requests) == 1, "stopped: nothing sent when the pause is over"
        await t_sends_what_was_stopped(app, pilot)


async def test_a_stopped_worker_s_last_message_does_not_send_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Esc stopped a worker whose last batch comes after the pause it met is over: its
    results are kept, and nothing is sent until T."""
    slow = paused_service_reader(tmp_path, monkeypatch, latency=0.3)  # the first text in flight
    async with slow as (app, pilot, state, clock):
        await pilot.pause(0.1)
        worker = next(worker for worker in app.workers if worker.group == "translate")
        assert len(state.requests) == 1 and not worker.is_finished, "the first text in flight"
        await pilot.press("escape")
        assert "⚠ not translated: stopped (T retries)" in app.reader.text
        await app.workers.wait_for_complete()
        await pilot.pause()
        sent = len(state.requests)
        clock.now += 61  # the pause is over
        item = app.reader.shown
        texts = texts_of(item)
        late = [(text, Failed("paused", retryable=True, paused=True)) for text in texts[1:]]
        app.post_message(TranslationsArrived(worker, item, late, 3, 3, finished=True))
        await settled(pilot)
        assert len(state.requests) == sent, "a stopped translation stays stopped until T"
        assert "⚠ not translated: stopped (T retries)" in app.reader.text


async def test_a_translation_cache_problem_is_said_once_and_keeps_to_itself(
    tmp_path: Path,
) -> None:
    folder = write_pages(tmp_path / "pages", 2)
    (tmp_path / "cache-folder").mkdir()
    with translate_server() as (url, _):
        backend = LibreBackend(url=url)
        service = TranslationService(backend, TranslationCache(tmp_path / "cache-folder"))
        app = build_app([folder], problems=["a settings problem"], translator=service)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await pilot.pause()
            await pilot.press("t")
            await settled(pilot)
            await pilot.press("j")
            await settled(pilot)
            cache = [message for message in toasts(app) if "translation cache" in message]
            assert len(cache) == 1 and "unusable" in cache[0]
            assert app._startup_problems == ["a settings problem"], "the settings' own list"


async def test_a_failure_t_cannot_fix_shows_no_t_hint(tmp_path: Path) -> None:
    """The "(T retries)" hint only where trying again may help: not after a refused key, nor when
    the settings give no translator; T still sends again if pressed."""
    with translate_server(mode="401") as (url, state):
        service = translator(url, tmp_path, pause_after=100)
        async with reader_app(translator=service) as (app, pilot):
            await pilot.press("t")
            await settled(pilot)
            assert "⚠ not translated: the service refused the API key" in app.reader.text
            assert "T retries" not in app.reader.text
            sent = len(state.requests)
            await pilot.press("T")
            await settled(pilot)
            assert len(state.requests) > sent, "T asks again all the same"
    why = "config.toml: [translation] backend must be one of 'google', 'libre'"
    cache = TranslationCache(tmp_path / "none.sqlite3")
    # No pause: its paragraphs would say "paused" (the service pauses after any 3 failures).
    service = TranslationService(NoTranslator(why), cache, pause_after=100)
    async with reader_app(translator=service) as (app, pilot):
        await pilot.press("t")
        await settled(pilot)
        assert f"⚠ not translated: no translator: {why}" in app.reader.text
        assert "T retries" not in app.reader.text


async def test_a_page_without_a_title_waits_for_no_english_headline(tmp_path: Path) -> None:
    """A page whose first line is a dateline shows "(no title)": that is not sent, and no
    English of it is awaited ("… translating" for ever)."""
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "001.txt").write_text(
        "DEN HAAG (ANP) - Het kabinet neemt vandaag maatregelen tegen de droogte.\n"
    )
    with translate_server() as (url, state):
        async with reader_app([folder], translator=translator(url, tmp_path)) as (app, pilot):
            await pilot.press("t")
            await settled(pilot)
            assert "(no title)" in app.reader.text
            assert "EN:Het kabinet neemt vandaag maatregelen" in app.reader.text
            assert "… translating" not in app.reader.text
            assert app.reader.english_status == ""
            assert set(state.texts) == set(
                texts_of(app.reader.shown)
            ) and "(no title)" not in texts_of(app.reader.shown)


def test_an_untitled_feed_item_s_placeholder_is_not_sent_nor_awaited() -> None:
    article = Article(
        title=UNTITLED,
        file="https://example.nl/1",
        line=0,
        paragraphs=(),
        link="https://example.nl/1",
        source="Voorbeeld",
    )
    assert texts_of(article) == []
    builder = DocumentBuilder(
        lambda name: Style(),
        highlighting=False,
        annotate=None,
        translation_of=lambda text: None,  # everything asked would be pending
        side_by_side=False,
    )
    shown = "\n".join(plain_text(block) for block, _ in builder.article_blocks(article))
    assert "(untitled)" in shown and "translating" not in shown
