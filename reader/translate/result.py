"""What a translation attempt comes to: English text, or a short reason it failed."""

from __future__ import annotations

import math

from reader.model import Value

_set = object.__setattr__  # frozen: as a dataclass sets its fields

# Values as frozen dataclasses are (reader.model.Value), not compiled at every start.


class Translated(Value):
    __slots__ = ("cached", "text")

    text: str
    cached: bool

    def __init__(self, text: str, cached: bool = False) -> None:
        _set(self, "text", text)
        _set(self, "cached", cached)


class NotDutch(Value):
    """The paragraph is in another language (e.g. English) and was not sent."""

    __slots__ = ("language",)

    language: str

    def __init__(self, language: str) -> None:
        _set(self, "language", language)


class Failed(Value):
    """A short reason for the reader ("timed out after 10 s").

    `retryable` when trying again later may help (a timeout), not when it cannot (a bad key)."""

    __slots__ = ("paused", "reason", "retryable")

    reason: str
    retryable: bool
    paused: bool  # not sent: the service pauses after repeated failures

    def __init__(self, reason: str, retryable: bool = True, paused: bool = False) -> None:
        _set(self, "reason", reason)
        _set(self, "retryable", retryable)
        _set(self, "paused", paused)


def paused_reason(seconds_left: float) -> str:
    """Why a paragraph was not sent while the service pauses, and for how much longer."""
    return f"paused after repeated failures; trying again in {math.ceil(seconds_left)} s"


TranslationResult = Translated | NotDutch | Failed


class BackendError(Exception):
    """A backend's failure, reduced to a reason the reader can act on."""

    def __init__(self, reason: str, *, retryable: bool, sent: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.sent = sent  # false when nothing went to a service (none is configured)


# An English translation is about as long as its Dutch; a short text ("Ja.") may well get a
# longer answer ("Yes, indeed."), hence the margin. An answer past this bound is no translation
# (an error page, a lie, megabytes that would take minutes to lay out).
ANSWER_LENGTH_RATIO = 3
ANSWER_LENGTH_MARGIN = 200


def checked_answer(text: str, answer: object) -> str:
    """`answer` if it can be the translation of `text`: a string, not empty (unless the text
    is), within the bound of its length; else BackendError saying why it is not."""
    if not isinstance(answer, str):
        raise BackendError(f"the service answered no text ({kind_of(answer)})", retryable=True)
    if not answer.strip() and text.strip():
        raise BackendError("the service answered an empty text", retryable=True)
    if len(answer) > ANSWER_LENGTH_RATIO * len(text) + ANSWER_LENGTH_MARGIN:
        # Asked again it would lie again: not retried (T asks again if the reader wants).
        reason = (
            f"the service answered {len(answer):,} characters for a text of {len(text):,}: "
            "not a translation"
        )
        raise BackendError(reason, retryable=False)
    return answer


def is_translation(text: str, answer: object) -> bool:
    """Whether `answer` passes `checked_answer` (a cached one read back, say)."""
    try:
        checked_answer(text, answer)
    except BackendError:
        return False
    return True


def kind_of(value: object) -> str:
    """What a JSON value that is not a string is, in a word."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a truth value"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, str):
        return "a text"
    return type(value).__name__
