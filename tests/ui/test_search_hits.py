"""Pilot tests: a search hit opens the item it names, whatever the page file's name and
wherever else the item was seen before (review findings 1 and 5 of #15)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from reader.library.keys import ticker_key
from reader.library.search import Hit
from tests.conftest import SEEDS
from tests.ui.helpers import reader_app
from tests.ui.test_search import indexed, search_for

NAME = os.fsdecode(b"caf\xe9.txt")  # a file name that is not UTF-8
PAGE = "Titel over stikstof\nDEN HAAG (ANP) - Het kabinet en de stikstof.\n"


def _problems(app: object) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]  # type: ignore[attr-defined]


async def test_a_page_whose_file_name_is_not_utf8_is_indexed_and_opens(tmp_path: Path) -> None:
    (tmp_path / NAME).write_text(PAGE, encoding="utf-8")
    async with reader_app([tmp_path]) as (app, pilot):
        await indexed(pilot)
        assert _problems(app) == [] and app.search_problem is None
        screen = await search_for(pilot, "stikstof")
        assert [hit.kind for hit in screen.results.items] == ["page"]
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.shown is not None and app.reader.shown.title == "Titel over stikstof"
        assert app.reader.marks is not None and app.reader.marks.matches


async def test_such_a_page_not_loaded_in_this_run_opens_from_its_file(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / NAME).write_text(PAGE, encoding="utf-8")
    async with reader_app([pages]) as (_, pilot):
        await indexed(pilot)
    async with reader_app([SEEDS]) as (app, pilot):
        await indexed(pilot)
        screen = await search_for(pilot, "stikstof")
        hit = next(
            h for h in screen.results.items if h.kind == "page" and h.title.startswith("Titel")
        )
        await pilot.press(*["down"] * screen.results.items.index(hit))
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.shown is not None and app.reader.shown.title == "Titel over stikstof"
        assert app.reader.shown.file == str(pages / NAME)


async def test_a_loaded_ticker_item_opens_though_the_hit_names_another_file(
    tmp_path: Path,
) -> None:
    new = tmp_path / "new"
    shutil.copytree(SEEDS, new)
    async with reader_app([new]) as (app, _):
        item = app.corpus.ticker[0]
        elsewhere = str(tmp_path / "old" / Path(item.first.file).name)  # a folder now gone
        hit = Hit(ticker_key(item), "ticker", "", None, elsewhere, None, None, 0, item.text, ())
        assert app._item_of(hit) is item
