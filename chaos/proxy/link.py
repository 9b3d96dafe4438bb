"""One direction of a proxied connection: the fast path, or a pipeline of toxics.

With no toxic on its direction a link forwards each read straight into the other
socket's transport (``Endpoint.data_received`` inlines it). The first toxic puts a
pipeline in front of the destination; removing the last one drains the pipeline in
order and returns to the fast path, all between two reads, so bytes are never
dropped or reordered. The link is also the pipeline's sink: the last stage puts
chunks into it and it writes them out.
"""

from __future__ import annotations

import asyncio
from time import monotonic
from typing import TYPE_CHECKING

from chaos.proxy.pipeline import Channel, Stage
from chaos.proxy.toxics import CLOSE, Chunk, Item

if TYPE_CHECKING:
    from chaos.proxy.connection import Connection
    from chaos.proxy.model import Direction, ToxicSpec

PAUSE_DEST = 1
"""The destination's write buffer is above its high-water mark."""
PAUSE_FULL = 2
"""The pipeline holds more than ``HIGH_WATER`` bytes (a slow toxic is backing up)."""
HIGH_WATER = 4 * 1024 * 1024
LOW_WATER = 1024 * 1024


class Link:
    """Bytes from ``src`` to ``dst`` through the toxics of one direction."""

    __slots__ = (
        "conn",
        "direction",
        "dst",
        "ended",
        "head",
        "inflight",
        "labels",
        "paused",
        "rx",
        "src",
        "stages",
        "stopped",
        "tx",
    )

    def __init__(
        self,
        conn: Connection,
        direction: Direction,
        src: asyncio.Transport,
        dst: asyncio.Transport,
        labels: tuple[str, str, str],
    ) -> None:
        self.conn = conn
        self.direction = direction
        self.src = src
        self.dst = dst
        self.labels = labels  # (direction, listen, upstream) for /metrics
        self.stages: list[Stage] = []
        self.head: Channel | None = None  # None: fast path
        self.rx = 0  # bytes read from src
        self.tx = 0  # bytes handed to dst
        self.inflight = 0  # bytes inside the pipeline
        self.paused = 0
        self.ended = False  # an end marker reached the sink
        self.stopped = False

    # Data in (pipeline path; the fast path is inlined in Endpoint.data_received).
    def feed(self, data: bytes) -> None:
        self.rx += len(data)
        head = self.head
        if head is None:
            self.tx += len(data)
            self.dst.write(data)
            return
        self.inflight += len(data)
        head.put(Chunk(data, monotonic()))
        if self.inflight > HIGH_WATER:
            self.pause(PAUSE_FULL)

    def end(self, marker: Item) -> None:
        """The source ended (EOF) or vanished (CLOSE): send the marker behind the data."""
        if self.head is None:
            self.conn.on_marker(self, marker)
        else:
            self.head.put(marker)

    # Data out: the sink at the end of the pipeline.
    def put(self, item: Item) -> None:
        if isinstance(item, Chunk):
            size = len(item.data)
            if not self.dst.is_closing():
                self.tx += size
                self.dst.write(item.data)
            self.dropped(size)
        else:
            self.conn.on_marker(self, item)

    def dropped(self, size: int) -> None:
        self.inflight -= size
        if self.paused & PAUSE_FULL and self.inflight <= LOW_WATER:
            self.resume(PAUSE_FULL)

    # Flow control.
    def pause(self, reason: int) -> None:
        if not self.paused:
            self.src.pause_reading()
        self.paused |= reason

    def resume(self, reason: int) -> None:
        if self.paused & reason:
            self.paused &= ~reason
            if not self.paused and not self.src.is_closing():
                self.src.resume_reading()

    # Toxics, applied live.
    def add(self, spec: ToxicSpec) -> None:
        """Append a toxic at the end of the chain (it starts at once, toxicity rolled)."""
        stage = Stage(spec, self, on_drop=self.dropped, on_error=self._failed)
        if self.stages:
            self.stages[-1].output = stage.input
        else:
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

    def stop(self) -> None:
        """Cancel every stage (the connection is closing)."""
        self.stopped = True
        for stage in self.stages:
            stage.kill()

    def _find(self, name: str) -> Stage | None:
        for stage in self.stages:
            if stage.spec.name == name:
                return stage
        return None

    def _failed(self, exc: BaseException) -> None:
        self.conn.abort()
