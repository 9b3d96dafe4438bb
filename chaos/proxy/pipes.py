"""Kernel pipes for ``splice(2)``: the zero-copy fast path of a link with no toxics.

Bytes go socket -> pipe -> socket without entering Python, which roughly halves the
CPU a forwarded byte costs (measured in bench/proxy_bench.py). A pipe is only held
while it carries bytes the destination has not taken yet; idle pipes wait in a small
pool, so a thousand idle connections hold no pipes at all. Where ``os.splice`` does
not exist (not Linux) ``PipePool.create`` returns None and links copy through Python.
"""

from __future__ import annotations

import contextlib
import fcntl
import os

PIPE_SIZE = 1024 * 1024
"""Bytes a pipe may hold, if the kernel lets us grow it (else its default, 64 KiB)."""
IDLE_PIPES = 64
FLAGS = getattr(os, "SPLICE_F_MOVE", 1) | getattr(os, "SPLICE_F_NONBLOCK", 2)
_F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)
_F_GETPIPE_SZ = getattr(fcntl, "F_GETPIPE_SZ", 1032)


class Pipe:
    """Both ends of one non-blocking pipe and how many bytes it holds."""

    __slots__ = ("capacity", "held", "r", "w")

    def __init__(self) -> None:
        self.r, self.w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        with contextlib.suppress(OSError):
            fcntl.fcntl(self.w, _F_SETPIPE_SZ, PIPE_SIZE)
        try:
            self.capacity = int(fcntl.fcntl(self.w, _F_GETPIPE_SZ))
        except OSError:
            self.capacity = 64 * 1024
        self.held = 0

    def close(self) -> None:
        os.close(self.r)
        os.close(self.w)


class PipePool:
    """Hands out empty pipes and keeps up to ``IDLE_PIPES`` returned ones."""

    def __init__(self) -> None:
        self._idle: list[Pipe] = []
        self.open = 0

    @classmethod
    def create(cls) -> PipePool | None:
        """A pool, or None where splice(2) is not available."""
        return cls() if hasattr(os, "splice") else None

    def take(self) -> Pipe:
        if self._idle:
            return self._idle.pop()
        self.open += 1
        return Pipe()

    def give(self, pipe: Pipe) -> None:
        """Take a pipe back; one still holding bytes (a dropped connection) is closed."""
        if pipe.held == 0 and len(self._idle) < IDLE_PIPES:
            self._idle.append(pipe)
        else:
            self.open -= 1
            pipe.close()

    def close(self) -> None:
        """Close the idle pipes (the server is stopping)."""
        while self._idle:
            self.open -= 1
            self._idle.pop().close()
