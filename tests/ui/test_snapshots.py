"""Snapshot tests of the reader's screens at fixed sizes (review the report before updating)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.resources import seeds_dir
from reader.translate.backends import LibreBackend
from reader.translate.cache import TranslationCache
from reader.translate.service import TranslationService
from reader.ui.app import build_app
from tests.conftest import REPO
from tests.translate_server import translate_server
from tests.ui.helpers import loaded


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    # Paths are shown relative to the current folder: the same on every checkout.
    monkeypatch.chdir(REPO)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_main_screen(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(build_app([seeds_dir()]), terminal_size=size, run_before=loaded)


def test_main_screen_ticker_item_at_80x24(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        build_app([seeds_dir()]), terminal_size=(80, 24), run_before=loaded, press=["tab", "j"]
    )


def test_help_screen(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        build_app([seeds_dir()]), terminal_size=(100, 36), run_before=loaded, press=["?"]
    )


def test_diagnostics_screen(snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = build_app([Path("tests/fixtures/hostile")])
    assert snap_compare(app, terminal_size=(100, 30), run_before=loaded, press=["d", "j", "j"])


def test_main_screen_in_a_light_theme(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def light(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.theme = "textual-light"
        await loaded(pilot)

    assert snap_compare(build_app([seeds_dir()]), terminal_size=(120, 36), run_before=light)


def test_highlighted_reading_pane_with_legend(snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = build_app([seeds_dir()])
    assert snap_compare(app, terminal_size=(120, 36), run_before=loaded, press=["j", "j", "j"])


def test_highlighting_off(snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = build_app([seeds_dir()])
    assert snap_compare(app, terminal_size=(120, 36), run_before=loaded, press=["j", "j", "h"])


def test_claims_of_an_article(snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = build_app([seeds_dir()])
    assert snap_compare(app, terminal_size=(120, 36), run_before=loaded, press=["G", "c"])


def test_claims_of_the_corpus(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def corpus_claims(pilot: Pilot[int]) -> None:
        await loaded(pilot)
        await pilot.press("C")
        await loaded(pilot)  # collected in a worker

    app = build_app([seeds_dir()])
    assert snap_compare(app, terminal_size=(120, 36), run_before=corpus_claims, press=["j"])


@pytest.mark.parametrize(
    "size", [(160, 48), (80, 24)], ids=["side-by-side-160x48", "stacked-80x24"]
)
def test_english_beside_the_dutch(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    async def translated(pilot) -> None:  # type: ignore[no-untyped-def]
        await loaded(pilot)
        await pilot.press("t")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    with translate_server() as (url, _):
        service = TranslationService(LibreBackend(url=url), TranslationCache(tmp_path / "c.db"))
        app = build_app([seeds_dir()], translator=service)
        assert snap_compare(app, terminal_size=size, run_before=translated)


def test_list_after_moving_down_and_up(snap_compare) -> None:  # type: ignore[no-untyped-def]
    # A move repaints only the rows the cursor leaves and enters, and the position in the
    # pane's border: one highlighted row and "3 / 5" on screen, nothing left over.
    assert snap_compare(
        build_app([seeds_dir()]), terminal_size=(80, 24), run_before=loaded, press=list("jjjk")
    )
