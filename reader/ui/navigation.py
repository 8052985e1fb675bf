"""Moving through the reader: the lists' cursors open what they point at, `n`/`p`, paging,
`h`, and each list's filter."""

from __future__ import annotations

from textual.widgets import Input

from reader.feeds.feed_row import FeedRow
from reader.model import Article, CorpusTickerItem
from reader.text import make_visible
from reader.ui.feed_reading import Item, same_story
from reader.ui.panes import FilterInput, ListPane
from reader.ui.row_list import RowList
from reader.ui.sources import ALL_SOURCES


class NavigationMixin:
    """What the cursor shows, the next and previous article, paging, filtering.

    A part of ReaderApp, as FeedsMixin is; messages are handled by their on_* names."""

    def preview(self, rows: RowList[Article] | RowList[CorpusTickerItem], _: int) -> None:
        """Show the item the cursor moved to, when that list is the one in use."""
        self._update_pane_title(rows)
        in_use = self.focused in (rows, self._filter_of(rows))
        if in_use or self.reader.shown is None:
            self._open(rows.highlighted)
            self.call_after_refresh(self._prepare_ahead, rows)

    def _prepare_ahead(self, rows: RowList[Article] | RowList[CorpusTickerItem]) -> None:
        # Once this key's frame is out: the next key the same way then shows what is ready,
        # ~3 ms sooner. Calls queued by keys that came meanwhile find it prepared.
        if self.shows(rows.highlighted):
            self.reader.prepare(self.full_article(rows.ahead))

    def select_article(self, article: Article) -> None:
        """Move the article list's cursor to `article`, which may be one read in full: then to
        its row (a feed article's FeedRow), which it is the article of from now on."""
        row = same_story(article, self.articles.items) or article
        if isinstance(row, FeedRow) and row is not article:
            self._full.keep(row, article)
        self.articles.select_item(row)

    def full_article(self, item: Item) -> Item | Article:
        """`item` in full: a FeedRow as the store has it (feed_reading.py); anything else as it
        is. A row whose text cannot be read shows as it is, the problem in `d`."""
        if not isinstance(item, FeedRow):  # whole already: neither the store nor SQLite imported
            return item
        from reader.feeds.store import StoreError

        try:
            return self._full.of(item, self._store)
        except StoreError as error:
            self._store_failed(make_visible(str(error)))
            return item

    def shows(self, item: Article | CorpusTickerItem | None) -> bool:
        """Whether the reading pane shows `item`: the item itself, or for a row of a feed
        article (FeedRow), the story it is (its guid), read in full."""
        shown = self.reader.shown
        if isinstance(item, FeedRow) and isinstance(shown, Article):
            return shown.guid == item.guid
        return item is not None and shown is item

    def on_row_list_selected(self, event: RowList.Selected) -> None:
        if event.row_list.id in ("articles", "ticker"):  # not a dialog's list
            self._open(event.item)
            self.reader.focus()

    def _open(self, item: Article | CorpusTickerItem | None) -> None:
        if item is None:
            self.reader.show(None, self._nothing_to_read())
        else:
            self.reader.show(self.full_article(item))
            if self.reader.translation_of is not None:
                self._request_translation()

    def _nothing_to_read(self) -> str:
        if self.loading_corpus:
            return "Nothing to read yet: loading…"
        if self.chosen_feed is None and not self.articles.items:  # no feed to refresh
            return "No saved pages to show. Press s to choose another source."
        if self.chosen_feed != ALL_SOURCES and not self.articles.items:
            failure = self.feed_failures.get(self.chosen_feed or "")
            why = f" Its last refresh failed: {failure}." if failure else ""
            return f"No articles from this source.{why} r refreshes it."
        if self.corpus.is_empty:
            return "No pages could be read. Press d to see why."
        return "Nothing matches the filter."

    def _step_article(self, step: int) -> None:
        articles = self.articles
        if not articles.visible_count:
            self.notify(self._nothing_to_read(), markup=False)
            return
        if isinstance(self.reader.shown, Article) and self.shows(articles.highlighted):
            if not 0 <= articles.cursor + step < articles.visible_count:  # say why nothing moves
                self.notify("Last article." if step > 0 else "First article.", markup=False)
                return
            articles.cursor += step
        self._open(articles.highlighted)

    def action_next_article(self) -> None:
        self._step_article(+1)

    def action_previous_article(self) -> None:
        self._step_article(-1)

    def action_page_down(self) -> None:
        self.reader.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.reader.scroll_page_up(animate=False)

    def action_toggle_highlighting(self) -> None:
        self.reader.set_highlighting(not self.reader.highlighting)

    # -- the lists' titles and filters ---------------------------------------------------

    def _update_pane_titles(self) -> None:
        self._update_pane_title(self.articles)
        self._update_pane_title(self.ticker)

    def _update_pane_title(self, rows: RowList[Article] | RowList[CorpusTickerItem]) -> None:
        """Where the cursor is ("3 / 32"), and the filter with what it lets through."""
        shown = rows.visible_count
        position = f"{rows.cursor + 1 if shown else 0} / {shown}"
        if rows.filter_text:
            position = f"“{rows.filter_text}” · {position} of {len(rows.items)}"
        position += self.unread_note(rows)  # LibraryMixin's: " · 12 unread"
        self.query_one(f"#{rows.id}-pane", ListPane).show_position(position)

    def _list_in_focus(self) -> RowList[Article] | RowList[CorpusTickerItem]:
        ticker = self.ticker
        return ticker if self.focused in (ticker, self._filter_of(ticker)) else self.articles

    def _filter_of(self, rows: RowList[Article] | RowList[CorpusTickerItem]) -> FilterInput | None:
        """The list's filter field; None until the first `/` mounts it."""
        fields = self.query(f"#{rows.id}-filter").results(FilterInput)
        return next(fields, None)

    async def action_filter(self) -> None:
        rows = self._list_in_focus()
        field = self._filter_of(rows)
        if field is None:  # made on first use: the first frame does not wait for it
            field = FilterInput(placeholder=f"filter {rows.id}", id=f"{rows.id}-filter")
            await self.query_one(f"#{rows.id}-pane").mount(field, before=rows)
        field.display = True
        field.focus()

    def _list_of(self, field: Input) -> RowList[Article] | RowList[CorpusTickerItem]:
        return self.articles if field.id == "articles-filter" else self.ticker

    def on_input_changed(self, event: Input.Changed) -> None:
        if isinstance(event.input, FilterInput):  # filter as you type
            rows = self._list_of(event.input)
            rows.filter(event.value)
            self._update_pane_titles()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if isinstance(event.input, FilterInput):  # keep the filter, back to the list
            rows = self._list_of(event.input)
            event.input.display = bool(event.value)
            rows.focus()

    def action_clear_filter(self) -> None:
        if self.cancel_claims() or self.cancel_translation():  # Esc stops what runs first
            return
        rows = self._list_in_focus()
        field = self._filter_of(rows)
        if field is not None:
            field.value = ""
            field.display = False
        rows.filter("")
        rows.focus()
        self._update_pane_titles()
