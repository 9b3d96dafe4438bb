"""The provider-state endpoints exist in test mode only, and stay out of the contracts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from reference_services.inventory.config import InventorySettings
from reference_services.inventory.main import create_app as create_inventory
from reference_services.kit.provider_states import MESSAGES_PATH, STATES_PATH
from reference_services.orders.config import OrdersSettings
from reference_services.orders.main import create_app as create_orders
from reference_services.payments.config import PaymentsSettings
from reference_services.payments.main import create_app as create_payments
from reference_services.products.config import ProductsSettings
from reference_services.products.main import create_app as create_products
from reference_services.users.config import UsersSettings
from reference_services.users.main import create_app as create_users

PRODUCTION_SECRET = "a-production-secret-of-enough-length"
SERVICES: dict[str, tuple[Callable[[Any], FastAPI], type[Any]]] = {
    "users": (create_users, UsersSettings),
    "products": (create_products, ProductsSettings),
    "orders": (create_orders, OrdersSettings),
    "payments": (create_payments, PaymentsSettings),
    "inventory": (create_inventory, InventorySettings),
}


def app_of(service: str, *, test_mode: bool) -> FastAPI:
    create, settings = SERVICES[service]
    return create(settings(test_mode=test_mode, jwt_secret=PRODUCTION_SECRET))


async def call(app: FastAPI, method: str, path: str, **kwargs: Any) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        return await client.request(method, path, **kwargs)


@pytest.mark.parametrize("service", sorted(SERVICES))
@pytest.mark.parametrize(
    ("method", "path"), [("GET", STATES_PATH), ("POST", STATES_PATH), ("POST", MESSAGES_PATH)]
)
async def test_outside_test_mode_the_endpoints_do_not_exist(
    service: str, method: str, path: str
) -> None:
    body = {"state": "a customer exists", "description": "x", "providerStates": []}
    response = await call(app_of(service, test_mode=False), method, path, json=body)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("service", sorted(SERVICES))
async def test_in_test_mode_each_service_lists_its_states(service: str) -> None:
    response = await call(app_of(service, test_mode=True), "GET", STATES_PATH)
    assert response.status_code == 200
    assert response.json()["states"], f"{service} declares no provider state"


@pytest.mark.parametrize("service", sorted(SERVICES))
async def test_the_test_endpoints_stay_out_of_the_served_openapi(service: str) -> None:
    served = (await call(app_of(service, test_mode=True), "GET", "/openapi.json")).json()
    assert not [p for p in served["paths"] if p.startswith("/_test")]


async def test_an_unknown_state_is_refused_with_the_known_ones() -> None:
    app = app_of("orders", test_mode=True)
    response = await call(app, "POST", STATES_PATH, json={"state": "a unicorn exists"})
    assert response.status_code == 422
    assert "the customer has an order" in response.json()["detail"]


async def test_a_teardown_and_a_message_state_need_no_setup() -> None:
    app = app_of("orders", test_mode=True)
    teardown = {"state": "the customer has an order", "action": "teardown"}
    assert (await call(app, "POST", STATES_PATH, json=teardown)).json() == {}
    placed = {"state": "an order is placed", "action": "setup"}
    assert (await call(app, "POST", STATES_PATH, json=placed)).json() == {}


async def test_a_message_request_must_name_a_message_state() -> None:
    app = app_of("payments", test_mode=True)
    wanted = {"description": "payment.failed", "providerStates": [{"name": "elsewhere"}]}
    response = await call(app, "POST", MESSAGES_PATH, json=wanted)
    assert response.status_code == 422
    assert "an order's payment is declined" in response.json()["detail"]
