"""The set of proxies a server runs, and the API operations on it.

Every change runs under one lock, so a toxic being removed from a thousand open
connections and a proxy being restarted never interleave.
"""

from __future__ import annotations

import asyncio

from chaos.proxy.errors import ApiError, proxy_exists, proxy_not_found, toxic_not_found
from chaos.proxy.model import ProxyInput, ToxicSpec
from chaos.proxy.pipes import PipePool
from chaos.proxy.proxy import Proxy


class ProxyCollection:
    """Proxies by name, in creation order."""

    def __init__(self) -> None:
        self.proxies: dict[str, Proxy] = {}
        self.lock = asyncio.Lock()
        self.pipes = PipePool.create()

    def get(self, name: str) -> Proxy:
        try:
            return self.proxies[name]
        except KeyError:
            raise proxy_not_found() from None

    def toxic(self, proxy: Proxy, name: str) -> ToxicSpec:
        spec = proxy.find_toxic(name)
        if spec is None:
            raise toxic_not_found()
        return spec

    async def add(self, wanted: ProxyInput) -> Proxy:
        """Create a proxy; a listen failure leaves nothing behind (500)."""
        if wanted.name in self.proxies:
            raise proxy_exists()
        proxy = Proxy(wanted.name, wanted.listen, wanted.upstream, pipes=self.pipes)
        if wanted.enabled:
            await proxy.start()
        self.proxies[wanted.name] = proxy
        return proxy

    async def add_or_replace(self, wanted: ProxyInput) -> Proxy:
        """Keep an identical proxy untouched (toxics and all); replace a different one."""
        existing = self.proxies.get(wanted.name)
        if existing is not None:
            if await existing.same_as(wanted.listen, wanted.upstream):
                return existing
            existing.stop()
        proxy = Proxy(wanted.name, wanted.listen, wanted.upstream, pipes=self.pipes)
        if wanted.enabled:
            await proxy.start()
        self.proxies[wanted.name] = proxy
        return proxy

    async def populate(self, entries: list[ProxyInput]) -> tuple[list[Proxy], ApiError | None]:
        """Create or keep each entry in order; stop at the first failure."""
        done: list[Proxy] = []
        for wanted in entries:
            try:
                done.append(await self.add_or_replace(wanted))
            except ApiError as exc:
                return done, exc
        return done, None

    async def remove(self, name: str) -> None:
        proxy = self.get(name)
        proxy.stop()
        del self.proxies[name]

    async def reset(self) -> None:
        """Enable every proxy and remove every toxic; proxies themselves stay."""
        for proxy in list(self.proxies.values()):
            await proxy.start()
            await proxy.reset_toxics()

    def clear(self) -> None:
        """Stop and forget every proxy (listeners and connections close at once)."""
        proxies = list(self.proxies.values())
        self.proxies.clear()
        for proxy in proxies:
            proxy.stop()
        if self.pipes is not None:
            self.pipes.close()
