"""The chunk pipeline a link pays for while a toxic is present on it.

Each toxic on a link runs as one ``Stage``: a task that reads a ``Channel`` and puts
items into the next stage's channel or into the link's sink. A stage is interrupted
by cancelling its task; the toxic flushes what it holds, so the stage can be
restarted (update: new attributes, toxicity rolled again) or taken out (remove: what
is still queued moves on in order) without losing or reordering bytes.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol

from chaos.proxy.toxics import RNG, Item, Marker, passthrough

if TYPE_CHECKING:
    from chaos.proxy.model import ToxicSpec

log = logging.getLogger("chaos.proxy")


class Outlet(Protocol):
    def put(self, item: Item) -> None: ...


class Channel:
    """An unbounded FIFO between two stages; the link bounds it by bytes in flight."""

    __slots__ = ("_items", "_waiter")

    def __init__(self) -> None:
        self._items: deque[Item] = deque()
        self._waiter: asyncio.Future[None] | None = None

    def __len__(self) -> int:
        return len(self._items)

    def put(self, item: Item) -> None:
        self._items.append(item)
        self._wake()

    def put_front(self, item: Item) -> None:
        self._items.appendleft(item)
        self._wake()

    def take_all(self) -> list[Item]:
        items = list(self._items)
        self._items.clear()
        return items

    async def get(self) -> Item:
        while not self._items:
            waiter = asyncio.get_running_loop().create_future()
            self._waiter = waiter
            try:
                await waiter
            finally:
                self._waiter = None
        return self._items.popleft()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)


class Stage:
    """One toxic running on one link (the real server's "stub")."""

    __slots__ = ("_on_drop", "_on_error", "closed", "input", "output", "spec", "state", "task")

    def __init__(
        self,
        spec: ToxicSpec,
        output: Outlet,
        *,
        on_drop: Callable[[int], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        self.spec = spec
        self.input = Channel()
        self.output = output
        self.state: dict[str, int] = {}  # per link; survives restarts (limit_data's count)
        self.closed = False  # an end marker went downstream: nothing more to run
        self.task: asyncio.Task[None] | None = None
        self._on_drop = on_drop
        self._on_error = on_error

    @property
    def attrs(self) -> Mapping[str, int]:
        return self.spec.attributes

    def start(self) -> None:
        """Run the toxic, or pass data through if this link loses the toxicity roll."""
        if self.closed:
            return
        run = self.spec.kind.run if RNG.random() < self.spec.toxicity else passthrough
        self.task = asyncio.get_running_loop().create_task(
            run(self), name=f"toxic {self.spec.name}"
        )
        self.task.add_done_callback(self._done)

    async def interrupt(self) -> None:
        """Stop the running toxic and wait until it has flushed what it held."""
        task, self.task = self.task, None
        if task is not None and not task.done():
            task.cancel()
            await asyncio.wait({task})

    def kill(self) -> None:
        """Stop without waiting (the connection is going away)."""
        self.closed = True
        if self.task is not None:
            self.task.cancel()
            self.task = None

    def _done(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.error("toxic %s failed: %r", self.spec.name, exc)
            self._on_error(exc)

    # The Stub interface the toxics run on.
    async def get(self) -> Item:
        return await self.input.get()

    def unget(self, item: Item) -> None:
        self.input.put_front(item)

    def put(self, item: Item) -> None:
        if isinstance(item, Marker):
            self.closed = True
        self.output.put(item)

    def drop(self, nbytes: int) -> None:
        self._on_drop(nbytes)
