"""Fixtures: an in-process ProxyServer on a free port, its API client, an echo server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
import uvloop
from toxic_peers import Address, Echo, create_proxy

from chaos.proxy import ProxyServer


@pytest.fixture
async def server() -> AsyncIterator[ProxyServer]:
    async with ProxyServer(port=0) as running:
        yield running


@pytest.fixture
async def api(server: ProxyServer) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"User-Agent": "toxiproxy-cli/test linux/amd64"}
    async with httpx.AsyncClient(base_url=server.url, headers=headers, trust_env=False) as client:
        yield client


@pytest.fixture
async def echo() -> AsyncIterator[Echo]:
    peer = await Echo().start()
    yield peer
    await peer.stop()


@pytest.fixture
async def proxy(api: httpx.AsyncClient, echo: Echo) -> Address:
    """A proxy named "echo" in front of the echo server; its listen address."""
    return await create_proxy(api, "echo", echo.upstream)


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> dict[str, Callable[[], asyncio.AbstractEventLoop]]:
    """Every test here on both loops: asyncio's (embedded use) and uvloop (the CLI's)."""
    return {"asyncio": asyncio.new_event_loop, "uvloop": uvloop.new_event_loop}
