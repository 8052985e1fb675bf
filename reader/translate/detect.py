"""Which paragraphs are Dutch: langdetect over a language set chosen for Dutch news.

With all of langdetect's profiles it often calls short Dutch paragraphs Afrikaans; news in this
reader is Dutch, with quotes and paragraphs in English, German or French now and then. So the
detector knows only those languages (and a few neighbours), and is seeded for repeatable answers.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

LANGUAGES = ("nl", "en", "de", "fr", "es", "it")
DUTCH = "nl"

_lock = threading.Lock()  # langdetect's factory is global state; build it once


@lru_cache(maxsize=1)
def _factory() -> Any:
    from pathlib import Path

    import langdetect.detector_factory as detector_factory

    factory = detector_factory.DetectorFactory()
    factory.seed = 0
    profiles = Path(detector_factory.PROFILES_DIRECTORY)
    texts = [(profiles / code).read_text(encoding="utf-8") for code in LANGUAGES]
    factory.load_json_profile(texts)
    return factory


_MIN_WORDS = 4  # below this langdetect guesses ("Reactie Rusland" -> English); the corpus is Dutch


def language_of(text: str) -> str:
    """The language code of a paragraph; Dutch when the text gives no evidence either way."""
    if len(text.split()) < _MIN_WORDS:
        return DUTCH
    with _lock:
        factory = _factory()
    try:
        detector = factory.create()
        detector.append(text)
        return str(detector.detect())
    except Exception:  # langdetect raises on text with no letters: nothing to translate anyway
        return DUTCH
