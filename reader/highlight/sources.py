"""Attributed sources in a Dutch news paragraph: "volgens X", "aldus X", "X zegt", "zei hij".

Rule-based over a light tokenisation: the cues are the tables in `lexicon`; a party's name is
read as a noun phrase by `_NounPhrase` (determiner, adjectives, head, names, "van ..." parts,
a parenthesised abbreviation), forwards from a cue or backwards from a reporting verb.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reader.highlight.lexicon import (
    AUXILIARIES,
    CLAUSE_CONJUNCTIONS,
    COUNT_WORDS,
    CREDITING_NOUNS,
    CREDITING_SUFFIXES,
    DETERMINERS,
    EVIDENTIAL_VERBS,
    NAME_JOINS,
    NAME_PARTICLES,
    NAME_STOPS,
    NOT_AGENTS_AFTER_VOLGENS,
    PERFECT_OPENERS,
    PERSONAL_PRONOUNS,
    REPORTING_PARTICIPLES,
    REPORTING_VERBS,
    SEPARABLE_VERBS,
)
from reader.model import Span, SpanKind
from reader.parse import parse_dateline

_TOKEN = re.compile(r"\w+(?:[-'\u2019.*&/]\w+)*|[^\w\s]")
_QUOTES = frozenset('"“”„«»')
_SENTENCE_ENDS = frozenset(".!?")
_MAX_NAME_TOKENS = 12


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    sentence: int  # index of the sentence it belongs to
    quoted: bool  # inside a direct quote

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def capitalised(self) -> bool:
        """Part of a name: "Zelensky", "NAVO-chef", "al-Sudani"."""
        return not self.text.islower() and self.text[0].isalpha()

    @property
    def is_stop(self) -> bool:
        """A word that ends a party's name ("dat", "in", "zegt"); an acronym never does ("OM")."""
        return self.low in NAME_STOPS and not (self.text.isupper() and len(self.text) > 1)

    @property
    def plain_name(self) -> bool:
        """A name that is no adjective ("Zelensky", not "Oekraïense"): no noun follows it."""
        return self.capitalised and (not self.text.endswith("e") or self.text.isupper())


def tokenize(text: str) -> list[Token]:
    """Words and punctuation with offsets, sentence numbers and whether inside quotes."""
    tokens: list[Token] = []
    sentence, quoted = 0, False
    previous = ""
    for match in _TOKEN.finditer(text):
        word = match[0]
        if previous in _SENTENCE_ENDS and (word[0].isupper() or word in _QUOTES) and not quoted:
            sentence += 1
        if word in _QUOTES:
            # A quote mark opens after a space or at the start, and closes otherwise.
            opening = word in "“„«" or (word == '"' and not quoted)
            tokens.append(Token(word, match.start(), match.end(), sentence, quoted))
            quoted = opening if word == '"' else word in "“„«"
            previous = word
            continue
        tokens.append(Token(word, match.start(), match.end(), sentence, quoted))
        previous = word
    return tokens


def _is_adjective(token: Token, following: Token | None) -> bool:
    """A lowercase word read as an adjective before a noun ("lokale media")."""
    low = token.low
    return (
        (low.endswith(("isch", "ig", "lijk", "aal", "eel")) or low.endswith("e"))
        and not low.endswith(("ie", "ee"))
        and following is not None
        and following.is_word
        and following.low not in NAME_STOPS
    )


class _NounPhrase:
    """Reads the name of a party: [det] [adj|Name]* head [Name]* [(van|voor) NP] [(ABBR)]."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens

    def forward(self, first: int, limit: int | None = None) -> int | None:
        """The index after the phrase that starts at `first`, or None if none starts there."""
        tokens = self.tokens
        end = len(tokens) if limit is None else limit
        if first >= end or not tokens[first].is_word:
            return None
        sentence = tokens[first].sentence
        if tokens[first].low in PERSONAL_PRONOUNS:
            return first + 1
        index, has_head, has_content, after_name = first, False, False, False
        opening = True  # at the start of the phrase or of a part after "van": a determiner may come
        while index < end and index - first < _MAX_NAME_TOKENS:
            token = tokens[index]
            low = token.low
            following = tokens[index + 1] if index + 1 < end else None
            if token.sentence != sentence:
                break
            if token.text == "(" and has_content:
                closing = index + 2
                if closing < end and tokens[closing].text == ")" and tokens[index + 1].is_word:
                    index = closing + 1  # "Geert Wilders (PVV)"
                break
            if not token.is_word or low in REPORTING_VERBS or low in REPORTING_PARTICIPLES:
                break
            if after_name and low in NAME_PARTICLES:
                # "Xan de Waard", "Ursula von der Leyen": particles between parts of a name
                ahead = index
                while ahead < end and tokens[ahead].low in NAME_PARTICLES:
                    ahead += 1
                if ahead < end and tokens[ahead].capitalised:
                    index = ahead
                    continue
            if low in NAME_JOINS:
                if not has_content and index > first and tokens[index - 1].low in COUNT_WORDS:
                    has_content = True  # "een van de bronnen", "twee van de daders"
                # "minister van Financiën": a join continues only into another name
                if not has_content or following is None or not following.is_word:
                    break
                if following.low in NAME_STOPS or following.low in PERSONAL_PRONOUNS:
                    break
                has_head = after_name = False
                opening = True
                index += 1
                continue
            if low in DETERMINERS and opening:
                index += 1
                continue
            if token.is_stop:
                break
            opening = False
            if token.text[0].isdigit() and (has_head or after_name):
                break  # "de autoriteiten 28 doden": a number after the name starts the rest
            if token.capitalised or token.text[0].isdigit():
                has_content = True
            elif has_head or after_name:
                break  # a lowercase word after the head or a name: the verb or the rest
            elif _is_adjective(token, following):
                has_content = True
            else:
                has_head = has_content = True
            after_name = token.plain_name
            index += 1
        while index > first and tokens[index - 1].low in NAME_JOINS | DETERMINERS:
            index -= 1
        return index if has_content and index > first else None

    def backward(self, verb: int) -> int | None:
        """The first index of a phrase that ends right before `verb`, or None."""
        tokens = self.tokens
        start = verb
        while start > 0:
            token = tokens[start - 1]
            if token.sentence != tokens[verb].sentence or token.quoted != tokens[verb].quoted:
                break
            if token.text == ")" and start >= 3 and tokens[start - 3].text == "(":
                start -= 3
                continue
            if not token.is_word or (token.is_stop and token.low not in DETERMINERS):
                break
            if token.low in REPORTING_VERBS:
                break
            start -= 1
            if verb - start > _MAX_NAME_TOKENS:
                return None
        # The longest phrase that reads forwards exactly up to the verb.
        for first in range(start, verb):
            if self.forward(first, verb) == verb:
                return first
        return None


def _span(tokens: list[Token], first: int, after: int, cue: str) -> Span:
    return Span(tokens[first].start, tokens[after - 1].end, SpanKind.SOURCE, cue)


class _SourceFinder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.phrase = _NounPhrase(self.tokens)
        self.spans: list[Span] = []

    def add(self, first: int, after: int | None, cue: str) -> int | None:
        """Add the phrase [first, after) as a source, and the parties listed after it
        ("melden BOVAG, RAI Vereniging en RDC")."""
        if after is None:
            return None
        tokens = self.tokens
        found = [(first, after)]
        last_was_en = True
        while after + 1 < len(tokens) and tokens[after].text in (",", "en"):
            if tokens[after].sentence != tokens[first].sentence:
                break
            following = self.phrase.forward(after + 1)
            if following is None or tokens[after + 1].low in PERSONAL_PRONOUNS:
                break
            found.append((after + 1, following))
            last_was_en = tokens[after].text == "en"
            after = following
            if last_was_en:
                break
        if not last_was_en:
            found = found[:1]  # commas without a closing "en": not a list of parties
            after = found[0][1]
        for start, end in found:
            self.spans.append(_span(tokens, start, end, cue))
        return after

    def find(self) -> list[Span]:
        self.dateline()
        tokens = self.tokens
        for index, token in enumerate(tokens):
            if token.quoted:
                continue  # attribution inside a quote is the speaker's own voice
            low = token.low
            if low == "volgens":
                self.after_volgens(index)
            elif low == "aldus":
                self.add(index + 1, self.phrase.forward(index + 1), "aldus")
            elif _credits(low) and self._next_is(index, "van"):
                self.add(index + 2, self.phrase.forward(index + 2), "van")
            elif low == "zeggen" and index >= 2 and tokens[index - 2].low == "naar":
                self.own_words(index)
            elif low in REPORTING_VERBS or low in SEPARABLE_VERBS:
                self.reporting_verb(index)
            elif low in EVIDENTIAL_VERBS:
                self.evidence(index)
            elif low in AUXILIARIES:
                self.perfect(index)
            elif (
                token.text == ":" and index + 1 < len(tokens) and tokens[index + 1].text in _QUOTES
            ):
                self.colon_quote(index)
        return _without_overlaps(self.spans)

    def _next_is(self, index: int, word: str) -> bool:
        return index + 1 < len(self.tokens) and self.tokens[index + 1].low == word

    def dateline(self) -> None:
        parsed = parse_dateline(self.text)
        if parsed is None:
            return
        dateline, _ = parsed
        offset = self.text.index("(") + 1
        for code in dateline.agencies:
            self.spans.append(Span(offset, offset + len(code), SpanKind.SOURCE, "dateline"))
            offset += len(code) + 1

    def after_volgens(self, index: int) -> None:
        tokens = self.tokens
        first = index + 1
        after = self.phrase.forward(first)
        if after is None:
            return
        head = next((t.low for t in tokens[first:after] if t.low == "van"), None)
        words = [t.low for t in tokens[first:after]]
        before_van = words[: words.index("van")] if head else words
        if any(word in NOT_AGENTS_AFTER_VOLGENS for word in before_van):
            # "volgens cijfers van het CBS": the party is after "van", if there is one
            for ahead in range(first, min(first + 4, len(tokens) - 1)):
                if tokens[ahead].low == "van":
                    self.add(ahead + 1, self.phrase.forward(ahead + 1), "volgens")
                    return
            return
        self.add(first, after, "volgens")

    def reporting_verb(self, verb: int) -> None:
        tokens = self.tokens
        low = tokens[verb].low
        following = tokens[verb + 1].low if verb + 1 < len(tokens) else ""
        spoken = low in ("sprak", "spraken") and verb > 0 and tokens[verb - 1].low == "zo"
        if low not in REPORTING_VERBS and not spoken:
            particles = SEPARABLE_VERBS[low]
            if following in particles:
                return  # "heeft laten weten": the perfect tense, read from its auxiliary
            window = tokens[verb + 1 : verb + 10]
            if not any(t.low in particles and t.sentence == tokens[verb].sentence for t in window):
                return
        if (low.startswith("meld") and following == "zich") or (
            low in ("vindt", "vinden", "vond") and self._ahead(verb, "plaats")
        ):
            return  # "meldde zich", "vindt plaats": no report
        subject = self.phrase.backward(verb)
        clause_start = self._clause_start(verb)
        if subject is not None and subject == clause_start:
            self.add_listed(subject, verb, low)  # "De minister zegt dat ..."
            return
        if subject is not None and tokens[verb - 1].low in PERSONAL_PRONOUNS:
            self.add(verb - 1, verb, low)
            return
        # Inverted: "Dat meldt X", "..., zei hij", "Vorige week zei de minister".
        after = self.phrase.forward(verb + 1)
        if after is not None and tokens[verb + 1].low not in ("er", "dat", "die"):
            self.add(verb + 1, after, low)
        elif verb >= 2 and tokens[verb - 1].low == "die" and tokens[verb - 2].text == ",":
            antecedent = self.phrase.backward(verb - 2)  # "een buurvrouw, die zegt dat"
            if antecedent is not None:
                self.add(antecedent, verb - 2, low)
        elif verb >= 1 and tokens[verb - 1].text == ",":
            self.subject_before_insertion(verb, low)

    def _ahead(self, index: int, word: str, window: int = 10) -> bool:
        """Whether `word` follows within the same sentence, a few words on."""
        sentence = self.tokens[index].sentence
        return any(
            t.low == word and t.sentence == sentence
            for t in self.tokens[index + 1 : index + 1 + window]
        )

    def subject_before_insertion(self, verb: int, cue: str) -> None:
        """ "De advocaat, Bart Jansen, zegt" / "Eigenaar Jan Vos, die ..., zegt": the party
        that opens the sentence before an apposition or relative clause."""
        tokens = self.tokens
        first = verb
        while first > 0 and tokens[first - 1].sentence == tokens[verb].sentence:
            first -= 1
        after = self.phrase.forward(first)
        if after is not None and after < verb - 1 and tokens[after].text == ",":
            self.add(first, after, cue)

    def evidence(self, verb: int) -> None:
        """ "blijkt uit de Leefstijlmonitor van het RIVM": a document credited to a party."""
        tokens = self.tokens
        window = tokens[verb + 1 : verb + 7]
        if not window or window[0].low not in ("uit", "in"):
            return
        for offset, token in enumerate(window):
            if token.low == "van":
                first = verb + 1 + offset + 1
                self.add(first, self.phrase.forward(first), "van")
                return
            if not token.is_word:
                return

    def _clause_start(self, verb: int) -> int:
        """The first token of the clause the verb stands in."""
        tokens = self.tokens
        start = verb
        while start > 0:
            previous = tokens[start - 1]
            if previous.sentence != tokens[verb].sentence:
                break
            if previous.text == ")" and start >= 3 and tokens[start - 3].text == "(":
                start -= 3  # "Geert Wilders (PVV) zegt"
                continue
            if not previous.is_word:
                break
            if previous.low in CLAUSE_CONJUNCTIONS:
                break
            start -= 1
        return start

    def add_listed(self, subject: int, verb: int, cue: str) -> None:
        """A subject and the parties listed before it: "Oekraïne, de VS en Zuid-Korea zeggen"."""
        tokens = self.tokens
        found = [(subject, verb)]
        while subject >= 2 and tokens[subject - 1].text in (",", "en"):
            before = self.phrase.backward(subject - 1)
            if before is None:
                break
            found.append((before, subject - 1))
            subject = before
        if len(found) > 1 and subject != self._clause_start(subject):
            found = found[:1]  # the list did not open the clause: not a list of subjects
        for first, after in reversed(found):
            self.spans.append(_span(tokens, first, after, cue))

    def perfect(self, auxiliary: int) -> None:
        """ "Dat heeft een woordvoerder gezegd", "Dat is van twee functionarissen vernomen",
        "Oekraïne had op 4 november gemeld"."""
        tokens = self.tokens
        subject = self.phrase.backward(auxiliary)
        if subject is not None and subject == self._clause_start(auxiliary):
            for ahead in tokens[auxiliary + 1 : auxiliary + 10]:
                if not ahead.is_word or ahead.sentence != tokens[auxiliary].sentence:
                    break
                if ahead.low in REPORTING_PARTICIPLES:
                    self.add_listed(subject, auxiliary, ahead.low)
                    return
        first = auxiliary + 1
        if first < len(tokens) and tokens[first].low == "van":
            first += 1
        after = self.phrase.forward(first)
        if after is None or after >= len(tokens) or tokens[first].low in ("het", "er"):
            return
        participle = after
        while participle < min(after + 3, len(tokens) - 1) and tokens[participle].is_stop:
            participle += 1  # "Dat heeft directeur Taco Dibbits dinsdag bekendgemaakt"
        opener = tokens[auxiliary - 1].low if auxiliary > 0 else ""
        if tokens[participle].low in REPORTING_PARTICIPLES and opener in PERFECT_OPENERS:
            self.add(first, after, tokens[participle].low)

    def colon_quote(self, colon: int) -> None:
        """`Minister De Jonge: "..."`: the party before a colon that opens a quote."""
        start = self.phrase.backward(colon)
        if start is not None and start == self._clause_start(colon):
            self.add(start, colon, ":")

    def own_words(self, zeggen: int) -> None:
        """ "naar eigen zeggen" attributes to the sentence's subject."""
        tokens = self.tokens
        sentence_start = zeggen
        while sentence_start > 0 and tokens[sentence_start - 1].sentence == tokens[zeggen].sentence:
            sentence_start -= 1
        after = self.phrase.forward(sentence_start)
        if after is not None and after < zeggen - 2:
            self.add(sentence_start, after, "naar eigen zeggen")


def _credits(word: str) -> bool:
    """A noun that credits figures or a document to a party: "cijfers", "seizoensstatistiek"."""
    return word in CREDITING_NOUNS or word.endswith(CREDITING_SUFFIXES)


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """One span per stretch of text: where two overlap, the earlier (then longer) wins; of
    two constructions over the same words, the one found first."""
    first_found = list({(s.start, s.end): s for s in reversed(spans)}.values())
    kept: list[Span] = []
    for span in sorted(first_found, key=lambda s: (s.start, -(s.end - s.start))):
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


def find_sources(text: str) -> list[Span]:
    """The attributed sources of a paragraph, in order, never overlapping. Never raises."""
    return _SourceFinder(text).find()
