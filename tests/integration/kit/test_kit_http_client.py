"""The resilient client against a real HTTP server on a socket."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest

from reference_services.kit.errors import DependencyUnavailable
from reference_services.kit.http_client import ClientPolicy, ResilientClient
from reference_services.kit.metrics import ServiceMetrics

pytestmark = pytest.mark.integration


@dataclass
class Upstream:
    """A tiny HTTP/1.1 server whose answers the test scripts: 'ok', '503' or 'hang'."""

    mode: str = "ok"
    requests: list[str] = field(default_factory=list)
    port: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                self.requests.append(head.split(b"\r\n", 1)[0].decode())
                if self.mode == "hang":
                    await asyncio.sleep(3600)
                status = b"200 OK" if self.mode == "ok" else b"503 Service Unavailable"
                writer.write(b"HTTP/1.1 " + status + b"\r\ncontent-length: 2\r\n\r\n{}")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            writer.close()


@pytest.fixture
async def upstream() -> AsyncIterator[Upstream]:
    server_state = Upstream()
    server = await asyncio.start_server(server_state.handle, "127.0.0.1", 0)
    server_state.port = server.sockets[0].getsockname()[1]
    yield server_state
    server.close()


def client(upstream: Upstream, **policy: float) -> ResilientClient:
    settings = {
        "timeout": 0.3,
        "retries": 2,
        "backoff_base": 0.01,
        "failure_threshold": 4,
        "recovery_timeout": 0.5,
        **policy,
    }
    return ResilientClient(
        "dep",
        f"http://127.0.0.1:{upstream.port}",
        policy=ClientPolicy(**settings),
        metrics=ServiceMetrics(),
    )  # type: ignore[arg-type]


async def test_idempotent_calls_are_retried_then_reported_unavailable(upstream: Upstream) -> None:
    upstream.mode = "503"
    dep = client(upstream)
    with pytest.raises(DependencyUnavailable) as raised:
        await dep.request("GET", "/x")
    assert len(upstream.requests) == 3, "one try plus two retries"
    assert raised.value.headers()["Retry-After"].isdigit()
    await dep.aclose()


async def test_non_idempotent_calls_are_not_retried_without_a_key(upstream: Upstream) -> None:
    upstream.mode = "503"
    dep = client(upstream)
    with pytest.raises(DependencyUnavailable):
        await dep.request("POST", "/orders")
    assert len(upstream.requests) == 1
    with pytest.raises(DependencyUnavailable):
        await dep.request("POST", "/orders", headers={"Idempotency-Key": "k1"})
    assert len(upstream.requests) == 4
    await dep.aclose()


async def test_breaker_opens_fails_fast_and_recovers(upstream: Upstream) -> None:
    upstream.mode = "hang"
    dep = client(upstream, retries=0)
    for _ in range(4):
        with pytest.raises(DependencyUnavailable, match="did not answer"):
            await dep.request("GET", "/slow")
    assert dep.breaker.state == "open"
    seen = len(upstream.requests)
    with pytest.raises(DependencyUnavailable, match="circuit breaker"):
        await dep.request("GET", "/slow")
    assert len(upstream.requests) == seen, "an open breaker sends nothing"
    upstream.mode = "ok"
    await asyncio.sleep(0.5)  # the breaker's recovery timeout: the behaviour under test
    response = await dep.request("GET", "/ok")
    assert response.status_code == 200 and dep.breaker.state == "closed"
    metrics = dep.metrics.render()[0].decode()
    assert 'circuit_breaker_transitions_total{dependency="dep",state="open"} 1.0' in metrics
    await dep.aclose()


async def test_context_headers_are_propagated(upstream: Upstream) -> None:
    dep = client(upstream)
    await dep.request("GET", "/ok")
    assert upstream.requests == ["GET /ok HTTP/1.1"]
    await dep.aclose()
