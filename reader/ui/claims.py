"""Who claims which number: `c` for the article read, `C` over the articles listed (in a
worker), and opening the article of a chosen claim."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import work
from textual.worker import get_current_worker

from reader.model import Article
from reader.text import make_visible
from reader.ui.sources import ALL_SOURCES

if TYPE_CHECKING:  # loaded on first use: not on the way to the first frame
    from reader.ui.claims_screen import ClaimRow

CLAIMS_LIMIT = 2000  # articles `C` reads at most: 100,000 would take minutes


class ClaimsMixin:
    """The reader's `c` and `C`.

    A part of ReaderApp, as FeedsMixin is."""

    def action_claims(self) -> None:
        from reader.highlight.claims import article_claims

        article = self._current_article()
        if article is None:
            self.notify("Open an article first.", markup=False)
            return
        claims = article_claims(article)
        self._show_claims(f"Claims in “{make_visible(article.title)}” ({len(claims)})", claims)

    def action_corpus_claims(self) -> None:
        """Claims over the articles listed (one source, a filter), the newest first."""
        listed = self.articles.visible_items
        chosen = listed[:CLAIMS_LIMIT]
        if len(listed) > CLAIMS_LIMIT:
            self.notify(
                f"Collecting the claims of the first {CLAIMS_LIMIT:,} of {len(listed):,} "
                "articles listed (s or / narrows the list)…",
                markup=False,
            )
        self.collect_claims(chosen, len(listed))

    @work(thread=True, exclusive=True, group="claims", exit_on_error=False)
    def collect_claims(self, articles: list[Article], listed: int) -> None:
        from reader.highlight.claims import corpus_claims

        groups = corpus_claims(articles)
        rows: list[ClaimRow] = []
        for group, claims in groups.items():
            words = sorted({claim.counted for claim in claims if claim.counted})
            rows.append(f"{group} ({', '.join(words)})" if words != [group] else group)
            rows.extend(claims)
        total = sum(len(claims) for claims in groups.values())
        scope = "all articles" if len(articles) == listed else f"{len(articles):,} articles"
        if listed == len(articles) and self.source != ALL_SOURCES:
            scope = f"the articles of {make_visible(self.source or 'the saved pages')}"
        if not get_current_worker().is_cancelled:  # C again meanwhile: that one shows
            self.call_from_thread(self._show_claims, f"Who claims what, {scope} ({total})", rows)

    def _show_claims(self, title: str, rows: Sequence[ClaimRow]) -> None:
        from reader.ui.claims_screen import claims_screen

        self.push_screen(claims_screen(title, rows), self._open_claim)

    def _current_article(self) -> Article | None:
        shown = self.reader.shown
        return shown if isinstance(shown, Article) else self.articles.highlighted

    def _open_claim(self, claim: ClaimRow | None) -> None:
        """Open the article of a chosen claim at its paragraph."""
        from reader.highlight.claims import Claim

        if not isinstance(claim, Claim):
            return
        self.articles.select_item(claim.article)
        self._open(claim.article)
        self.reader.scroll_to_paragraph(claim.paragraph_index)
        self.reader.focus()
