"""The writing end of a link: bytes into the destination socket, in the order they came.

Two kinds of bytes wait here when the destination cannot take them at once: a queue
of chunks (from the toxic pipeline, or copied through Python) and a kernel pipe (the
splice fast path). The queue always holds older bytes than the pipe: a link moves the
pipe's bytes to the queue before it starts a pipeline, so the queue drains first.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections import deque
from typing import TYPE_CHECKING

from chaos.proxy.pipes import FLAGS, Pipe, PipePool

if TYPE_CHECKING:
    from chaos.proxy.link import Link

HIGH_WATER = 1024 * 1024
"""Queued bytes at which the link stops reading its source until the queue drains."""


class Sink:
    """Writes one direction's bytes into ``sock`` (non-blocking), then maybe an EOF."""

    __slots__ = (
        "broken",
        "eof",
        "fd",
        "link",
        "loop",
        "pipe",
        "pool",
        "queue",
        "queued",
        "sock",
        "tx",
        "waiting",
    )

    def __init__(self, link: Link, sock: socket.socket, pool: PipePool | None) -> None:
        self.link = link
        self.loop = asyncio.get_running_loop()
        self.sock = sock
        self.fd = sock.fileno()
        self.pool = pool
        self.pipe: Pipe | None = None
        self.queue: deque[bytes | memoryview] = deque()
        self.queued = 0  # bytes in ``queue``
        self.tx = 0  # bytes the socket took
        self.eof = False  # write an EOF once everything is out
        self.waiting = False  # registered for "writable"
        self.broken = False  # the socket failed: everything is dropped

    @property
    def backlog(self) -> int:
        """Bytes accepted but not yet taken by the socket."""
        return self.queued + (self.pipe.held if self.pipe is not None else 0)

    @property
    def full(self) -> bool:
        """True when the link should stop reading until the destination catches up."""
        pipe = self.pipe
        return self.queued >= HIGH_WATER or (pipe is not None and pipe.held >= pipe.capacity)

    # Bytes in.
    def write(self, data: bytes | memoryview) -> None:
        if self.broken:
            return
        if self.waiting:  # older bytes are waiting: queue behind them
            self.queue.append(data)
            self.queued += len(data)
            return
        try:
            sent = self.sock.send(data)
        except BlockingIOError:
            sent = 0
        except OSError:
            self._break()
            return
        self.tx += sent
        if sent < len(data):
            rest = memoryview(data)[sent:]
            self.queue.append(rest)
            self.queued += len(rest)
            self._wait()

    def splice_from(self, src: int) -> int:
        """Move what ``src`` holds through the pipe into the socket; 0 means EOF.

        Raises BlockingIOError if ``src`` had nothing, OSError if reading it failed.
        """
        pipe = self.pipe
        if pipe is None:
            assert self.pool is not None
            pipe = self.pipe = self.pool.take()
        try:
            moved = os.splice(src, pipe.w, pipe.capacity - pipe.held, flags=FLAGS)
        except OSError:
            if not pipe.held:
                self._release_pipe()
            raise
        pipe.held += moved
        if not self.waiting:
            self._flush_pipe(pipe)
        return moved

    def unsplice(self) -> None:
        """Move the pipe's bytes to the end of the queue (a pipeline is starting)."""
        pipe = self.pipe
        if pipe is None:
            return
        while pipe.held:
            data = os.read(pipe.r, pipe.held)
            pipe.held -= len(data)
            self.queue.append(data)
            self.queued += len(data)
        self._release_pipe()
        if self.queued:
            self._wait()

    def finish(self) -> None:
        """Half-close the socket once every byte before this call is out."""
        self.eof = True
        if not self.waiting:
            self._write_eof()

    def discard(self) -> None:
        """Forget everything (the connection is going away); the caller closes the socket."""
        if self.waiting:
            self.loop.remove_writer(self.fd)
            self.waiting = False
        self.queue.clear()
        self.queued = 0
        if self.pipe is not None:
            self._release_pipe()

    # Bytes out.
    def _flush(self) -> None:
        """The socket is writable: send the queue, then the pipe."""
        queue = self.queue
        try:
            while queue:
                data = queue[0]
                sent = self.sock.send(data)
                self.tx += sent
                self.queued -= sent
                if sent < len(data):
                    queue[0] = memoryview(data)[sent:]
                    self.link.sink_progress()
                    return
                queue.popleft()
        except BlockingIOError:
            return
        except OSError:
            self._break()
            return
        pipe = self.pipe
        if pipe is not None and not self._flush_pipe(pipe):
            self.link.sink_progress()
            return
        self.loop.remove_writer(self.fd)
        self.waiting = False
        if self.eof:
            self._write_eof()
        self.link.sink_progress()

    def _flush_pipe(self, pipe: Pipe) -> bool:
        """Splice the pipe into the socket; True once it is empty (and released)."""
        try:
            while pipe.held:
                moved = os.splice(pipe.r, self.fd, pipe.held, flags=FLAGS)
                if not moved:
                    break
                pipe.held -= moved
                self.tx += moved
        except BlockingIOError:
            pass
        except OSError:
            self._break()
            return False
        if pipe.held:
            self._wait()
            return False
        self._release_pipe()
        return True

    def _write_eof(self) -> None:
        self.eof = False
        try:
            self.sock.shutdown(socket.SHUT_WR)
        except OSError:
            self._break()
            return
        self.link.sink_ended()

    def _wait(self) -> None:
        if not self.waiting and not self.broken:
            self.waiting = True
            self.loop.add_writer(self.fd, self._flush)

    def _release_pipe(self) -> None:
        pipe, self.pipe = self.pipe, None
        if pipe is not None and self.pool is not None:
            self.pool.give(pipe)

    def _break(self) -> None:
        self.broken = True
        self.discard()
        self.link.sink_broken()
