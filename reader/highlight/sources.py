"""Attributed sources in a Dutch news paragraph: "volgens X", "aldus X", "X zegt", "zei hij".

Rule-based over a light tokenisation: the cues are the tables in `lexicon`; a party's name is
read as a noun phrase by `phrases.NounPhrase` (determiner, adjectives, titles, head, names,
"van ..." parts, a parenthesised abbreviation), forwards from a cue or backwards from a
reporting verb.
"""

from __future__ import annotations

import re

from reader.agencies import AGENCY_NAMES
from reader.highlight.lexicon import (
    ADDING_VERBS,
    AUXILIARIES,
    CLAUSE_CONJUNCTIONS,
    CREDITING_NOUNS,
    CREDITING_SUFFIXES,
    DETERMINERS,
    EVIDENTIAL_VERBS,
    EXPLAINED_ENDINGS,
    FOCUS_WORDS,
    INDEFINITES,
    NEGATIONS_AFTER,
    NEGATIONS_BEFORE,
    NOT_AGENTS_AFTER_VOLGENS,
    NOT_EXPLAINED,
    PERFECT_OPENERS,
    PERSONAL_PRONOUNS,
    QUOTE_VERBS,
    REPORT_NOUNS,
    REPORTING_PARTICIPLES,
    REPORTING_VERBS,
    SEPARABLE_VERBS,
    STATEMENT_NOUNS,
    VERB_HELPERS,
    VIEWS_UTTERED,
)
from reader.highlight.phrases import QUOTES, NounPhrase, Token, tokenize
from reader.model import Span, SpanKind
from reader.parse import parse_dateline

__all__ = ["find_sources", "tokenize"]

# A byline ("Door ANP") and a dateline without a place ("(belga) - "), agencies in any case.
_BYLINE = re.compile(r"\s*Door (?P<codes>[A-Za-z]+(?:/[A-Za-z]+)*)\b")
_AGENCIES = frozenset(AGENCY_NAMES) | {name.upper() for name in AGENCY_NAMES.values()}
# Adverbs between an inverted reporting verb and its subject.
_ADVERBS = frozenset(
    """ook al nog eerder later inmiddels vandaag gisteren maandag dinsdag woensdag donderdag
    vrijdag zaterdag zondag""".split()
)
_CALLING_VERBS = frozenset(["roept", "roepen", "riep", "riepen"])
_BARE_DATELINE = re.compile(r"\s*\((?P<codes>[A-Za-z]+(?:/[A-Za-z]+)*)\) [-\u2013\u2014] ")


def _span(tokens: list[Token], first: int, after: int, cue: str) -> Span:
    return Span(tokens[first].start, tokens[after - 1].end, SpanKind.SOURCE, cue)


class _SourceFinder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.phrase = NounPhrase(self.tokens)
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
            elif low in REPORT_NOUNS and self.report(index):
                pass
            elif _credits(low) and self._next_is(index, "van"):
                self.add(index + 2, self.phrase.forward(index + 2), "van")
            elif low == "zeggen" and index >= 2 and tokens[index - 2].low == "naar":
                self.own_words(index)
            elif low in REPORTING_VERBS or low in SEPARABLE_VERBS:
                self.reporting_verb(index)
            elif low in QUOTE_VERBS and self._after_quote(index):
                self.add(index + 1, self.phrase.forward(index + 1), low)
            elif low in EVIDENTIAL_VERBS:
                self.evidence(index)
            elif low in AUXILIARIES:
                self.perfect(index)
            elif token.text == ":" and index + 1 < len(tokens) and tokens[index + 1].text in QUOTES:
                self.colon_quote(index)
        return _without_overlaps(self.spans)

    def report(self, noun: int) -> bool:
        """ "na een bericht in Het Parool", "volgens een artikel van NRC": the medium."""
        tokens = self.tokens
        before = {t.low for t in tokens[max(0, noun - 2) : noun]}
        if noun + 1 >= len(tokens) or not before & {"na", "volgens"}:
            return False
        if tokens[noun + 1].low not in ("in", "van"):
            return False
        return self.add(noun + 2, self.phrase.forward(noun + 2), tokens[noun].low) is not None

    def _after_quote(self, index: int) -> bool:
        """Whether a quote and a comma close right before `index`: `"...", ` or `...,"`."""
        marks = {t.text for t in self.tokens[max(0, index - 2) : index]}
        return index >= 2 and "," in marks and bool(marks & QUOTES)

    def _next_is(self, index: int, word: str) -> bool:
        return index + 1 < len(self.tokens) and self.tokens[index + 1].low == word

    def dateline(self) -> None:
        parsed = parse_dateline(self.text)
        if parsed is not None:
            codes: tuple[str, ...] = parsed[0].agencies
            offset = self.text.index("(") + 1
            cue = "dateline"
        else:
            match = _BARE_DATELINE.match(self.text) or _BYLINE.match(self.text)
            if match is None:
                return
            codes = tuple(match["codes"].split("/"))
            if not all(code.upper() in _AGENCIES for code in codes):
                return  # "Door de regen": only agencies make a byline
            offset = match.start("codes")
            cue = "dateline" if match.re is _BARE_DATELINE else "byline"
        for code in codes:
            self.spans.append(Span(offset, offset + len(code), SpanKind.SOURCE, cue))
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
        previous = tokens[verb - 1].low if verb > 0 else ""
        if low not in REPORTING_VERBS and not spoken:
            clause = tokens[self._clause_start(verb) : verb]
            if previous in VERB_HELPERS or (
                following in SEPARABLE_VERBS[low] and any(t.low in VERB_HELPERS for t in clause)
            ):
                return  # "heeft (X) laten weten": the perfect tense, read from its auxiliary
            if not self._particle_follows(verb, SEPARABLE_VERBS[low]):
                return
        if (low.startswith("meld") and following == "zich") or (
            low in ("vindt", "vinden", "vond") and self._ahead(verb, "plaats")
        ):
            return  # "meldde zich", "vindt plaats": no report
        if previous in NEGATIONS_BEFORE or following in NEGATIONS_AFTER:
            return  # "kan niet zeggen", "zei niets": no report
        if low in ADDING_VERBS and not (self._after_quote(verb) or self._adds_a_statement(verb)):
            return  # "De kok voegt zout toe": a thing added, nothing said
        if low.startswith("uit") and not any(
            t.low in VIEWS_UTTERED for t in tokens[verb + 1 : verb + 6]
        ):
            return  # "uitte zijn woede door te slaan": no view reported
        subject = self.phrase.backward(verb)
        clause_start = self._clause_start(verb)
        if (
            subject is not None
            and subject == clause_start
            and tokens[subject - 1].text in (",", "en")
            and not tokens[subject].capitalised
            and self.subject_before_insertion(verb, low)
        ):
            return  # "Koen Crijns, adjunct-directeur van DPG, legt uit"
        if subject is not None and (
            subject == clause_start
            or (subject == clause_start + 1 and tokens[clause_start].low in FOCUS_WORDS)
        ):
            self.add_listed(subject, verb, low)  # "De minister zegt", "Ook Polman vindt"
            return
        if subject is not None and tokens[verb - 1].low in PERSONAL_PRONOUNS:
            self.add(verb - 1, verb, low)
            return
        # Inverted: "Dat meldt X", "..., zei hij", "Vorige week zei de minister". Who is called
        # on comes after "riep" ("riep getuigen op"), and after "en" or "maar" the subject is
        # shared ("debuteerde in 1958 en schreef dertig bundels"): what follows is the object.
        subject = verb + 1
        while subject < min(verb + 3, len(tokens)) and tokens[subject].low in _ADVERBS:
            subject += 1  # "Dat zei ook minister X", "zegt dinsdag de politie": not the party
        after = self.phrase.forward(subject)
        shared = verb >= 1 and tokens[verb - 1].low in ("en", "maar")
        called = low in _CALLING_VERBS and following not in ("de", "het")  # "riep getuigen op"
        if called or (shared and following not in PERSONAL_PRONOUNS):
            after = None
        if after is not None and self._inverted_subject(verb, subject, after):
            self.add(subject, after, low)
        elif verb >= 2 and tokens[verb - 1].low == "die":
            self.antecedent(verb - 1, low)
        elif verb >= 1 and tokens[verb - 1].text == ",":
            self.subject_before_insertion(verb, low)
        elif shared:
            self.shared_subject(verb, low)

    def _inverted_subject(self, verb: int, first: int, after: int) -> bool:
        """Whether the phrase [first, after) right after a reporting verb is its subject ("Dat
        meldt de politie") rather than its object: not "er", a relative or an indefinite ("Dat
        zegt veel"); not after an opening "Het", which is the subject itself ("Het zegt iets
        over de zaak"); not what "verklaren" explains ("Dat verklaart de stijging")."""
        tokens = self.tokens
        if tokens[first].low in ("er", "dat", "die") or tokens[first].low in INDEFINITES:
            return False
        opener = verb - 1
        if opener >= 0 and tokens[opener].low == "het" and opener == self._clause_start(verb):
            return False
        words = [t.low for t in tokens[first:after]]
        head = tokens[first + words.index("van") - 1 if "van" in words[1:] else after - 1]
        return not (
            tokens[verb].low.startswith("verklaar")
            and opener >= 0
            and tokens[opener].low in ("dat", "dit")
            and not head.capitalised
            and head.low.endswith(EXPLAINED_ENDINGS)
            and head.low not in NOT_EXPLAINED
        )

    def _adds_a_statement(self, verb: int) -> bool:
        """Whether "toe" closes the clause of "voegt" with what is said after it: "dat", a
        colon or a quote ("voegde eraan toe dat ...", "voegt toe: ...")."""
        tokens = self.tokens
        sentence = tokens[verb].sentence
        for index in range(verb + 1, min(verb + 14, len(tokens) - 1)):
            if tokens[index].sentence != sentence:
                return False
            if tokens[index].low == "toe":
                following = tokens[index + 1]
                return following.low == "dat" or following.text == ":" or following.text in QUOTES
        return False

    def antecedent(self, die: int, cue: str) -> None:
        """The party a relative "die" before a reporting verb stands for: "een buurvrouw, die
        zegt", "reageerde op een twitteraar die zei"; the name, not the reaction or the
        apposition, in "een reactie van premier X, die zei" and "X, de hoofdredacteur, die"."""
        tokens = self.tokens
        comma = tokens[die - 1].text == ","
        end = die - 1 if comma else die
        first = self.phrase.backward(end)
        if first is None or (not comma and first == self._clause_start(end)):
            return  # "De man die zegt ...": the subject of the clause, read at its own verb
        words = [t.low for t in tokens[first:end]]
        if "van" in words and set(words[: words.index("van")]) & STATEMENT_NOUNS:
            first += words.index("van") + 1  # "een reactie van X, die zei"
        elif comma and not tokens[first].capitalised:
            # "Hans Laroes, de zojuist vertrokken hoofdredacteur, die schreef": the name
            before = next(
                (i for i in range(first - 1, max(first - 4, 0), -1) if tokens[i].text == ","), None
            )
            name = before
            while name is not None and name > 0 and tokens[name - 1].capitalised:
                name -= 1
            if name is not None and before is not None and name < before:
                self.add(name, before, cue)
                return
        self.add(first, end, cue)

    def _particle_follows(self, verb: int, particles: frozenset[str]) -> bool:
        """Whether the particle of a separable verb closes its clause: "maakte X bekend",
        "spreekt dat tegen"; "tegen" before a name is the channel ("sprak tegen de NOS")."""
        tokens = self.tokens
        sentence = tokens[verb].sentence
        for index in range(verb + 1, min(verb + 14, len(tokens))):
            token = tokens[index]
            if token.sentence != sentence or token.low in ("om", "dat", "te"):
                return False  # the particle is in the clause, not after "om te ..."
            if token.low in particles:
                following = tokens[index + 1] if index + 1 < len(tokens) else None
                return not (
                    token.low == "tegen"
                    and following is not None
                    and following.is_word
                    and following.low not in CLAUSE_CONJUNCTIONS
                )
        return False

    def _ahead(self, index: int, word: str, window: int = 10) -> bool:
        """Whether `word` follows within the same sentence, a few words on."""
        sentence = self.tokens[index].sentence
        return any(
            t.low == word and t.sentence == sentence
            for t in self.tokens[index + 1 : index + 1 + window]
        )

    def subject_before_insertion(self, verb: int, cue: str) -> bool:
        """ "De advocaat, Bart Jansen, zegt" / "Eigenaar Jan Vos, die ..., zegt": the party
        that opens the sentence before an apposition or relative clause."""
        tokens = self.tokens
        first = verb
        while first > 0 and tokens[first - 1].sentence == tokens[verb].sentence:
            first -= 1
        after = self.phrase.forward(first)
        if after is not None and after < verb - 1 and tokens[after].text == ",":
            self.spans.append(_span(tokens, first, after, cue))  # what follows: an apposition
            return True
        return False

    def shared_subject(self, verb: int, cue: str) -> None:
        """ "Woonpartners belooft ... en zegt": two verbs of one subject that opens the
        sentence, the first right after it."""
        tokens = self.tokens
        first = verb
        while first > 0 and tokens[first - 1].sentence == tokens[verb].sentence:
            first -= 1
        after = self.phrase.forward(first)
        if after is None or after >= verb - 1 or tokens[first].quoted:
            return
        finite = tokens[after]
        if not finite.is_word or finite.capitalised or finite.low in CLAUSE_CONJUNCTIONS:
            return
        said = tokens[verb + 1 : verb + 12]
        if any(t.low in ("dat", "te") or t.text in QUOTES or t.text == ":" for t in said):
            self.add(first, after, cue)  # what is said follows, not an object ("schreef boeken")

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
            opening = self.phrase.paren_before(start)
            if opening is not None:
                start = opening  # "Geert Wilders (PVV) zegt"
                continue
            van = self.phrase.portfolio_before(start)
            if van is not None:
                start = van  # "minister van Justitie en Veiligheid zegt"
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
        relative = subject is not None and subject > 0 and tokens[subject - 1].low in ("die", "dat")
        if (
            subject is not None
            and tokens[subject].low in ("die", "dat")
            and subject + 1 < auxiliary
        ):
            subject, relative = subject + 1, True  # "uitslagen die de dienst heeft gemeld"
        if subject is not None and (subject == self._clause_start(auxiliary) or relative):
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
        if after is None or after >= len(tokens) or tokens[first].low == "er":
            return
        participle = after
        while participle < min(after + 3, len(tokens) - 1) and tokens[participle].is_stop:
            participle += 1  # "Dat heeft directeur Taco Dibbits dinsdag bekendgemaakt"
        opener = tokens[auxiliary - 1].low if auxiliary > 0 else ""
        if tokens[participle].low in REPORTING_PARTICIPLES and opener in PERFECT_OPENERS:
            self.add(first, after, tokens[participle].low)

    def colon_quote(self, colon: int) -> None:
        """`Minister De Jonge: "..."`: the party before a colon that opens a quote; or the
        subject after the verb of the clause before it ("haalde Jansen uit naar X: ...")."""
        tokens = self.tokens
        start = self.phrase.backward(colon)
        clause_start = self._clause_start(colon)
        if start is not None and start == clause_start:
            self.add(start, colon, ":")
            return
        for first in range(clause_start + 1, colon):
            previous, token = tokens[first - 1], tokens[first]
            if not previous.is_word or previous.is_stop or previous.capitalised:
                continue
            if previous.low in DETERMINERS or previous.low in PERSONAL_PRONOUNS:
                continue
            if token.capitalised or token.low in PERSONAL_PRONOUNS:
                after = self.phrase.forward(first, colon)
                if after is not None:
                    self.add(first, after, ":")
                return

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
