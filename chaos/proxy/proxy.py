"""One proxy: a listener, its upstream address, its toxics and its open connections."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Iterable, Iterator
from typing import Any

from chaos.proxy import addresses
from chaos.proxy.connection import Connection
from chaos.proxy.errors import ProxyError
from chaos.proxy.link import Link
from chaos.proxy.model import Direction, ProxyInput, ToxicSpec
from chaos.proxy.pipes import PipePool

log = logging.getLogger("chaos.proxy")

MetricKey = tuple[str, str, str, str]  # direction, proxy, listener, upstream
ACCEPT_BATCH = 64
"""Clients accepted per wake-up of the listener."""
ACCEPT_BACKOFF = 0.1
"""Seconds the listener rests after accept() failed (e.g. no file descriptors left)."""


class Proxy:
    """A named TCP proxy; ``listen`` is the bound address while it is enabled."""

    def __init__(self, name: str, listen: str, upstream: str, *, pipes: PipePool | None) -> None:
        self.name = name
        self.listen = listen
        self.upstream = upstream
        self.enabled = False
        self.pipes = pipes
        self.connections: set[Connection] = set()
        self._toxics: dict[Direction, list[ToxicSpec]] = {d: [] for d in Direction}
        self._totals: dict[MetricKey, list[int]] = {}
        self._listener: socket.socket | None = None
        self._backoff: asyncio.TimerHandle | None = None
        self._dial: tuple[str, int] | None = None

    # Listener.
    async def start(self) -> None:
        """Bind ``listen`` and accept clients; raises a 500 ApiError if it cannot."""
        if self.enabled:
            return
        self._listener = addresses.bind(await addresses.resolve_listen(self.listen))
        self.listen = addresses.bound_address(self._listener)
        self.enabled = True
        asyncio.get_running_loop().add_reader(self._listener.fileno(), self._accept)
        log.info("proxy %s: listening on %s, upstream %s", self.name, self.listen, self.upstream)

    def stop(self) -> None:
        """Close the listener and every open connection."""
        if not self.enabled:
            return
        self.enabled = False
        self._close_listener()
        for conn in list(self.connections):
            conn.abort()
        log.info("proxy %s: stopped", self.name)

    def _accept(self) -> None:
        listener = self._listener
        assert listener is not None
        for _ in range(ACCEPT_BATCH):
            try:
                client, _ = listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # e.g. out of file descriptors: back off, then retry
                log.warning("proxy %s: accept failed: %s", self.name, exc)
                self._pause_accepting()
                return
            Connection(self, client).start()

    def _pause_accepting(self) -> None:
        loop = asyncio.get_running_loop()
        assert self._listener is not None
        loop.remove_reader(self._listener.fileno())
        self._backoff = loop.call_later(ACCEPT_BACKOFF, self._resume_accepting)

    def _resume_accepting(self) -> None:
        self._backoff = None
        if self._listener is not None:
            asyncio.get_running_loop().add_reader(self._listener.fileno(), self._accept)

    def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if self._backoff is not None:
            self._backoff.cancel()
            self._backoff = None
        elif listener is not None:
            asyncio.get_running_loop().remove_reader(listener.fileno())
        if listener is not None:
            listener.close()

    def dial_address(self) -> tuple[str, int]:
        if self._dial is None:
            self._dial = addresses.parse_upstream(self.upstream)
        return self._dial

    async def differs(self, listen: str, upstream: str) -> bool:
        """As the real server: the resolved ``listen`` or ``upstream`` is not the current one."""
        wanted = await addresses.resolve_listen(listen)
        return self.listen != str(wanted) or self.upstream != upstream

    async def same_as(self, listen: str, upstream: str) -> bool:
        """For /populate: like ``not differs``, but port 0 matches the port already bound."""
        wanted = await addresses.resolve_listen(listen)
        if wanted.port != 0:
            return not await self.differs(listen, upstream)
        try:
            current = await addresses.resolve_listen(self.listen)
        except ProxyError:
            return False
        return current.host == wanted.host and self.upstream == upstream

    async def update(self, wanted: ProxyInput) -> None:
        """Apply listen/upstream/enabled; a new address restarts the listener."""
        if await self.differs(wanted.listen, wanted.upstream):
            self.stop()
            self.listen, self.upstream, self._dial = wanted.listen, wanted.upstream, None
        if wanted.enabled and not self.enabled:
            await self.start()
        elif not wanted.enabled:
            self.stop()

    # Toxics.
    def chain(self, direction: Direction) -> list[ToxicSpec]:
        return self._toxics[direction]

    def toxics(self) -> list[ToxicSpec]:
        return self._toxics[Direction.UPSTREAM] + self._toxics[Direction.DOWNSTREAM]

    def find_toxic(self, name: str) -> ToxicSpec | None:
        return next((t for t in self.toxics() if t.name == name), None)

    def add_toxic(self, spec: ToxicSpec) -> None:
        self._toxics[spec.direction].append(spec)
        for link in self._links(spec.direction):
            link.add(spec)

    async def update_toxic(self, spec: ToxicSpec) -> None:
        chain = self._toxics[spec.direction]
        chain[[t.name for t in chain].index(spec.name)] = spec
        await asyncio.gather(*(link.update(spec) for link in self._links(spec.direction)))

    async def remove_toxic(self, spec: ToxicSpec) -> None:
        self._toxics[spec.direction].remove(spec)
        await asyncio.gather(*(link.remove(spec) for link in self._links(spec.direction)))

    async def reset_toxics(self) -> None:
        for direction in Direction:
            while self._toxics[direction]:
                await self.remove_toxic(self._toxics[direction][0])

    def _links(self, direction: Direction) -> list[Link]:
        links = (conn.link(direction) for conn in self.connections)
        return [link for link in links if link is not None]

    # Views.
    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "listen": self.listen,
            "upstream": self.upstream,
            "enabled": self.enabled,
            "toxics": [toxic.to_json() for toxic in self.toxics()],
        }

    def count(self, links: Iterable[Link]) -> None:
        """Fold the byte counts of a finished connection into the totals."""
        for link in links:
            total = self._totals.setdefault((self._key(link)), [0, 0])
            total[0] += link.rx
            total[1] += link.tx

    def byte_counts(self) -> Iterator[tuple[MetricKey, int, int]]:
        """(labels, received, sent) per direction, finished and open connections together."""
        totals = {key: list(value) for key, value in self._totals.items()}
        for conn in self.connections:
            for link in conn.links or ():
                total = totals.setdefault(self._key(link), [0, 0])
                total[0] += link.rx
                total[1] += link.tx
        for key, (received, sent) in sorted(totals.items()):
            yield key, received, sent

    def _key(self, link: Link) -> MetricKey:
        direction, listen, upstream = link.labels
        return (direction, self.name, listen, upstream)
