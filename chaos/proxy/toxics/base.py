"""What every toxic shares: chunks, end markers, the stub a toxic runs on, the registry.

A toxic is an ``async`` function that reads items from its stub, does its harm and puts
items downstream, like one Go "ToxicStub" goroutine of the real server. The pipeline
(``chaos.proxy.pipeline``) interrupts a running toxic by cancelling its task; a toxic
that holds a chunk while it waits must put it downstream before the cancellation
propagates, so that no data is dropped (only ``timeout`` discards, by design).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any, Protocol


class Chunk:
    """Bytes read from a socket, stamped with the monotonic time they were read."""

    __slots__ = ("data", "ts")

    def __init__(self, data: bytes | memoryview, ts: float) -> None:
        self.data = data
        self.ts = ts


class Marker:
    """An end-of-stream signal that travels in order behind the data before it."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


EOF = Marker("eof")
"""The source half-closed: flush, then half-close the destination."""
CLOSE = Marker("close")
"""A toxic (or a lost peer) ended the link: flush, then close the whole connection."""
RESET = Marker("reset")
"""``reset_peer`` fired: close both sockets with SO_LINGER 0 (TCP RST)."""

Item = Chunk | Marker

RNG = random.Random()
"""Randomness for jitter, toxicity and slicing; ``--seed`` seeds it."""


class Stub(Protocol):
    """The view of one link that a toxic runs on."""

    @property
    def attrs(self) -> Mapping[str, int]: ...

    @property
    def state(self) -> dict[str, int]: ...

    async def get(self) -> Item: ...

    def unget(self, item: Item) -> None: ...

    def put(self, item: Item) -> None: ...

    def drop(self, nbytes: int) -> None: ...


ToxicRun = Callable[[Stub], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class ToxicType:
    """A registered toxic: its API name, attribute names (JSON order) and behaviour."""

    name: str
    struct: str
    fields: tuple[str, ...]
    run: ToxicRun
    closes_on_remove: bool = False


REGISTRY: dict[str, ToxicType] = {}


def toxic(
    name: str, struct: str, fields: tuple[str, ...] = (), *, closes_on_remove: bool = False
) -> Callable[[ToxicRun], ToxicRun]:
    """Register ``run`` as the behaviour of toxic type ``name``."""

    def register(run: ToxicRun) -> ToxicRun:
        REGISTRY[name] = ToxicType(name, struct, fields, run, closes_on_remove)
        return run

    return register


async def passthrough(stub: Stub) -> None:
    """Forward everything unchanged (the ``noop`` toxic, and any toxic that lost its roll)."""
    while True:
        item = await stub.get()
        stub.put(item)
        if isinstance(item, Marker):
            return
