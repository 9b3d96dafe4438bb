"""1,000 concurrent connections through one proxy, opened and closed repeatedly: every
message comes back, and afterwards no socket, pipe or task is left behind (counted)."""

from __future__ import annotations

import asyncio
import os
import resource
from collections import Counter

import httpx
import pytest
from toxic_peers import Echo, create_proxy, dial, recv_exactly, send

from chaos.proxy import ProxyServer
from tests.helpers import wait_until_async

pytestmark = pytest.mark.integration

CONNECTIONS = 1000
ROUNDS = 3


def open_fds() -> Counter[str]:
    """This process's open file descriptors by kind: socket, pipe, other."""
    kinds: Counter[str] = Counter()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue  # the listing's own descriptor, already closed
        kinds[target.split(":", 1)[0] if ":" in target else "other"] += 1
    return kinds


@pytest.fixture(autouse=True)
def enough_file_descriptors() -> None:
    """Clients, proxy and echo sides: about 4 descriptors per connection."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = CONNECTIONS * 5 + 256
    if soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            pytest.skip(f"needs {needed} open files, the hard limit is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


async def one_client(address: tuple[str, int], number: int) -> None:
    sock = await dial(address)
    with sock:
        message = b"client %04d\n" % number
        await send(sock, message)
        assert await recv_exactly(sock, len(message), timeout=30) == message


async def test_thousand_connections_leave_nothing_behind(
    server: ProxyServer, api: httpx.AsyncClient, echo: Echo
) -> None:
    address = await create_proxy(api, "echo", echo.upstream)
    proxy = server.collection.get("echo")
    before_fds, before_tasks = open_fds(), len(asyncio.all_tasks())
    for _ in range(ROUNDS):
        await asyncio.gather(*(one_client(address, n) for n in range(CONNECTIONS)))

    async def all_closed() -> bool:
        return not proxy.connections and echo.open == 0

    await wait_until_async(all_closed, timeout=30, what="every proxied connection to close")
    after = open_fds()
    # At most as many as before: a leak only adds. (The API client's idle keep-alive
    # connection may be closed by the API's 15 s read timeout while a slow machine runs
    # the rounds, taking its two sockets and its server task with it.)
    assert after["socket"] <= before_fds["socket"]
    pipes = server.collection.pipes
    assert after["pipe"] == before_fds["pipe"] + 2 * (pipes.open if pipes else 0)
    assert (pipes.open if pipes else 0) <= 64  # only the pool's idle pipes stay open
    assert len(asyncio.all_tasks()) <= before_tasks
    sent = sum(total for _, total, _ in proxy.byte_counts())
    assert sent == 2 * ROUNDS * CONNECTIONS * len(b"client 0000\n")
