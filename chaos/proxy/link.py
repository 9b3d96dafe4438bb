"""One direction of a proxied connection: the fast path, or a pipeline of toxics.

With no toxic on its direction a link moves bytes from ``src`` to its ``Sink`` with
splice(2) (or one recv and one send where splice is missing), with no chunk objects
and no tasks. The first toxic puts a pipeline between the reads and the sink;
removing the last one drains the pipeline in order and returns to the fast path, all
between two reads, so bytes are never dropped or reordered. The link is also the
pipeline's outlet: the last stage puts chunks and end markers into it.
"""

from __future__ import annotations

import asyncio
import socket
from time import monotonic
from typing import TYPE_CHECKING

from chaos.proxy.pipeline import Channel, Stage
from chaos.proxy.pipes import PipePool
from chaos.proxy.sink import Sink
from chaos.proxy.toxics import CLOSE, EOF, Chunk, Item

if TYPE_CHECKING:
    from chaos.proxy.connection import Connection
    from chaos.proxy.model import Direction, ToxicSpec

READ_SIZE = 256 * 1024
PAUSE_DEST = 1
"""The sink holds more than it should (the destination is slow)."""
PAUSE_FULL = 2
"""The pipeline holds more than ``HIGH_WATER`` bytes (a slow toxic is backing up)."""
HIGH_WATER = 4 * 1024 * 1024
LOW_WATER = 1024 * 1024


class Link:
    """Bytes from ``src`` to ``sink`` through the toxics of one direction."""

    __slots__ = (
        "conn",
        "direction",
        "done",
        "ended",
        "head",
        "inflight",
        "labels",
        "loop",
        "paused",
        "reading",
        "rx",
        "sink",
        "splice",
        "src",
        "src_fd",
        "stages",
    )

    def __init__(
        self,
        conn: Connection,
        direction: Direction,
        src: socket.socket,
        dst: socket.socket,
        *,
        labels: tuple[str, str, str],
        pool: PipePool | None,
    ) -> None:
        self.conn = conn
        self.direction = direction
        self.loop = asyncio.get_running_loop()
        self.src = src
        self.src_fd = src.fileno()
        self.sink = Sink(self, dst, pool)
        self.splice = pool is not None
        self.labels = labels  # (direction, listen, upstream) for /metrics
        self.stages: list[Stage] = []
        self.head: Channel | None = None  # None: fast path
        self.rx = 0  # bytes read from src
        self.inflight = 0  # bytes inside the pipeline
        self.paused = 0
        self.reading = False
        self.done = False  # src said EOF or failed: read no more
        self.ended = False  # the EOF reached the destination

    @property
    def tx(self) -> int:
        return self.sink.tx

    # Reading.
    def start(self) -> None:
        self._read_on()

    def _readable(self) -> None:
        try:
            if self.head is None and self.splice:  # fast path: bytes never enter Python
                got: int | bytes = self.sink.splice_from(self.src_fd)
            else:
                got = self.src.recv(READ_SIZE)
        except BlockingIOError:
            return
        except OSError:
            self.conn.endpoint_lost(self.src)
            return
        if not got:
            self._src_done(EOF)
            return
        if isinstance(got, int):
            self.rx += got
        else:
            self._received(got)
        if self.sink.full:
            self.pause(PAUSE_DEST)

    def _received(self, data: bytes) -> None:
        self.rx += len(data)
        head = self.head
        if head is None:
            self.sink.write(data)
            return
        self.inflight += len(data)
        head.put(Chunk(data, monotonic()))
        if self.inflight > HIGH_WATER:
            self.pause(PAUSE_FULL)

    def lose_src(self) -> None:
        """The source socket failed: deliver what is in flight, then close."""
        if not self.done:
            self._src_done(CLOSE)

    def _src_done(self, marker: Item) -> None:
        self.done = True
        self._read_off()
        self.end(marker)

    def end(self, marker: Item) -> None:
        """Send an end marker behind the data already read."""
        if self.head is None:
            self.put(marker)
        else:
            self.head.put(marker)

    # Flow control.
    def pause(self, reason: int) -> None:
        self.paused |= reason
        self._read_off()

    def resume(self, reason: int) -> None:
        if self.paused & reason:
            self.paused &= ~reason
            self._read_on()

    def _read_on(self) -> None:
        if not self.reading and not self.paused and not self.done:
            self.reading = True
            self.loop.add_reader(self.src_fd, self._readable)

    def _read_off(self) -> None:
        if self.reading:
            self.reading = False
            self.loop.remove_reader(self.src_fd)

    # The outlet of the pipeline, and news from the sink.
    def put(self, item: Item) -> None:
        if isinstance(item, Chunk):
            size = len(item.data)
            self.sink.write(item.data)
            self.dropped(size)
            if self.sink.full:
                self.pause(PAUSE_DEST)
        elif item is EOF:
            self.sink.finish()
        elif item is CLOSE:
            self.conn.close()
        else:
            self.conn.reset()

    def dropped(self, size: int) -> None:
        self.inflight -= size
        if self.paused & PAUSE_FULL and self.inflight <= LOW_WATER:
            self.resume(PAUSE_FULL)

    def sink_progress(self) -> None:
        if self.paused & PAUSE_DEST and not self.sink.full:
            self.resume(PAUSE_DEST)
        if not self.sink.waiting:
            self.conn.sink_idle()

    def sink_ended(self) -> None:
        self.ended = True
        self.conn.link_ended(self)

    def sink_broken(self) -> None:
        self.conn.endpoint_lost(self.sink.sock)

    # Toxics, applied live.
    def add(self, spec: ToxicSpec) -> None:
        """Append a toxic at the end of the chain (it starts at once, toxicity rolled)."""
        stage = Stage(spec, self, on_drop=self.dropped, on_error=self._failed)
        if self.stages:
            self.stages[-1].output = stage.input
        else:
            self.sink.unsplice()  # bytes already read stay ahead of the pipeline's
            self.head = stage.input
        self.stages.append(stage)
        stage.start()

    async def update(self, spec: ToxicSpec) -> None:
        """Restart the toxic with new attributes; toxicity is rolled again."""
        stage = self._find(spec.name)
        if stage is None:
            return
        stage.spec = spec
        if stage.closed:
            return
        await stage.interrupt()
        if not self.stopped:
            stage.start()

    async def remove(self, spec: ToxicSpec) -> None:
        """Take the toxic out; what it held or queued moves on in order."""
        stage = self._find(spec.name)
        if stage is None:
            return
        await stage.interrupt()
        if self.stopped:
            return
        queued = stage.input.take_all()
        if stage.closed or spec.kind.closes_on_remove:
            if not stage.closed:
                stage.put(CLOSE)  # like the real server: removing a timeout ends the link
            for item in queued:
                if isinstance(item, Chunk):
                    self.dropped(len(item.data))
        else:
            for item in queued:
                stage.output.put(item)
        index = self.stages.index(stage)
        if index > 0:
            self.stages[index - 1].output = stage.output
        elif isinstance(stage.output, Channel):
            self.head = stage.output
        else:
            self.head = None  # back on the fast path
        del self.stages[index]

    @property
    def stopped(self) -> bool:
        return self.conn.closing

    def stop(self) -> None:
        """Read no more and cancel every stage (the connection is closing)."""
        self.done = True
        self._read_off()
        for stage in self.stages:
            stage.kill()

    def _find(self, name: str) -> Stage | None:
        for stage in self.stages:
            if stage.spec.name == name:
                return stage
        return None

    def _failed(self, exc: BaseException) -> None:
        self.conn.abort()
