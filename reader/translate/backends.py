"""Translation backends behind one small interface, and the deep-translator adapters.

deep-translator 1.11.4, as the adapters find it: it sets no request timeout (a stalled server
blocks forever), so its modules get a `requests` whose requests go through watched connections
(reader/connections.py): one deadline, `timeout`, for a paragraph's whole exchange (pieces,
redirects, headers and body: a server trickling any of them is timed out like a silent one),
and no redirect from a public server to a local address; an instance is not
thread-safe (shared, it returned another paragraph's translation), so every call makes its own;
Google refuses requests of 5,000 characters or more, so long paragraphs go in pieces (to
LibreTranslate too, whose servers commonly set the same limit);
`LibreTranslator` refuses "nl" as source unless set after construction; errors come as
several unrelated exception types, which `_reason` turns into one `BackendError`; and it reads
whatever a server sends, hands back what it finds (`None`, a number, an object) and `str()`
would turn into text: so an answer is read up to a bound, and only a string that can be a
translation of its piece is one (`checked_answer`).
An in-process engine (no network) only needs to implement `Backend`; one that takes several
texts in a request (LibreTranslate's list in `q`) implements `BatchBackend` too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from reader.http_errors import timed_out
from reader.translate.result import BackendError, checked_answer, kind_of

# reader.connections (and requests under it) is imported on first use: this module is loaded
# at start-up, before anything is translated.

# Google refuses 5,000 characters or more; LibreTranslate servers commonly set the same limit.
MAX_REQUEST_CHARS = 4500  # under 5,000, with room for what escaping adds
# The most of an answer that is read: a piece's English, in JSON or in Google's page, is tens of
# kilobytes. Read whole, a lying server's 50 MB would be held and parsed (JSON parsing holds
# the interpreter, and the reader's interface with it) before being refused.
MAX_ANSWER_BYTES = 1_000_000


class Backend(Protocol):
    """Translates one piece of text; raises BackendError with a reason the reader can act on."""

    name: str  # part of the cache key: another backend's translation is another text

    def translate(self, text: str, source: str, target: str) -> str: ...


@runtime_checkable
class BatchBackend(Backend, Protocol):
    """A backend that takes several texts in one request (LibreTranslate does)."""

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[object]:
        """An answer per text, by position, unchecked (the caller checks their count and
        each); raises BackendError when the request fails or its answer is no list."""
        ...


class TimedOut(BackendError):
    """The attempt took the whole time-out; tried again at once it would take as long again."""

    def __init__(self, timeout: float) -> None:
        super().__init__(timed_out(timeout), retryable=True)


class Refused(BackendError):
    """The service refused the request as such (400, 413, 422): a wrong language, or more
    text than its limit; asked the same again it would refuse again."""

    def __init__(self, code: int) -> None:
        super().__init__(f"the service refused the request ({code})", retryable=False)


class _RequestsWithTimeout:
    """Stands in for the `requests` module inside deep-translator: every call gets a timeout,
    on a watched session (the Exchange under way in the thread bounds it), its answer read up
    to a bound."""

    def __init__(self, requests: Any, timeout: float) -> None:
        self._requests = requests
        self.timeout = timeout

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._request("GET", *args, **kwargs)

    def post(self, *args: Any, **kwargs: Any) -> Any:
        return self._request("POST", *args, **kwargs)

    def _request(self, method: str, *args: Any, **kwargs: Any) -> Any:
        from reader.connections import watch

        kwargs.setdefault("timeout", self.timeout)  # each wait; the Exchange bounds the whole
        kwargs["stream"] = True  # read by _read_bounded, up to its bound
        with watch(self._requests.Session()) as session:
            return _read_bounded(session.request(method, *args, **kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._requests, name)


def _read_bounded(response: Any) -> Any:
    """The response with its body read, up to MAX_ANSWER_BYTES; over that, BackendError."""
    body = bytearray()
    for chunk in response.iter_content(64 * 1024):  # decompressed: a gzip bomb stops here too
        body += chunk
        if len(body) > MAX_ANSWER_BYTES:
            response.close()
            size = f"{MAX_ANSWER_BYTES // 1_000_000} MB"
            raise BackendError(
                f"the service's answer is over {size}: not a translation", retryable=False
            )
    # What `.text` and `.json()` read from (requests' own attribute, set as its `.content`
    # does): the body is not read again.
    response._content = bytes(body)
    return response


def _deep_translator(timeout: float) -> Any:
    """deep-translator, imported on first use, its HTTP calls bounded by `timeout` seconds."""
    import deep_translator
    import deep_translator.google
    import deep_translator.libre
    import requests

    for module in (deep_translator.google, deep_translator.libre):
        shim = getattr(module, "requests", None)
        if isinstance(shim, _RequestsWithTimeout):
            shim.timeout = timeout
        else:
            module.requests = _RequestsWithTimeout(requests, timeout)  # type: ignore[attr-defined]
    return deep_translator


def _reason(error: Exception, timeout: float) -> BackendError:
    """deep-translator's and requests' many exception types, as one reason each."""
    import requests
    from deep_translator.exceptions import ServerException

    from reader.connections import AddressRefused

    name = type(error).__name__
    # ServerException carries a name for the status ("ERR_TOO_MANY_REQUESTS"), not the code.
    code = {text: status for status, text in ServerException.errors.items()}.get(str(error))
    if isinstance(error, AddressRefused):  # asked again, it would redirect there again
        return BackendError(str(error), retryable=False)
    if isinstance(error, requests.Timeout):
        return TimedOut(timeout)
    if isinstance(error, requests.ConnectionError | ConnectionError):
        return BackendError("no connection to the translation service", retryable=True)
    if name == "TooManyRequests" or code == 429:
        return BackendError("rate limited by the service", retryable=True)
    if name == "AuthorizationException" or code in (401, 402):
        return BackendError("the service refused the API key", retryable=False)
    if code in (400, 413, 422):
        return Refused(code)
    if name in ("ServerException", "RequestError"):
        return BackendError(f"server error{f' {code}' if code else ''}", retryable=True)
    if name in ("TranslationNotFound", "JSONDecodeError", "KeyError", "TypeError", "ValueError"):
        return BackendError("the service's answer held no translation", retryable=True)
    return BackendError(f"failed ({name})", retryable=True)


def _in_pieces(text: str, limit: int) -> list[str]:
    """Text cut at sentence ends (or spaces) into pieces shorter than `limit` characters."""
    pieces: list[str] = []
    rest = text
    while len(rest) >= limit:
        cut = max(rest.rfind(". ", 0, limit), rest.rfind(" ", 0, limit // 2))
        cut = cut + 1 if cut > 0 else limit - 1
        pieces.append(rest[:cut].strip())
        rest = rest[cut:]
    pieces.append(rest.strip())
    return [piece for piece in pieces if piece]


@dataclass
class GoogleBackend:
    """Google Translate through deep-translator's GoogleTranslator; no key needed."""

    timeout: float = 10.0
    url: str | None = None  # another address serving Google's page (tests start one locally)
    name: str = "google"

    def translate(self, text: str, source: str, target: str) -> str:
        translator_class = _deep_translator(self.timeout).GoogleTranslator

        def one(piece: str) -> object:
            translator = translator_class(source=source, target=target)  # one per call
            if self.url:
                translator._base_url = self.url
            return translator.translate(piece)

        return _translate_in_pieces(one, text, self.timeout)


@dataclass
class LibreBackend:
    """A LibreTranslate server at the user's URL, with an optional API key."""

    url: str
    api_key: str | None = None
    timeout: float = 10.0
    name: str = "libre"

    def __repr__(self) -> str:  # never show the key
        return f"LibreBackend(url={self.url!r}, api_key={'***' if self.api_key else None})"

    @property
    def _base(self) -> str:
        """The server's address with a trailing slash, for the endpoints to follow it."""
        return self.url if self.url.endswith("/") else self.url + "/"

    def translate(self, text: str, source: str, target: str) -> str:
        libre = _deep_translator(self.timeout).LibreTranslator
        base = self._base

        def one(piece: str) -> object:
            # The constructor demands a key and refuses "nl"; both are set after it.
            translator = libre(source="en", target=target, api_key="-", custom_url=base)
            translator.api_key = self.api_key or ""  # "" sends none; None breaks its 403 error
            translator._source = source
            return translator.translate(piece)

        return _translate_in_pieces(one, text, self.timeout)

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[object]:
        # deep-translator's own batch asks one text at a time; LibreTranslate's `/translate`
        # takes a list in `q` (in a JSON body) and answers a list.
        base = self._base
        deep_translator = _deep_translator(self.timeout)
        fields: dict[str, object] = {"q": texts, "source": source, "target": target}
        fields["format"] = "text"
        if self.api_key:
            fields["api_key"] = self.api_key

        def ask() -> object:
            from deep_translator.exceptions import ServerException

            response = deep_translator.libre.requests.post(base + "translate", json=fields)
            if response.status_code == 403:  # LibreTranslate's answer to a wrong or no key
                raise BackendError("the service refused the API key", retryable=False)
            if not 200 <= response.status_code < 300:
                raise ServerException(response.status_code)
            return response.json()

        answer = _within_deadline(ask, self.timeout)
        english = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(english, list):
            reason = f"the service answered no list of texts ({kind_of(english)})"
            raise BackendError(reason, retryable=True)
        return english  # its count is checked by the service, whatever the backend


def _within_deadline(function: Callable[[], object], timeout: float) -> object:
    """What `function` returns, its exchanges within one deadline; every failure as a
    BackendError."""
    from reader.connections import Exchange

    failure: BackendError | None = None
    answer: object = None
    with Exchange(timeout) as exchange:
        try:
            answer = function()
        except BackendError as error:
            failure = error
        except Exception as error:
            failure = _reason(error, timeout)
            failure.__cause__ = error
    # Once the watchdog shut the sockets, whatever came of it (a lost connection, an answer
    # cut short that may look whole) is a time-out.
    if exchange.timed_out:
        raise TimedOut(timeout) from failure
    if failure is not None:
        raise failure
    return answer


def _translate_in_pieces(function: Callable[[str], object], text: str, timeout: float) -> str:
    """`text`'s English, its pieces asked one after the other within one deadline."""
    pieces = _in_pieces(text, MAX_REQUEST_CHARS)
    english = _within_deadline(
        lambda: " ".join(_call(function, piece, timeout) for piece in pieces), timeout
    )
    return str(english)


def _call(function: Callable[[str], object], text: str, timeout: float) -> str:
    """One piece's English, checked; every failure as a BackendError."""
    try:
        answer = function(text)
    except BackendError:
        raise
    except Exception as error:
        raise _reason(error, timeout) from error
    return checked_answer(text, answer)
