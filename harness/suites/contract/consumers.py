"""The consumers under test, built from their own composition roots and pointed at Pact
mock servers: the gateway as an app called through its public routes, and the orders
service's runtime, whose resilient clients call users and products."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from pact import Pact

from harness.suites.contract.pactbook import PactRecorder
from reference_services.gateway.config import GatewaySettings
from reference_services.gateway.main import create_app as create_gateway
from reference_services.kit.auth import Principal, issue_token
from reference_services.kit.runtime import Runtime
from reference_services.kit.settings import DEV_JWT_SECRET
from reference_services.orders.config import OrdersSettings
from reference_services.orders.main import create_app as create_orders

UNUSED = "http://127.0.0.1:9"  # a dependency the test does not call (discard port)


@contextlib.contextmanager
def _service_logging_contained() -> Iterator[None]:
    """The app factory points the root logger at stderr as JSON (right for a service
    process, wrong inside pytest): put pytest's handlers back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def customer_token(user_id: str) -> str:
    """A token the in-process gateway accepts (it shares the test-mode secret)."""
    return issue_token(DEV_JWT_SECRET, user_id=user_id, role="customer")


def admin_token(user_id: str) -> str:
    return issue_token(DEV_JWT_SECRET, user_id=user_id, role="admin")


def gateway_request(
    method: str, path: str, *, upstreams: Mapping[str, object], **kwargs: Any
) -> httpx.Response:
    """One public request through the real gateway app (lifespan included), its
    upstreams (``{"users": URL}``...) at the given mock servers."""
    urls = {name: str(upstreams.get(name, UNUSED)) for name in ("users", "products", "orders")}
    settings = GatewaySettings(
        test_mode=True,
        users_url=urls["users"],
        products_url=urls["products"],
        orders_url=urls["orders"],
    )
    with _service_logging_contained():
        app = create_gateway(settings)
    return asyncio.run(_call(app, method, path, **kwargs))


def through_gateway(
    pacts: PactRecorder, pact: Pact, method: str, path: str, **kwargs: Any
) -> httpx.Response:
    """``gateway_request`` with the pact's provider at its mock server; the pact is kept
    when every interaction was matched."""
    with pacts.serve(pact) as [mock]:
        return gateway_request(method, path, upstreams={pact.provider: mock.url}, **kwargs)


async def _call(app: FastAPI, method: str, path: str, **kwargs: Any) -> httpx.Response:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            return await client.request(method, path, **kwargs)


def orders_runtime(*, users: str, products: str, data_dir: Path) -> Runtime:
    """The orders service's runtime as its composition root builds it (no lifespan:
    pricing an order needs only its HTTP clients)."""
    settings = OrdersSettings(
        test_mode=True, users_url=users, products_url=products, data_dir=data_dir
    )
    with _service_logging_contained():
        app = create_orders(settings)
    runtime: Runtime = app.state.runtime
    return runtime


def principal(user_id: str) -> Principal:
    return Principal(user_id=user_id, role="customer")
