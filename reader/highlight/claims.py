"""Who claims which figure: each number linked to the source its sentence attributes it to.

A number takes the source of its own sentence; failing that, of the next sentence when that
one only points back ("Noord-Korea stuurde 10.000 militairen. Dat meldt de inlichtingendienst.").
A pronoun source ("zei hij") stands for the last party named before it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from reader.highlight import annotate
from reader.highlight.lexicon import BACK_REFERENCES, NAME_STOPS, PERSONAL_PRONOUNS
from reader.highlight.sources import tokenize
from reader.model import Article, CorpusTickerItem, Paragraph, ParagraphKind, Span

Progress = Callable[[int], object]
"""Told, after each paragraph, how many paragraphs have been read so far."""

Stop = Callable[[], bool]
"""Asked before each paragraph whether to stop: a page of 80,000 paragraphs takes half a
minute, and the reader may not want to wait for it."""

# What is counted, as the text says it, grouped with the words that count the same thing.
COUNTED_GROUPS: dict[str, str] = {
    word: group
    for group, words in {
        "troops": "militairen soldaten troepen strijders manschappen",
        "casualties": "doden slachtoffers gewonden",
        "people": "mensen personen inwoners burgers",
    }.items()
    for word in words.split()
}

# Units of time and measure: a figure of these says how long or how much, not how many of
# something that sources might disagree on; the corpus view leaves them out.
UNITS: frozenset[str] = frozenset(
    """
    jaar jaren maand maanden week weken dag dagen uur uren minuut minuten seconde seconden
    procent procentpunt keer kilometer meter centimeter kilo kilogram ton graden euro dollar
    cent liter
    """.split()
)

_WORD = re.compile(r"[\w-]+")
_MAX_COUNTED_DISTANCE = (
    3  # words between a number and what it counts ("3000 Noord-Koreaanse militairen")
)


@dataclass(frozen=True, slots=True)
class Claim:
    """A number and the party it is attributed to, in one paragraph of an article."""

    article: Article
    paragraph_index: int
    number: Span
    sources: tuple[Span, ...]  # one, or several joined by "en"; empty when unattributed
    party: str | None  # who the sources name; for a pronoun, the party it stands for
    counted: str | None  # the word for what is counted ("militairen"), if the text says it

    @property
    def paragraph(self) -> Paragraph:
        return self.article.paragraphs[self.paragraph_index]

    @property
    def number_text(self) -> str:
        return self.paragraph.text[self.number.start : self.number.end]

    @property
    def group(self) -> str | None:
        """What is counted, merged over synonyms ("troops" for militairen and soldaten)."""
        if self.counted is None:
            return None
        return COUNTED_GROUPS.get(self.counted, self.counted)


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    bounds: dict[int, tuple[int, int]] = {}
    for token in tokenize(text):
        start, end = bounds.get(token.sentence, (token.start, token.end))
        bounds[token.sentence] = (min(start, token.start), max(end, token.end))
    return [bounds[key] for key in sorted(bounds)]


def _is_count(label: str) -> bool:
    """A plain amount ("10000", "~1000"), not a date, percentage or sum of money."""
    try:
        float(label.removeprefix("~"))
    except ValueError:
        return False
    return True


def counted_word(text: str, number: Span) -> str | None:
    """The noun a number counts: "militairen" in "3000 Noord-Koreaanse militairen"."""
    if not _is_count(number.label):
        return None
    for distance, match in enumerate(_WORD.finditer(text, number.end)):
        word = match[0]
        if distance >= _MAX_COUNTED_DISTANCE or word.lower() in NAME_STOPS:
            return None
        if word.islower() and not (word.endswith("e") and distance + 1 < _MAX_COUNTED_DISTANCE):
            return word
    return None


def _in(span: Span, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= span.start < bounds[1]


def _listed_with(chosen: Span, sources: Iterable[Span], text: str) -> tuple[Span, ...]:
    """The chosen source and those listed with it ("Oekraïne, de VS en Zuid-Korea")."""
    same = sorted((s for s in sources if s.label == chosen.label), key=lambda s: s.start)
    position = same.index(chosen)
    first = last = position
    while first > 0 and _only_separators(text[same[first - 1].end : same[first].start]):
        first -= 1
    while last + 1 < len(same) and _only_separators(text[same[last].end : same[last + 1].start]):
        last += 1
    return tuple(same[first : last + 1])


def _only_separators(between: str) -> bool:
    return all(part.strip() in ("", "en") for part in between.split(","))


class _Linker:
    """Links the numbers of an article's paragraphs, remembering the last party named."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.last_party: str | None = None

    def paragraph_claims(self, index: int) -> Iterator[Claim]:
        text = self.article.paragraphs[index].text
        annotation = annotate(text)
        sentences = _sentence_bounds(text)
        # In reading order, so a pronoun stands for the last party named before it (also in
        # the paragraphs after this one).
        parties = {span: self._party(text, span) for span in annotation.sources}
        for number in annotation.numbers:
            sources = self._sources_for(number, annotation.sources, sentences, text)
            party = parties[sources[0]] if sources else None
            if sources and len(sources) > 1:
                party = " / ".join(parties[s] or text[s.start : s.end] for s in sources)
            yield Claim(self.article, index, number, sources, party, counted_word(text, number))

    def _party(self, text: str, span: Span) -> str | None:
        written = text[span.start : span.end]
        if written.lower() in PERSONAL_PRONOUNS:
            return self.last_party
        if span.label != "dateline":
            self.last_party = written
        return written

    @staticmethod
    def _sources_for(
        number: Span, sources: tuple[Span, ...], sentences: list[tuple[int, int]], text: str
    ) -> tuple[Span, ...]:
        for position, bounds in enumerate(sentences):
            if not _in(number, bounds):
                continue
            own = [s for s in sources if _in(s, bounds) and s.label != "dateline"]
            if own:
                nearest = min(own, key=lambda s: abs(s.start - number.start))
                return _listed_with(nearest, own, text)
            if position + 1 < len(sentences):
                following = sentences[position + 1]
                opener = text[following[0] : following[1]].split(maxsplit=1)[0].lower()
                after = [s for s in sources if _in(s, following)]
                if opener in BACK_REFERENCES and after:
                    return _listed_with(after[0], after, text)
        return ()


def _never() -> bool:
    return False


def _ignore(_: int) -> None:
    return None


def _claims_of(articles: Iterable[Article], progress: Progress, stop: Stop) -> Iterator[Claim]:
    read = 0
    for article in articles:
        linker = _Linker(article)
        for index in range(len(article.paragraphs)):
            if stop():
                return
            yield from linker.paragraph_claims(index)
            read += 1
            progress(read)


def article_claims(
    article: Article, *, progress: Progress = _ignore, stop: Stop = _never
) -> list[Claim]:
    """Every number of an article with the party it is attributed to, in reading order.

    When `stop` says so, the claims of the paragraphs read until then."""
    return list(_claims_of([article], progress, stop))


def ticker_article(item: CorpusTickerItem) -> Article:
    """A ticker item as the one-paragraph article it is, for its claims."""
    first = item.first
    lead = Paragraph(ParagraphKind.LEAD, item.text, first.file, first.line, item.dateline)
    return Article(item.text, first.file, first.line, (lead,))


def corpus_claims(
    articles: Iterable[Article], *, progress: Progress = _ignore, stop: Stop = _never
) -> dict[str, list[Claim]]:
    """The numbers of many articles, grouped by what they count (largest groups first).

    Numbers that count nothing the text names are left out. Within a group the attributed
    come first, then those nobody is credited with (`sources` empty): an analyst compares
    who says how many, and still sees every figure given. `progress` and `stop` are as for
    article_claims, the paragraphs counted over all the articles.
    """
    groups: dict[str, list[Claim]] = {}
    for claim in _claims_of(articles, progress, stop):
        if claim.group is not None and claim.counted not in UNITS:
            groups.setdefault(claim.group, []).append(claim)
    for claims in groups.values():
        claims.sort(key=lambda claim: not claim.sources)  # stable: reading order kept
    return dict(sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])))
