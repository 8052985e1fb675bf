"""Bidi and C1 controls (#13, point 11): shown as escapes wherever untrusted text reaches the
terminal, in the reader and in the text the commands print, and kept as they are in the data.

U+202E (right-to-left override) makes "Kop gpj.exe" read as "Kop exe.jpg"; other bidi
controls reorder or hide text the same way; a C1 control (U+009B is CSI) steers a terminal as
ESC does. Titles, feed names, file names, paragraphs and links carry them here."""

from __future__ import annotations

import json
import random
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.style import Style
from rich.text import Text

from reader.cli import main
from reader.feeds.items import Block, FeedItem
from reader.feeds.store import FeedStore
from reader.feeds.subscriptions import add_subscription, load_subscriptions, parse_opml
from reader.model import Article, Link, Paragraph, ParagraphKind
from reader.text import make_visible, visible_offset
from reader.ui.app import ReaderApp, build_app
from reader.ui.documents import DocumentBuilder, texts_of
from reader.ui.screens import ListScreen
from tests.conftest import nieuwslezer_command
from tests.feed_server import FeedServer, Route

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
C1 = "".join(chr(code) for code in range(0x80, 0xA0))
# What must never reach a terminal raw: these, C0 controls but tab and line end, DEL.
STEERING = re.compile("[\x00-\x08\x0b-\x1f\x7f" + C1 + BIDI + "\u2028\u2029]")
EVIL = "Kop \u202egpj.exe\u202c en \u2067isolaat\u2069 \u200f\u061c \x85 \x9b2J"
SHOWN = "Kop \\u202egpj.exe\\u202c en \\u2067isolaat\\u2069 \\u200f\\u061c \\x85 \\x9b2J"


def steering(text: str) -> list[str]:
    return [f"U+{ord(character):04X}" for character in STEERING.findall(text)]


def rss(title: str, items: list[tuple[str, str]]) -> bytes:
    today = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    entries = "".join(
        f"<item><title>{t}</title><guid>{t}</guid><pubDate>{today}</pubDate>"
        f"<description>{d}</description></item>"
        for t, d in items
    )
    channel = f"<channel><title>{title}</title>{entries}</channel>"
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0">{channel}</rss>'.encode()


# -- the commands ---------------------------------------------------------------------------


def test_refresh_feeds_list_import_and_export_show_the_controls_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    channel = "Evil \u202eSWEN\u202c"
    with FeedServer() as server:
        add_subscription(server.add("/evil.xml", Route(body=rss(channel, [(EVIL, EVIL)]))))
        add_subscription(server.add("/named.xml", Route(body=rss("Ok", []))), title=EVIL)
        add_subscription(server.add("/gone.xml", Route(status=404)), title="Weg \u202eDOG")
        main(["refresh"])
        refreshed = capsys.readouterr()
    assert steering(refreshed.out + refreshed.err) == []
    assert "Evil \\u202eSWEN\\u202c" in refreshed.out and SHOWN in refreshed.out
    assert "Weg \\u202eDOG" in refreshed.err  # the failed feed, on stderr

    assert main(["feeds", "list"]) == 0
    listed = capsys.readouterr()
    assert steering(listed.out + listed.err) == []
    assert "Evil \\u202eSWEN\\u202c" in listed.out and SHOWN in listed.out

    assert main(["feeds", "export"]) == 0
    exported = capsys.readouterr()
    assert steering(exported.out + exported.err) == []
    assert "&#x202e;" in exported.out.lower() and "&#x85;" in exported.out.lower()
    # As character references the controls are inert on a terminal, and the data exact.
    subscriptions, problems = parse_opml(exported.out.encode(), "export")
    assert problems == []
    titles = [subscription.title for subscription in subscriptions]
    assert titles == [channel, EVIL, "Weg \u202eDOG"]

    opml = tmp_path / "elsewhere.opml"
    opml.write_text(exported.out, encoding="utf-8")
    (tmp_path / "other").mkdir()
    for subscription in load_subscriptions()[0]:
        main(["feeds", "remove", subscription.url])
    capsys.readouterr()
    assert main(["feeds", "import", str(opml)]) == 0
    imported = capsys.readouterr()
    assert steering(imported.out + imported.err) == []
    assert f"added {SHOWN} (" in imported.out


def test_export_and_annotate_say_a_file_s_controls_escaped_in_their_diagnostics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "pagina \u202etxt.exe\u202c \x85.txt"
    page.write_text(f"{EVIL}\nDEN HAAG (ANP) - {EVIL}.\n", encoding="utf-8")
    main(["export", str(page)])
    exported = capsys.readouterr()
    assert steering(exported.err) == []
    assert "pagina \\u202etxt.exe\\u202c \\x85.txt:1: info: contains control characters" in (
        exported.err
    )
    (record,) = [json.loads(line) for line in exported.out.splitlines()]
    assert record["title"] == EVIL  # the data as it is
    # In a process of its own: annotate wraps standard output, and closes it when done.
    annotated = subprocess.run(
        [*nieuwslezer_command(), "annotate", str(page)], capture_output=True, text=True
    )
    assert steering(annotated.stderr) == []
    assert "pagina \\u202etxt.exe\\u202c \\x85.txt:1: info: contains control characters" in (
        annotated.stderr
    )


# -- the reader -----------------------------------------------------------------------------


def on_screen(app: ReaderApp) -> str:
    """Every character the screen shows now, as Textual sends it to the terminal (the
    compositor is Textual's own; textual is pinned)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def test_the_reader_shows_every_control_escaped_wherever_it_shows_untrusted_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A page without a title (its first line is a dateline): its row shows its file name,
    # relative to the current folder.
    monkeypatch.chdir(tmp_path)
    untitled = tmp_path / "\u202etxt.exe\x1b[7m.txt"
    untitled.write_text(f"DEN HAAG (ANP) - {EVIL}.\n", encoding="utf-8")
    (tmp_path / "pagina.txt").write_text(
        f"{EVIL}\nDEN HAAG (ANP) - {EVIL}.\nMeer uit Binnenland\nZWOLLE (ANP) - {EVIL}.\n",
        encoding="utf-8",
    )
    feed = "https://example.nl/evil.xml"
    add_subscription(feed, title=f"Bron {EVIL}")
    now = datetime.now(UTC)
    link = Link(EVIL, "https://example.nl/\u202e")
    item = FeedItem("1", EVIL, None, now, (Block(ParagraphKind.BODY, EVIL, (link,)),))
    with FeedStore.open() as store:
        store.save(feed, EVIL, [item])
    # The feed's address is not on loopback: its refresh fails, and `d` lists that too.
    app = build_app([Path(".")], feeds=True)
    seen: list[str] = []
    async with app.run_test(size=(140, 40), notifications=True) as pilot:

        async def look(*keys: str) -> None:
            await pilot.press(*keys)
            for _ in range(3):
                await app.workers.wait_for_complete()
                await pilot.pause()
            seen.append(on_screen(app))

        await look()
        for _ in range(len(app.articles.items)):
            await look("j")
        await look("tab", "j")  # the ticker
        await look("d")  # the diagnostics
        for _ in range(4):
            await look("j")
        await look("escape", "s")  # the sources
        assert isinstance(app.screen, ListScreen)
        await look("j")
        await look("escape", "c")  # the claims of the item shown
        await look("escape")
    screens = "\n".join(seen)
    assert steering(screens) == [], [line for line in screens.splitlines() if steering(line)]
    assert "\\u202egpj.exe\\u202c" in screens  # titles and text, escaped
    assert "\\u202etxt.exe\\x1b[7m.txt" in screens  # the untitled page's file name
    assert "Bron Kop \\u202egpj.exe" in screens  # the feed's name


# -- numbers and sources marked through the escapes ----------------------------------------


def test_visible_offset_moves_each_offset_past_the_escapes_before_it() -> None:
    assert visible_offset("geen controle")(7) == 7
    text = "10.000\u200e, aldus X"  # the LRM at 6 shows as \u200e: 6 characters for 1
    offset = visible_offset(text)
    assert [offset(i) for i in (0, 6, 7, 8, len(text))] == [0, 6, 12, 13, len(text) + 5]
    assert visible_offset("a\x1bb")(2) == 5  # \x1b: 4 characters
    assert visible_offset("caf\udce9 x")(4) == 7  # a byte not UTF-8 shows as \xe9
    # Any text, any offset: the visible text of the part before an offset ends where the
    # offset lands (seeded, so the same cases each run).
    characters = "ab 1.\t\x00\x1b\x7f\x85\x9b\u061c\u200e\u200f\u202e\u2028\u2069\udce9é"
    generator = random.Random(13)
    for _ in range(300):
        text = "".join(generator.choice(characters) for _ in range(generator.randrange(30)))
        offset = visible_offset(text)
        for index in range(len(text) + 1):
            assert offset(index) == len(make_visible(text[:index])), (text, index)


def test_a_paragraph_with_controls_keeps_its_numbers_and_sources_marked() -> None:
    """Scraped news holds LRM and RLM (U+200E, U+200F) between words: the control shows
    escaped, and the number and the source around it are marked all the same."""
    from reader.highlight import annotate

    paragraph = "Er zijn \u202e10.000\u202c militairen\u200e ingezet, aldus het ANP\u200f."
    article = Article(
        title="Militairen \u200e12 keer ingezet",
        file="page.txt",
        line=1,
        paragraphs=(Paragraph(ParagraphKind.BODY, paragraph, "page.txt", 2),),
    )
    builder = DocumentBuilder(
        lambda name: Style(bold=name == "number", italic=name == "source"),
        highlighting=True,
        annotate=annotate,
        translation_of=None,
        side_by_side=False,
    )
    blocks = builder.article_blocks(article)
    headline, body = texts_of(blocks[0][0])[0], texts_of(blocks[3][0])[0]
    assert body.plain == make_visible(paragraph) and steering(body.plain) == []

    def marked(text: Text, attribute: str) -> list[str]:
        return [
            text.plain[span.start : span.end]
            for span in text.spans
            if getattr(span.style, attribute, False)
        ]

    assert marked(body, "bold") == ["10.000"]
    assert marked(body, "italic") == ["het ANP"]
    assert marked(headline, "bold") == ["12"]
