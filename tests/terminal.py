"""A program on a real pseudo-terminal, its screen kept by a VT100 emulator (pyte).

Used by the end-to-end test and by the benchmarks, which time the real program this way.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import termios
import time
from collections.abc import Callable

import pyte

COLUMNS, LINES = 100, 30


class Terminal:
    """A child process on a pty, its output kept on a VT100 screen."""

    def __init__(self, argv: list[str], columns: int = COLUMNS, lines: int = LINES) -> None:
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)
        pid, fd = pty.fork()
        if pid == 0:  # the child: size its terminal, then become the program
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
            env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL_SCREENSHOT")}
            env.update(TERM="xterm-256color", COLUMNS=str(columns), LINES=str(lines))
            os.execvpe(argv[0], argv, env)
        self.pid, self.fd = pid, fd

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def read(self, seconds: float) -> bytes:
        ready, _, _ = select.select([self.fd], [], [], seconds)
        if not ready:
            return b""
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # the child closed the pty
            return b""
        self.stream.feed(data)
        return data

    def wait_for(self, condition: Callable[[str], bool], timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition(self.text()):
                return True
            self.read(0.1)
        return condition(self.text())

    def send(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def press(
        self, keys: str, shown: Callable[[str], bool], timeout: float = 5
    ) -> tuple[float, float]:
        """Send `keys`; seconds until the output that made `shown` hold was written, and parsed.

        The first is the program's latency. The second adds this emulator's parsing: pyte
        takes 4-9 ms over a frame that a real terminal parses in microseconds. So all output
        available is read and its time taken before any of it is parsed.
        """
        start = time.perf_counter()
        self.send(keys)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not select.select([self.fd], [], [], 0.1)[0]:
                continue
            chunks = []
            while select.select([self.fd], [], [], 0)[0]:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:  # the child closed the pty
                    break
                if not data:
                    break
                chunks.append(data)
            written = time.perf_counter()
            for data in chunks:
                self.stream.feed(data)
            if shown(self.text()):
                return written - start, time.perf_counter() - start
        raise TimeoutError(f"not shown within {timeout} s after {keys!r}:\n{self.text()}")

    def wait_exit(self, timeout: float = 15) -> int | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.read(0.05)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, 9)
        return None
