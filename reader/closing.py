"""Closing: what a `with` block closes on leaving it, for the databases nieuwslezer keeps
(the feed store, the library, the search index)."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class Closing:
    """A resource used as `with Thing.open() as thing:`, closed when the block ends; a
    subclass writes `close`."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
