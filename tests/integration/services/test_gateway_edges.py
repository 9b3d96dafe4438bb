"""The gateway's own answers, on real sockets: 401 without a token, 404 for a hostile
path parameter (never forwarded), 429 with Retry-After past the rate limit, and 503 with
Retry-After once an upstream's breaker opens (fail fast), visible in /metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from reference_services.gateway.config import GatewaySettings
from reference_services.gateway.main import create_app
from tests.helpers import free_port
from tests.integration.services.conftest import running

pytestmark = pytest.mark.integration

PRODUCT = "/api/products/6f1c2a8e-3b0d-4f7a-9c55-2d7e8a1b4c90"
Gateway = Callable[..., Any]


@pytest.fixture
async def gateway(tmp_path: Path) -> AsyncIterator[Gateway]:
    """A gateway whose upstreams are ports nothing listens on (connections refused)."""
    dead = f"http://127.0.0.1:{free_port()}"
    stack = []

    async def open_gateway(**settings: Any) -> httpx.AsyncClient:
        upstreams = {f"{n}_url": dead for n in ("users", "products", "orders")}
        config = GatewaySettings(test_mode=True, data_dir=tmp_path, **(upstreams | settings))
        context = running(create_app(config))
        service = await context.__aenter__()
        stack.append(context)
        return service.http

    yield open_gateway
    for context in reversed(stack):
        await context.__aexit__(None, None, None)


async def test_protected_route_without_token_is_401_with_challenge(gateway: Gateway) -> None:
    http = await gateway()
    response = await http.get("/api/orders")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("param", "status"),
    [("..%2F..%2Fhealth", 404), ("a%00b", 422), ("x" * 65, 422), ("%2e%2e", 422)],
)
async def test_hostile_path_parameter_is_not_forwarded(
    gateway: Gateway, param: str, status: int
) -> None:
    # 404: no route has that many segments; 422: not an id (the contract's pattern)
    http = await gateway()
    response = await http.get(f"/api/products/{param}")
    assert response.status_code == status  # forwarding would have met the dead upstream: 503
    assert response.json()["status"] == status


async def test_past_the_rate_limit_is_429_with_retry_after(gateway: Gateway) -> None:
    http = await gateway(rate_limit_burst=2, rate_limit_per_second=0.01)
    statuses = [(await http.get(PRODUCT)).status_code for _ in range(2)]
    limited = await http.get(PRODUCT)
    assert statuses == [503, 503]  # allowed through, upstream down
    assert limited.status_code == 429
    assert limited.headers["content-type"] == "application/problem+json"
    assert int(limited.headers["retry-after"]) >= 1


async def test_open_breaker_fails_fast_with_503_and_retry_after(gateway: Gateway) -> None:
    http = await gateway(breaker_threshold=2, breaker_recovery=30.0)
    first = await http.get(PRODUCT)
    assert first.status_code == 503
    assert "circuit breaker" not in first.json()["detail"]
    answers = [await http.get(PRODUCT) for _ in range(3)]
    assert all(a.status_code == 503 for a in answers)
    assert "circuit breaker for products is open" in answers[-1].json()["detail"]
    assert 1 <= int(answers[-1].headers["retry-after"]) <= 30
    metrics = (await http.get("/metrics")).text
    assert 'circuit_breaker_state{dependency="products"} 1.0' in metrics
    ready = (await http.get("/health/ready")).json()
    assert ready["dependencies"]["products"] == "open"
    assert ready["status"] == "degraded"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [("DELETE", PRODUCT, "GET, PATCH"), ("PUT", "/api/products", "GET, POST")],
)
async def test_a_method_the_public_path_lacks_is_405_with_allow(
    gateway: Gateway, method: str, path: str, allowed: str
) -> None:
    http = await gateway()
    response = await http.request(method, path)
    assert response.status_code == 405  # answered by the gateway, never forwarded
    assert response.headers["allow"] == allowed
    assert response.headers["content-type"] == "application/problem+json"
