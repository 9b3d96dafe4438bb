"""Connections through a proxy (proxy_test.go, link_test.go): messages big and small,
half-closes, upstream failures, toxics changing under traffic without losing a byte,
and a disabled proxy closing its listener and every open connection."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct

import httpx
import pytest
from toxic_peers import (
    Echo,
    add_toxic,
    create_proxy,
    dial,
    recv_all,
    recv_exactly,
    round_trip,
    send,
)

from chaos.proxy import ProxyServer
from chaos.proxy.link import HIGH_WATER as LINK_HIGH
from chaos.proxy.link import Link
from chaos.proxy.pipes import PIPE_SIZE
from chaos.proxy.sink import HIGH_WATER
from tests.helpers import free_port, wait_until_async

pytestmark = pytest.mark.integration


async def test_simple_big_and_two_part_messages(proxy: tuple[str, int]) -> None:
    sock = await dial(proxy)
    with sock:
        await round_trip(sock, b"hello world")
        await round_trip(sock, bytes(range(256)) * 16 * 1024)  # 4 MiB
        await send(sock, b"hello ")
        await send(sock, b"world")
        assert await recv_exactly(sock, 11) == b"hello world"


async def test_half_close_reaches_the_server_and_the_answer_comes_back(
    api: httpx.AsyncClient,
) -> None:
    async def answer_at_eof(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        data = await reader.read()  # until the client's EOF
        writer.write(b"got %d" % len(data))
        await writer.drain()

    server = await Echo().start(answer_at_eof)
    try:
        sock = await dial(await create_proxy(api, "eof", server.upstream))
        with sock:
            await send(sock, b"x" * 1000)
            sock.shutdown(socket.SHUT_WR)
            assert await recv_all(sock) == b"got 1000"
    finally:
        await server.stop()


async def test_upstream_down_closes_the_client(api: httpx.AsyncClient) -> None:
    address = await create_proxy(api, "nowhere", f"127.0.0.1:{free_port()}")
    sock = await dial(address)
    with sock:
        assert await recv_all(sock) == b""


async def test_disabling_closes_listener_and_open_connections(
    api: httpx.AsyncClient, proxy: tuple[str, int], echo: Echo
) -> None:
    sock = await dial(proxy)
    with sock:
        await round_trip(sock, b"ping")
        await api.patch("/proxies/echo", json={"enabled": False})
        with contextlib.suppress(ConnectionResetError):  # a FIN or a RST: closed either way
            assert await recv_all(sock) == b""
    with pytest.raises(ConnectionRefusedError):
        await dial(proxy)

    async def upstream_closed() -> bool:
        return echo.open == 0

    await wait_until_async(upstream_closed, timeout=5, what="the upstream connection to close")
    await api.patch("/proxies/echo", json={"enabled": True})
    sock = await dial(proxy)
    with sock:
        await round_trip(sock, b"back")


async def test_changing_upstream_drops_connections(
    api: httpx.AsyncClient, proxy: tuple[str, int], echo: Echo
) -> None:
    other = await Echo().start()
    try:
        sock = await dial(proxy)
        with sock:
            await round_trip(sock, b"ping")
            await api.post("/proxies/echo", json={"upstream": other.upstream})
            assert await recv_all(sock) == b""
        sock = await dial(proxy)  # same listen address, new upstream
        with sock:
            await round_trip(sock, b"ping")
        assert other.open == 1
    finally:
        await other.stop()


async def test_no_data_dropped_while_toxics_come_and_go(
    api: httpx.AsyncClient, proxy: tuple[str, int]
) -> None:
    """TestNoDataDropped over TCP: 65535 counters, toxics added and removed meanwhile."""
    payload = b"".join(struct.pack("!H", i) for i in range(65535))
    sock = await dial(proxy)
    with sock:

        async def writer() -> None:
            for start in range(0, len(payload), 1000):
                await send(sock, payload[start : start + 1000])
                await asyncio.sleep(0)  # interleave the writes with the toxic changes

        async def churn() -> None:
            for _ in range(40):
                await add_toxic(api, "echo", "latency", "upstream", latency=5)
                await add_toxic(api, "echo", "slicer", average_size=64, delay=10)
                await add_toxic(api, "echo", "bandwidth", rate=100_000)
                for name in ("latency_upstream", "slicer_downstream", "bandwidth_downstream"):
                    response = await api.delete(f"/proxies/echo/toxics/{name}")
                    assert response.status_code == 204

        reading = asyncio.ensure_future(recv_exactly(sock, len(payload), timeout=30))
        await asyncio.gather(writer(), churn())
        assert await reading == payload


@pytest.mark.parametrize("toxic", [None, "latency"])
async def test_a_slow_reader_pauses_the_source_instead_of_buffering(
    api: httpx.AsyncClient, server: ProxyServer, toxic: str | None
) -> None:
    """Back-pressure: with the server not reading, the proxy holds a bounded amount."""
    go = asyncio.Event()
    received = bytearray()

    async def read_later(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await go.wait()
        while data := await reader.read(1 << 20):
            received.extend(data)

    slow = await Echo().start(read_later)
    try:
        address = await create_proxy(api, "slow", slow.upstream)
        if toxic:
            await add_toxic(api, "slow", toxic, "upstream", latency=1)
        payload = bytes(range(256)) * 4096 * 32  # 32 MiB
        sock = await dial(address)
        with sock:
            sending = asyncio.ensure_future(send(sock, payload))
            link = await wait_until_async(
                lambda: _paused_link(server), timeout=10, what="the proxy to stop reading"
            )
            assert link.sink.backlog + link.inflight <= HIGH_WATER + PIPE_SIZE + LINK_HIGH
            go.set()
            await asyncio.wait_for(sending, 30)
            sock.shutdown(socket.SHUT_WR)

            async def all_there() -> bool:
                return len(received) == len(payload)

            await wait_until_async(all_there, timeout=30, what="every byte to arrive")
        assert received == payload
    finally:
        await slow.stop()


async def _paused_link(server: ProxyServer) -> Link | None:
    for conn in server.collection.get("slow").connections:
        if conn.links and conn.links[0].paused:
            return conn.links[0]
    return None
