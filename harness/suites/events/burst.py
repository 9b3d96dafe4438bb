"""A short burst of real traffic through the gateway: a few orders of each saga outcome.

As an admin: two products, one well stocked and one with a single unit. As a fresh
customer: orders paid with ``tok_visa`` (happy), ``tok_decline`` (declined) and for two
units of the scarce product (out of stock, so the payment is refunded).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from harness.errors import HarnessError
from harness.suites.coverage import CoverageRecorder
from harness.suites.events.flows import DECLINED, HAPPY, OUT_OF_STOCK
from harness.suites.plugin import Account, Accounts

ORDERS_PER_OUTCOME = 2
PLENTY, SCARCE = 100, 1
# scenario -> (which product, quantity, card)
RECIPES: Mapping[str, tuple[str, int, str]] = {
    HAPPY: ("plenty", 1, "tok_visa"),
    DECLINED: ("plenty", 1, "tok_decline"),
    OUT_OF_STOCK: ("scarce", SCARCE + 1, "tok_visa"),
}


class BurstFailed(HarnessError):
    """The gateway did not accept the traffic the burst needs."""


@dataclass(frozen=True)
class PlacedOrder:
    order_id: str
    scenario: str
    placed_at: float  # time.monotonic()


class Burst:
    def __init__(self, accounts: Accounts, coverage: CoverageRecorder) -> None:
        self.accounts, self.coverage = accounts, coverage
        self.http: httpx.Client = accounts.http

    def call(self, method: str, path: str, *, expect: int, who: Account, **kw: Any) -> Any:
        headers = {**who.headers, **kw.pop("headers", {})}
        response = self.http.request(method, path, headers=headers, **kw)
        self.coverage.http("gateway", method, path, response.status_code)
        if response.status_code != expect:
            raise BurstFailed(
                f"{method} {path} answered {response.status_code}, expected {expect}: "
                f"{response.text[:300]}"
            )
        return response.json()

    def product(self, admin: Account, *, stock: int) -> str:
        tag = secrets.token_hex(4).upper()
        body = {"sku": f"EVENTS-{tag}", "name": "Event suite item", "price_cents": 1999}
        product = self.call("POST", "/api/products", expect=201, who=admin, json=body)
        product_id = str(product["id"])
        restock = f"/api/inventory/{product_id}/restock"
        self.call("POST", restock, expect=200, who=admin, json={"quantity": stock})
        return product_id

    def run(self) -> list[PlacedOrder]:
        admin, customer = self.accounts.admin(), self.accounts.customer()
        products = {
            "plenty": self.product(admin, stock=PLENTY),
            "scarce": self.product(admin, stock=SCARCE),
        }
        placed = []
        for _round in range(ORDERS_PER_OUTCOME):
            for scenario, (which, quantity, card) in RECIPES.items():
                body = {
                    "items": [{"product_id": products[which], "quantity": quantity}],
                    "payment_token": card,
                }
                order = self.call(
                    "POST",
                    "/api/orders",
                    expect=201,
                    who=customer,
                    json=body,
                    headers={"idempotency-key": secrets.token_hex(8)},
                )
                placed.append(PlacedOrder(str(order["id"]), scenario, time.monotonic()))
        return placed
