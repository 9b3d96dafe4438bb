"""Real TCP peers for the fault-proxy tests: an echo server and non-blocking clients.

Everything runs on the test's event loop next to the in-process ``ProxyServer``, on
real loopback sockets. Reads take a deadline, so a test that expects bytes and gets
none fails after a bounded wait instead of hanging.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

Address = tuple[str, int]
WAIT = 5.0
"""Seconds a read may take before the test fails (bytes that should arrive did not)."""


@dataclass
class Echo:
    """An echo server; ``handler`` may replace echoing (gets the reader and writer)."""

    server: asyncio.Server | None = None
    address: Address = ("127.0.0.1", 0)
    open: int = 0
    writers: set[asyncio.StreamWriter] = field(default_factory=set)

    async def start(
        self,
        handler: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
        | None = None,
    ) -> Echo:
        serve = handler or echo_back

        async def on_client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.open += 1
            self.writers.add(writer)
            try:
                await serve(reader, writer)
            except (ConnectionError, asyncio.IncompleteReadError):
                pass
            finally:
                self.open -= 1
                self.writers.discard(writer)
                writer.close()

        self.server = await asyncio.start_server(on_client, "127.0.0.1", 0, backlog=4096)
        self.address = self.server.sockets[0].getsockname()[:2]
        return self

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in list(self.writers):
            writer.close()
        await self.server.wait_closed()

    @property
    def upstream(self) -> str:
        return f"{self.address[0]}:{self.address[1]}"


async def echo_back(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()


def split(listen: str) -> Address:
    host, port = listen.rsplit(":", 1)
    return host.strip("[]"), int(port)


async def create_proxy(
    api: httpx.AsyncClient, name: str, upstream: str, *, listen: str = "127.0.0.1:0"
) -> Address:
    """Create a proxy through the API; returns the address it listens on."""
    response = await api.post(
        "/proxies", json={"name": name, "listen": listen, "upstream": upstream}
    )
    assert response.status_code == 201, response.text
    return split(response.json()["listen"])


async def add_toxic(
    api: httpx.AsyncClient, proxy: str, toxic_type: str, stream: str = "downstream", **attrs: int
) -> dict[str, object]:
    body = {"type": toxic_type, "stream": stream, "attributes": attrs}
    response = await api.post(f"/proxies/{proxy}/toxics", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


async def dial(address: Address) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        await asyncio.get_running_loop().sock_connect(sock, address)
    except BaseException:
        sock.close()
        raise
    return sock


async def send(sock: socket.socket, data: bytes) -> None:
    await asyncio.get_running_loop().sock_sendall(sock, data)


async def recv_exactly(sock: socket.socket, size: int, *, timeout: float = WAIT) -> bytes:
    """Exactly ``size`` bytes, or AssertionError saying how many came before EOF/deadline."""
    loop = asyncio.get_running_loop()
    data = bytearray()
    deadline = time.monotonic() + timeout
    while len(data) < size:
        left = deadline - time.monotonic()
        try:
            chunk = await asyncio.wait_for(loop.sock_recv(sock, size - len(data)), max(left, 0))
        except TimeoutError:
            raise AssertionError(f"got {len(data)} of {size} bytes in {timeout}s") from None
        if not chunk:
            raise AssertionError(f"connection closed after {len(data)} of {size} bytes")
        data += chunk
    return bytes(data)


async def recv_all(sock: socket.socket, *, timeout: float = WAIT) -> bytes:
    """Everything until EOF; AssertionError if the connection is still open at the deadline."""
    loop = asyncio.get_running_loop()
    data = bytearray()
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        try:
            chunk = await asyncio.wait_for(loop.sock_recv(sock, 65536), max(left, 0))
        except TimeoutError:
            raise AssertionError(f"still open after {timeout}s ({len(data)} bytes)") from None
        if not chunk:
            return bytes(data)
        data += chunk


async def still_open(sock: socket.socket, *, for_seconds: float) -> bool:
    """True if nothing (no byte, no EOF) arrives for ``for_seconds``: a black hole."""
    try:
        await asyncio.wait_for(asyncio.get_running_loop().sock_recv(sock, 1), for_seconds)
    except TimeoutError:
        return True
    return False


async def round_trip(sock: socket.socket, data: bytes) -> float:
    """Seconds from sending ``data`` until the echo of all of it is back."""
    began = time.monotonic()
    await send(sock, data)
    assert await recv_exactly(sock, len(data)) == data
    return time.monotonic() - began
