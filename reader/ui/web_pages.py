"""`o`: the web page of the article read, in the user's browser, never over the reader.

In the web mode (`nieuwslezer serve`) the page the reader runs in opens it in a new tab.

A graphical browser starts detached in a worker (reader/browser.py); a terminal browser runs
in the foreground while the app is suspended (Textual's App.suspend), and the reader comes
back when it ends (Ctrl+C in it ends the browser, not the reader: reader/browser.py). Without
any browser the address is copied to the clipboard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import SuspendNotSupported

from reader.model import Article, CorpusTickerItem
from reader.text import make_visible
from reader.web_links import is_web_link

if TYPE_CHECKING:  # reader.browser comes with the first `o`: not on the way to the first frame
    from reader.browser import Browser

NO_WEB_PAGE = "This article has no web page."


class WebPagesMixin:
    """The reader's `o`. A part of ReaderApp, through FeedsMixin."""

    def action_open_link(self) -> None:
        shown = self.reader.shown
        link = shown.link if isinstance(shown, Article) else None
        if link is None or not is_web_link(link):  # none, javascript:, file:, ...
            self.notify(_why_no_web_page(shown), markup=False)
            return
        if self.is_web:  # under `nieuwslezer serve`: in the user's browser, not the server's
            self.open_url(link, new_tab=True)
            self.notify(make_visible(f"Opened {link}"), markup=False)
            return
        from reader.browser import choose_browser, terminal_setting

        terminal, problems = terminal_setting()
        for problem in problems:
            self.notify(make_visible(problem), title="Settings", severity="warning", markup=False)
        browser = choose_browser(terminal=terminal)
        if browser is None:
            self.copy_to_clipboard(link)
            self.notify(
                make_visible(f"No web browser here; copied to the clipboard: {link}"),
                markup=False,
            )
        elif browser.in_terminal:
            self._open_in_terminal(browser, link)
        else:
            self.open_in_browser(browser, link)

    def _open_in_terminal(self, browser: Browser, link: str) -> None:
        """Hand the terminal to `browser` until it ends; the reader is drawn again after."""
        from reader.browser import run_in_terminal

        try:
            with self.suspend():
                problem = run_in_terminal(browser, link)
        except SuspendNotSupported:
            self.copy_to_clipboard(link)
            problem = f"{browser.name} needs this terminal, which cannot be handed over here"
            problem += f"; copied to the clipboard: {link}"
        if problem is not None:
            self.notify(make_visible(problem), severity="warning", markup=False)

    @work(thread=True, group="browser", exit_on_error=False, description="Opening a web page")
    def open_in_browser(self, browser: Browser, link: str) -> None:
        from reader.browser import start_detached

        problem = start_detached(browser, link)
        message = f"Opened {link}" if problem is None else f"{problem}; {link} not opened"
        severity = "information" if problem is None else "warning"
        self.call_from_thread(self.notify, make_visible(message), severity=severity, markup=False)


def _why_no_web_page(shown: Article | CorpusTickerItem | None) -> str:
    if shown is None:
        return "Open an article first."
    if isinstance(shown, Article) and shown.feed is not None:
        return NO_WEB_PAGE  # the feed gave no link, or one that is not http(s)
    what = "article" if isinstance(shown, Article) else "ticker item"
    return f"This {what} has no web page: it comes from a saved file."
