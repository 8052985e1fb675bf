"""What a translation attempt comes to: English text, or a short reason it failed."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Translated:
    text: str
    cached: bool = False


@dataclass(frozen=True, slots=True)
class NotDutch:
    """The paragraph is in another language (e.g. English) and was not sent."""

    language: str


@dataclass(frozen=True, slots=True)
class Failed:
    """A short reason for the reader ("timed out after 10 s").

    `retryable` when trying again later may help (a timeout), not when it cannot (a bad key)."""

    reason: str
    retryable: bool = True
    paused: bool = False  # not sent: the service pauses after repeated failures


def paused_reason(seconds_left: float) -> str:
    """Why a paragraph was not sent while the service pauses, and for how much longer."""
    return f"paused after repeated failures; trying again in {math.ceil(seconds_left)} s"


TranslationResult = Translated | NotDutch | Failed


class BackendError(Exception):
    """A backend's failure, reduced to a reason the reader can act on."""

    def __init__(self, reason: str, *, retryable: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
