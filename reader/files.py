"""Reading the files a user names: regular files only, opened without blocking, bounded.

Pages, OPML lists, config.toml and feeds.toml are all read through here. A named pipe (FIFO)
called page.txt blocks `open()` until a writer comes, which may be never, and then neither `q`
nor Ctrl+C ends the reader; a device such as /dev/zero never ends. So a file's status is looked
at before it is opened, anything but a regular file is refused with a reason, and the file is
opened non-blocking and looked at again, in case it was swapped in between.

Errors are OSErrors, as `open()` raises them; `file_problem` says any of them for the user.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

# Opening never waits: for a FIFO without a writer O_NONBLOCK makes open() return at once.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)  # a terminal device never becomes ours
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)

# Read at most this much at a time, so that the bound is never allocated at once.
_READ_CHUNK_BYTES = 1 << 20

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class NotARegularFile(OSError):
    """A path that is something else than a regular file: a folder, a FIFO, a device..."""

    def __init__(self, path: Path | str, kind: str) -> None:
        super().__init__(f"{kind}, not a regular file")
        self.path = str(path)  # not `filename`, which OSError would put in its message
        self.kind = kind


class FileTooLarge(OSError):
    """A regular file larger than the caller's bound; `size` is at least `limit` + 1."""

    def __init__(self, path: Path | str, size: int, limit: int) -> None:
        super().__init__(f"{size:,} bytes, over the limit of {limit:,}")
        self.path = str(path)
        self.size = size
        self.limit = limit


def kind_of(mode: int) -> str | None:
    """None for a regular file; else what it is, said for the user: "a named pipe (FIFO)"."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for is_kind, kind in _KINDS if is_kind(mode)), "not a file")


def open_regular_file(path: Path | str) -> BinaryIO:
    """`path` opened for reading in binary, if it is a regular file (links followed).

    Raises NotARegularFile for anything else, before opening it where its status tells, and
    any OSError of looking at it or opening it (FileNotFoundError when it is not there).
    """
    descriptor, _ = _open_regular(path)
    try:
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _open_regular(path: Path | str) -> tuple[int, int]:
    """open_regular_file's descriptor, and the file's size as it was when opened."""
    kind = kind_of(os.stat(path).st_mode)
    if kind is not None:
        raise NotARegularFile(path, kind)
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        status = os.fstat(descriptor)
        kind = kind_of(status.st_mode)  # swapped since it was looked at?
        if kind is not None:
            raise NotARegularFile(path, kind)
        return descriptor, status.st_size
    except BaseException:
        os.close(descriptor)
        raise


def read_regular_file(path: Path | str, max_bytes: int) -> bytes:
    """The bytes of the regular file `path`, at most `max_bytes` of them.

    Raises FileTooLarge past that (told by its size before anything is read, and by reading
    no more than one byte past the bound, for a file that grows meanwhile), and what
    open_regular_file raises.
    """
    # Read from the descriptor itself: a buffered file object around it cost as much as the
    # reading, for a page of a few kB.
    descriptor, size = _open_regular(path)
    try:
        if size > max_bytes:
            raise FileTooLarge(path, size, max_bytes)
        # Asked for its size (and a byte more, to see it grew): reading max_bytes + 1 would
        # allocate the whole bound for every file, most of an export's reading time.
        data = _read_up_to(descriptor, size + 1)
        if len(data) > size:  # it grew since fstat: on, up to one byte past the bound
            data += _read_up_to(descriptor, max_bytes + 1 - len(data))
    finally:
        os.close(descriptor)
    if len(data) > max_bytes:
        raise FileTooLarge(path, len(data), max_bytes)
    return data


def _read_up_to(descriptor: int, count: int) -> bytes:
    """Up to `count` bytes, fewer only at the end of the file (os.read may return fewer)."""
    chunks: list[bytes] = []
    while count > 0:
        chunk = os.read(descriptor, min(count, _READ_CHUNK_BYTES))
        if not chunk:
            break
        chunks.append(chunk)
        count -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def file_problem(error: OSError) -> str:
    """What went wrong with a file, for the user, without its name: "a named pipe (FIFO), not
    a regular file", "a symbolic link loop", "no such file or folder", "Permission denied"."""
    if isinstance(error, NotARegularFile | FileTooLarge):
        return str(error)
    if error.errno == errno.ELOOP:
        return "a symbolic link loop (following its links leads back to it)"
    if error.errno == errno.ENOENT:
        target = _link_target(error.filename)
        if target is not None:
            return f"a symbolic link to {target!r}, which does not exist"
        return "no such file or folder"
    return error.strerror or str(error)


def _link_target(filename: object) -> str | None:
    """Where the symbolic link `filename` points, if it is one."""
    if not isinstance(filename, str | bytes | os.PathLike):
        return None
    try:
        return os.fsdecode(os.readlink(filename))
    except (OSError, ValueError):
        return None


def read_optional_file(path: Path | str, max_bytes: int) -> bytes | None:
    """As read_regular_file, but None when nothing is at `path`: a settings file the user has
    not written. A symbolic link to nothing is no absence (a dotfile whose target is gone):
    its FileNotFoundError is raised, for file_problem to say so."""
    try:
        return read_regular_file(path, max_bytes)
    except FileNotFoundError:
        if os.path.islink(path):
            raise
        return None
