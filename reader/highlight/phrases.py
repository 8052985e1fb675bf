"""Reading a party's name in a Dutch news paragraph: tokens, and the noun phrase that names it.

`tokenize` gives words and punctuation with sentence numbers and whether they stand inside a
direct quote (`"..."`, `„...”`, and the newspaper style `,,...''`); `NounPhrase` reads the name
of a party forwards from its first word or backwards from the verb that follows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reader.highlight.lexicon import (
    COUNT_WORDS,
    DETERMINERS,
    NAME_JOINS,
    NAME_PARTICLES,
    NAME_STOPS,
    NOT_TITLE_ENDINGS,
    PARTY_NOUN_ENDINGS,
    PARTY_NOUNS,
    PERSONAL_PRONOUNS,
    PORTFOLIOS,
    POSSESSIVE_PRONOUNS,
    REPORTING_PARTICIPLES,
    REPORTING_VERBS,
    TITLE_ENDINGS,
    TITLES,
)

# Newspaper quotes (",,", "''") are one token each, before any other punctuation; initials
# keep their full stop ("Martien R.", "J.P."), which may also end the sentence.
_TOKEN = re.compile(
    r",,|''|\u2019\u2019|(?:\b[A-Z\u00c0-\u00de]\.)+(?!\w)|\w+(?:[-'\u2019.*&/]\w+)*|[^\w\s]"
)
QUOTES = frozenset({'"', "“", "”", "„", "«", "»", ",,", "''", "\u2019\u2019"})
_OPENING_QUOTES = frozenset({"“", "„", "«", ",,"})
_TOGGLING_QUOTES = frozenset({'"', "''", "\u2019\u2019"})  # open or close by position
_SENTENCE_ENDS = frozenset(".!?")
_MAX_NAME_TOKENS = 12
# Cheap first checks before a portfolio is compared word by word.
_PORTFOLIO_FIRSTS = frozenset(portfolio[0] for portfolio in PORTFOLIOS)
_PORTFOLIO_LASTS = frozenset(portfolio[-1] for portfolio in PORTFOLIOS)


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
        ends_sentence = previous[-1:] in _SENTENCE_ENDS  # a full stop, or an initial's
        if ends_sentence and (word[0].isupper() or word in QUOTES) and not quoted:
            sentence += 1
        tokens.append(Token(word, match.start(), match.end(), sentence, quoted))
        if word in QUOTES:
            # A toggling mark opens after a space or at the start, and closes otherwise.
            quoted = not quoted if word in _TOGGLING_QUOTES else word in _OPENING_QUOTES
        previous = word
    return tokens


def is_title(word: str) -> bool:
    """A function or title before a name: "premier", "kinderarts", "politiewoordvoerder"."""
    return word in TITLES or (word.endswith(TITLE_ENDINGS) and not word.endswith(NOT_TITLE_ENDINGS))


def _is_party_noun(word: str) -> bool:
    """A noun naming a person or group after a possessive: "haar advocaat", "hun ouders"."""
    return is_title(word) or word in PARTY_NOUNS or word.endswith(PARTY_NOUN_ENDINGS)


def _is_adjective(token: Token, following: Token | None) -> bool:
    """A lowercase word read as an adjective before a noun ("lokale media", "demissionair
    premier")."""
    low = token.low
    if following is not None and following.is_word and is_title(following.low):
        return not is_title(low) and low not in NAME_STOPS
    return (
        (low.endswith(("isch", "ig", "lijk", "aal", "eel")) or low.endswith("e"))
        and not low.endswith(("ie", "ee"))
        and following is not None
        and following.is_word
        and following.low not in NAME_STOPS
    )


class NounPhrase:
    """Reads the name of a party: [det] [adj|Name|title]* head [Name]* [(van|voor) NP]
    [(ABBR)], a portfolio after "van" whole ("van Justitie en Veiligheid")."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self._lows = [token.low for token in tokens]

    def portfolio_after(self, index: int) -> int | None:
        """The index after a ministry's portfolio that starts at `index`, if one does."""
        if index >= len(self._lows) or self._lows[index] not in _PORTFOLIO_FIRSTS:
            return None
        for portfolio in PORTFOLIOS:
            if tuple(self._lows[index : index + len(portfolio)]) == portfolio:
                return index + len(portfolio)
        return None

    def portfolio_before(self, index: int) -> int | None:
        """The index of "van" before a portfolio that ends right before `index`, if any."""
        if index < 2 or self._lows[index - 1] not in _PORTFOLIO_LASTS:
            return None
        for portfolio in PORTFOLIOS:
            first = index - len(portfolio)
            if first >= 1 and tuple(self._lows[first:index]) == portfolio:
                return first - 1 if self._lows[first - 1] == "van" else None
        return None

    def _closing_paren(self, opening: int) -> int | None:
        """The ")" of a party's abbreviation or portfolio that opens at `opening`, if any."""
        tokens = self.tokens
        for index in range(opening + 1, min(opening + 9, len(tokens))):
            text = tokens[index].text
            if text == ")":
                return index if index > opening + 1 else None
            if not (tokens[index].is_word or text == ","):
                return None
        return None

    def paren_before(self, index: int) -> int | None:
        """The "(" of a parenthesised abbreviation or portfolio that ends right before
        `index`: "Geert Wilders (PVV) zegt"."""
        if index < 3 or self.tokens[index - 1].text != ")":
            return None
        for opening in range(index - 3, max(index - 11, -1), -1):
            if self.tokens[opening].text == "(":
                return opening if self._closing_paren(opening) == index - 1 else None
        return None

    def _possessed(self, index: int, end: int) -> bool:
        """Whether a party noun follows a possessive at `index`: "haar (eigen) advocaat"."""
        if index < end and self._lows[index] == "eigen":
            index += 1
        return index < end and self.tokens[index].is_word and _is_party_noun(self._lows[index])

    def forward(self, first: int, limit: int | None = None) -> int | None:
        """The index after the phrase that starts at `first`, or None if none starts there."""
        tokens = self.tokens
        end = len(tokens) if limit is None else limit
        if first >= end or not tokens[first].is_word:
            return None
        sentence = tokens[first].sentence
        low = tokens[first].low
        if low in PERSONAL_PRONOUNS and not (
            low in POSSESSIVE_PRONOUNS and self._possessed(first + 1, end)
        ):
            return first + 1
        # A capital that only opens the sentence is no name: "Demissionair premier X".
        opens_sentence = first == 0 or tokens[first - 1].sentence != sentence
        index, has_head, has_content, after_name = first, False, False, False
        names = 0
        opening = True  # at the start of the phrase or of a part after "van": a determiner may come
        while index < end and index - first < _MAX_NAME_TOKENS:
            token = tokens[index]
            low = token.low
            following = tokens[index + 1] if index + 1 < end else None
            if token.sentence != sentence:
                break
            if token.text == "(" and has_content:
                closing = self._closing_paren(index)
                if closing is not None and closing < end:
                    index = closing + 1  # "Geert Wilders (PVV)", "Karremans (Jeugd en Sport)"
                break
            if not token.is_word or low in REPORTING_VERBS or low in REPORTING_PARTICIPLES:
                break
            if low == "van" and has_content:
                portfolio_end = self.portfolio_after(index + 1)
                if portfolio_end is not None and portfolio_end <= end:
                    index, has_head, after_name = portfolio_end, True, True
                    continue  # "minister Van Dijk van Justitie en Veiligheid"
            if index > first and tokens[index - 1].capitalised and low in NAME_PARTICLES:
                # "Xan de Waard", "Sanne de Groot", "Jan van der Meer": particles inside a name
                ahead = index
                while ahead < end and tokens[ahead].low in NAME_PARTICLES:
                    ahead += 1
                if ahead < end and tokens[ahead].capitalised:
                    index, has_content, after_name = ahead + 1, True, True
                    continue
            if index == first and token.capitalised and low in NAME_PARTICLES:
                ahead = index + 1  # "Van Veen", "Van der Linden", "De Jager": a surname
                while ahead < end and tokens[ahead].low in NAME_PARTICLES:
                    ahead += 1
                if ahead < end and tokens[ahead].plain_name and not tokens[ahead].text.isupper():
                    index, has_content, after_name = ahead + 1, True, True
                    names += 1
                    opening = False
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
            # "de autoriteiten 28 doden": a number after the name starts the rest; one that
            # ends a name is part of it ("producent Studio 100 zegt")
            ends_name = after_name and (
                following is None or not following.is_word or following.is_stop
            )
            if token.text[0].isdigit() and (has_head or after_name) and not ends_name:
                break
            if token.capitalised or token.text[0].isdigit():
                has_content = True
                names += not (index == first and opens_sentence)
            elif names == 0 and is_title(low):
                has_head = has_content = True  # "demissionair premier", "Kinderarts"
                after_name = False
                index += 1
                continue
            elif has_head or after_name:
                break  # a lowercase word after the head or a name: the verb or the rest
            elif (
                index - 2 >= first
                and tokens[index - 1].capitalised
                and tokens[index - 2].capitalised
                and tokens[index - 2].low not in DETERMINERS
            ):
                break  # "de Nationale Politie alle medewerkers": a name of two capitals ends
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
            opening = self.paren_before(start)
            if opening is not None:
                start = opening
                continue
            van = self.portfolio_before(start)
            if van is not None:
                start = van  # "van Justitie en Veiligheid"
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
