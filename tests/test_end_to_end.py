"""The installed `nieuwslezer` in a real pseudo-terminal: start, j, Enter, q."""

from __future__ import annotations

from tests.conftest import nieuwslezer_command
from tests.terminal import Terminal

FIRST_TITLE = "Oekraïne: Rusland zet"
SECOND_TITLE = "VS bevestigen dat Noord-Koreanen tegen Oekraïne vechten"


def test_installed_reader_in_a_real_terminal() -> None:
    terminal = Terminal(nieuwslezer_command())
    assert terminal.wait_for(lambda text: FIRST_TITLE in text and "32 ticker items" in text), (
        terminal.text()
    )
    terminal.send("j")
    assert terminal.wait_for(lambda text: SECOND_TITLE in text), terminal.text()
    assert "WASHINGTON · ANP, Reuters" in terminal.text(), "the reading pane follows the cursor"
    assert terminal.wait_for(lambda _: "Open" in terminal.screen.display[-1]), (
        "the footer offers Enter while in the list"
    )
    terminal.send("\r")  # Enter: into the reading pane, where Enter has nothing to open
    assert terminal.wait_for(lambda _: "Open" not in terminal.screen.display[-1]), terminal.text()
    screen = terminal.text()
    assert SECOND_TITLE in screen
    assert "Articles" in screen and "Meer uit Buitenland" in screen and "Quit" in screen
    terminal.send("q")
    assert terminal.wait_exit() == 0
