"""Starting the reader the way the CLI does, and waiting for it instead of sleeping."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from textual.pilot import Pilot

from reader.translate.service import TranslationService
from reader.ui.app import ReaderApp, build_app
from tests.conftest import SEEDS


async def loaded(pilot: Pilot[int]) -> None:
    """Wait until the corpus is loaded and the screen has caught up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@asynccontextmanager
async def reader_app(
    paths: Sequence[Path] = (SEEDS,),
    size: tuple[int, int] = (120, 40),
    translator: TranslationService | None = None,
) -> AsyncIterator[tuple[ReaderApp, Pilot[int]]]:
    app = build_app(list(paths), translator=translator)
    async with app.run_test(size=size, notifications=True) as pilot:
        await loaded(pilot)
        yield app, pilot
