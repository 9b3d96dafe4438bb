"""The lean keep-alive client (kit/http_wire.py) against real sockets.

The scripted server speaks raw HTTP/1.1, so each test controls framing and the
connection's life: keep-alive reuse, chunked bodies, a server that drops idle
connections, a bound on connections in flight, and a server that never answers.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import pytest

from reference_services.kit.http_wire import ConnectionPool, UpstreamTimeout, UpstreamUnreachable
from tests.helpers import wait_until_async

pytestmark = pytest.mark.integration
CHUNKED = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nx-a: 1\r\nx-a: 2\r\n\r\n"


@dataclass
class Server:
    """Answers every request with ``reply``; ``close_after`` closes each connection after
    that many answers (a server dropping keep-alive connections); ``hold`` parks requests."""

    reply: bytes = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"
    close_after: int = 0
    hold: asyncio.Event | None = None
    connections: int = 0
    in_flight: int = 0
    most_in_flight: int = 0
    heads: list[bytes] = field(default_factory=list)
    port: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        answered = 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = _content_length(head)
                self.heads.append(head + (await reader.readexactly(length) if length else b""))
                self.in_flight += 1
                self.most_in_flight = max(self.most_in_flight, self.in_flight)
                if self.hold is not None:
                    await self.hold.wait()
                self.in_flight -= 1
                writer.write(self.reply)
                await writer.drain()
                answered += 1
                if self.close_after and answered >= self.close_after:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()


def _at_least(server: Server, count: int) -> Callable[[], Awaitable[bool]]:
    async def reached() -> bool:
        return server.in_flight >= count

    return reached


def _content_length(head: bytes) -> int:
    for line in head.lower().split(b"\r\n"):
        if line.startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 0


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    state = Server()
    listener = await asyncio.start_server(state.handle, "127.0.0.1", 0)
    state.port = listener.sockets[0].getsockname()[1]
    yield state
    listener.close()


def pool(server: Server, **options: int) -> ConnectionPool:
    return ConnectionPool(f"http://127.0.0.1:{server.port}", **options)


async def test_requests_reuse_one_keep_alive_connection(server: Server) -> None:
    client = pool(server)
    for _ in range(5):
        response = await client.request("GET", "/x", headers={}, timeout=2)
        assert (response.status_code, response.content) == (200, b"ok")
    assert server.connections == 1
    await client.aclose()


async def test_method_target_headers_and_body_go_out_as_given(server: Server) -> None:
    client = pool(server)
    await client.request(
        "POST",
        "/orders",
        headers={"idempotency-key": "k1"},
        params=[("a", "1 2"), ("a", "3")],
        content=b'{"x":1}',
        timeout=2,
    )
    head = server.heads[0].decode()
    assert head.startswith("POST /orders?a=1+2&a=3 HTTP/1.1\r\n")
    assert "idempotency-key: k1\r\n" in head and "content-length: 7\r\n" in head
    assert head.endswith('\r\n\r\n{"x":1}')
    await client.aclose()


async def test_chunked_bodies_and_repeated_headers_are_read_whole(server: Server) -> None:
    server.reply = CHUNKED + b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
    client = pool(server)
    response = await client.request("GET", "/x", headers={}, timeout=2)
    assert response.content == b"abcde" and response.headers["x-a"] == "1, 2"
    await client.aclose()


async def test_a_connection_the_server_dropped_is_replaced_without_an_error(
    server: Server,
) -> None:
    server.close_after = 1  # every connection is closed after one answer
    client = pool(server)
    for _ in range(3):
        response = await client.request("GET", "/x", headers={}, timeout=2, replay_safe=True)
        assert response.status_code == 200
    assert server.connections == 3
    await client.aclose()


async def test_requests_beyond_the_connection_bound_wait_their_turn(server: Server) -> None:
    server.hold = asyncio.Event()
    client = pool(server, max_connections=2)
    calls = [
        asyncio.create_task(client.request("GET", "/x", headers={}, timeout=5)) for _ in range(6)
    ]
    await wait_until_async(_at_least(server, 2), timeout=5, what="two requests at the server")
    server.hold.set()
    assert [r.status_code for r in await asyncio.gather(*calls)] == [200] * 6
    assert server.most_in_flight == 2
    await client.aclose()


async def test_no_answer_is_a_timeout_and_a_refused_port_is_unreachable(server: Server) -> None:
    server.hold = asyncio.Event()  # never set: the server never answers
    client = pool(server)
    with pytest.raises(UpstreamTimeout):
        await client.request("GET", "/slow", headers={}, timeout=0.2)
    await client.aclose()
    refused = ConnectionPool("http://127.0.0.1:9")
    with pytest.raises(UpstreamUnreachable, match="cannot connect"):
        await refused.request("GET", "/", headers={}, timeout=2)


def test_only_plain_http_base_urls_are_taken() -> None:
    with pytest.raises(ValueError, match="only http://"):
        ConnectionPool("https://example.com")
