"""Keys that can do nothing say why (#12, point 18): r, s, o without feeds; n and p at the
ends of the list; Enter in `d` on a feed opens that feed's articles."""

from __future__ import annotations

from reader.model import Article
from reader.ui.app import build_app
from reader.ui.row_list import RowList
from reader.ui.screens import ListScreen
from tests.conftest import SEEDS
from tests.feed_server import FeedServer
from tests.ui.helpers import reader_app
from tests.ui.test_feed_sources import messages, reader
from tests.ui.test_feeds import server as server  # a fixture
from tests.ui.test_feeds import settled
from tests.ui.test_feeds import subscribed as subscribed  # a fixture


async def test_feed_keys_without_feeds_say_why(server: FeedServer) -> None:
    async with reader() as (app, pilot):
        assert not app.feeds_active
        assert "Sources" not in str(app.screen.query_one("KeyBar").render())  # still hidden
        await pilot.press("s")
        await pilot.press("r")
        await settled(pilot)
        await pilot.press("o")
        await pilot.pause()
        said = messages(app)
        assert "nieuwslezer feeds add nos" in said[0]  # s
        assert "nieuwslezer feeds add nos" in said[1]  # r, once feeds.toml was read again
        assert said[2] == "This article has no web page: it comes from a saved file."  # o
        assert not isinstance(app.screen, ListScreen)
        assert sum(server.hits.values()) == 0


async def test_feed_keys_with_paths_given_say_that_feeds_need_none() -> None:
    async with reader_app() as (app, pilot):
        await pilot.press("s", "R")
        await pilot.pause()
        assert messages(app) == ["Feeds are shown when nieuwslezer opens with no PATH."] * 2


async def test_feed_keys_in_a_dialog_or_a_filter_do_nothing_there() -> None:
    async with reader_app() as (app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("s", "o")
        await pilot.pause()
        await pilot.press("escape", "slash", "s", "o", "R")
        await pilot.pause()
        assert messages(app) == []
        assert app.articles.filter_text == "soR"


async def test_n_and_p_at_the_ends_of_the_list_say_so() -> None:
    async with reader_app() as (app, pilot):
        await pilot.press("p")
        await pilot.pause()
        assert messages(app) == ["First article."]
        assert app.articles.cursor == 0
        last = app.articles.visible_count - 1
        for _ in range(last):
            await pilot.press("n")
        await pilot.pause()
        assert app.articles.cursor == last
        assert messages(app) == ["First article."]  # moving said nothing
        await pilot.press("n")
        await pilot.pause()
        assert messages(app)[-1] == "Last article."
        assert app.articles.cursor == last


async def test_enter_on_a_feed_in_the_diagnostics_lists_its_articles(
    subscribed: FeedServer,
) -> None:
    broken = subscribed.url("/broken.xml")  # read in part: a warning, and one article
    app = build_app([SEEDS], feeds=True)
    async with app.run_test(size=(130, 36), notifications=True) as pilot:
        await settled(pilot)
        await pilot.press("d")
        await pilot.pause()
        rows = app.screen.query_one(RowList)
        rows.cursor = [d.file for d in rows.items].index(broken)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ListScreen)
        assert app.chosen_feed == broken
        assert app.articles.items and {a.feed for a in app.articles.items} == {broken}
        assert isinstance(app.reader.shown, Article) and app.reader.shown.feed == broken
        assert not any("holds no article" in m for m in messages(app))
