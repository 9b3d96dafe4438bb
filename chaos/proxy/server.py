"""``ProxyServer``: the fault proxy and its admin API on one asyncio loop.

Embed it in a running loop::

    async with ProxyServer(port=0) as server:   # or: url = await server.start()
        await server.populate([{"name": "db", "listen": "", "upstream": "127.0.0.1:5432"}])
        ...  # clients use server.url (http://127.0.0.1:PORT)
    # or: await server.stop()

or run it as a process with ``python -m chaos.proxy`` (see ``chaos.proxy.process``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from types import TracebackType
from typing import Any, TypeVar

from chaos.proxy import addresses, jsonio, model
from chaos.proxy.api import Api
from chaos.proxy.collection import ProxyCollection
from chaos.proxy.errors import ConfigError
from chaos.proxy.http import HttpServer

log = logging.getLogger("chaos.proxy")

VERSION = "2.12.0+chaos"
"""The Toxiproxy API release this server follows, tagged as this implementation."""
DEFAULT_PORT = 8474


class ProxyServer:
    """A Toxiproxy-compatible server: proxies with toxics plus the HTTP API."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        token: str | None = None,
        allow_remote: bool = False,
        version: str = VERSION,
    ) -> None:
        if not allow_remote and not addresses.is_loopback(host):
            raise ConfigError(
                f"refusing to serve the API on {host!r}: it has no authentication and "
                "anyone who reaches it can cut every link; use a loopback address "
                "(127.0.0.1) or allow it explicitly (allow_remote=True, --allow-remote)"
            )
        self.host = host
        self.port = port
        self.collection = ProxyCollection()
        self.api = Api(self.collection, version=version, token=token or None)
        self._http = HttpServer(self.api.handle)
        self._address: tuple[str, int] | None = None

    @property
    def api_port(self) -> int:
        """The port the API listens on (the bound one when started with port 0)."""
        if self._address is None:
            raise RuntimeError("ProxyServer is not started")
        return self._address[1]

    @property
    def url(self) -> str:
        if self._address is None:
            raise RuntimeError("ProxyServer is not started")
        return f"http://{addresses.join_host_port(self._address[0], self._address[1])}"

    async def start(self) -> str:
        """Serve the API; returns its URL (``http://127.0.0.1:PORT``)."""
        try:
            self._address = await self._http.start(self.host, self.port)
        except OSError as exc:
            where = addresses.join_host_port(self.host, self.port)
            raise ConfigError(f"cannot serve the API on {where}: {exc.strerror or exc}") from None
        log.info("API listening on %s", self.url)
        return self.url

    async def stop(self) -> None:
        """Stop the API, then every proxy (listeners and open connections)."""
        await self._http.stop()
        async with self.collection.lock:
            self.collection.clear()
        self._address = None

    async def populate(self, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Create or keep proxies like ``POST /populate``; raises the first ApiError."""
        wanted = model.parse_populate(jsonio.dumps(entries))
        async with self.collection.lock:
            created, error = await self.collection.populate(wanted)
        if error is not None:
            raise error
        return [proxy.to_json() for proxy in created]

    async def __aenter__(self) -> ProxyServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


T = TypeVar("T")


def run_loop(main: Coroutine[Any, Any, T]) -> T:
    """Run ``main`` on a new event loop: uvloop's when installed (faster), else asyncio's."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is optional
        return asyncio.run(main)
    return uvloop.run(main)
