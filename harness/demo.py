"""The demonstration journey through the gateway: the three saga outcomes, end to end.

register -> login -> browse -> order COMPLETED; a declined card -> CANCELLED; an
out-of-stock order -> payment refunded and CANCELLED; notifications listed.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from harness.errors import HarnessError

TERMINAL = ("COMPLETED", "CANCELLED")


class DemoFailed(HarnessError):
    """A step of the journey did not behave as the system promises."""


@dataclass
class Demo:
    gateway_url: str
    admin_email: str
    admin_password: str
    say: Callable[[str], None]
    deadline_s: float = 60.0
    http: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.gateway_url, timeout=10.0)

    def call(
        self, method: str, path: str, *, expect: int, token: str | None = None, **kwargs: Any
    ) -> Any:
        headers = kwargs.pop("headers", {})
        if token:
            headers["authorization"] = f"Bearer {token}"
        response = self.http.request(method, path, headers=headers, **kwargs)
        if response.status_code != expect:
            raise DemoFailed(
                f"{method} {path} answered {response.status_code}, expected "
                f"{expect}: {response.text[:300]}"
            )
        return response.json()

    def login(self, email: str, password: str) -> str:
        body = self.call(
            "POST", "/api/users/login", expect=200, json={"email": email, "password": password}
        )
        return str(body["access_token"])

    def poll(self, fetch: Callable[[], Any], done: Callable[[Any], bool]) -> Any:
        """The first fetched value that is done, or the last one at the deadline."""
        deadline = time.monotonic() + self.deadline_s
        value = fetch()
        while not done(value) and time.monotonic() < deadline:
            time.sleep(0.1)
            value = fetch()
        return value

    def wait_for_outcome(self, token: str, order_id: str) -> dict[str, Any]:
        order: dict[str, Any] = self.poll(
            lambda: self.call("GET", f"/api/orders/{order_id}", expect=200, token=token),
            lambda o: o["status"] in TERMINAL,
        )
        if order["status"] not in TERMINAL:
            raise DemoFailed(f"order {order_id} was still PENDING after {self.deadline_s}s")
        return order

    def place(self, token: str, product_id: str, quantity: int, card: str) -> dict[str, Any]:
        order: dict[str, Any] = self.call(
            "POST",
            "/api/orders",
            expect=201,
            token=token,
            headers={"idempotency-key": secrets.token_hex(8)},
            json={
                "items": [{"product_id": product_id, "quantity": quantity}],
                "payment_token": card,
            },
        )
        return self.wait_for_outcome(token, order["id"])

    def expect_order(self, order: dict[str, Any], status: str, reason: str | None) -> None:
        if (order["status"], order["cancel_reason"]) != (status, reason):
            raise DemoFailed(
                f"order {order['id']} ended {order['status']} "
                f"({order['cancel_reason']}), expected {status} ({reason})"
            )

    def run(self) -> None:
        started = time.monotonic()
        tag = secrets.token_hex(3).upper()
        admin = self.login(self.admin_email, self.admin_password)
        mug = self.call(
            "POST",
            "/api/products",
            expect=201,
            token=admin,
            json={"sku": f"MUG-{tag}", "name": "Coffee mug", "price_cents": 1250},
        )
        lamp = self.call(
            "POST",
            "/api/products",
            expect=201,
            token=admin,
            json={"sku": f"LAMP-{tag}", "name": "Desk lamp", "price_cents": 4900},
        )
        self.call(
            "POST",
            f"/api/inventory/{mug['id']}/restock",
            expect=200,
            token=admin,
            json={"quantity": 10},
        )
        self.call(
            "POST",
            f"/api/inventory/{lamp['id']}/restock",
            expect=200,
            token=admin,
            json={"quantity": 1},
        )
        self.say(f"admin added 2 products and stock (mug {mug['id'][:8]}, lamp {lamp['id'][:8]})")

        email, password = f"ada-{tag.lower()}@example.com", secrets.token_urlsafe(12)
        self.call(
            "POST",
            "/api/users/register",
            expect=201,
            json={"email": email, "password": password, "name": "Ada"},
        )
        token = self.login(email, password)
        page = self.call("GET", "/api/products", expect=200, params={"limit": 100})
        self.call("GET", f"/api/products/{mug['id']}", expect=200)
        self.say(f"customer {email} registered, logged in, browsed {page['total']} products")

        done = self.place(token, mug["id"], 2, "tok_visa")
        self.expect_order(done, "COMPLETED", None)
        self.say(f"order {done['id'][:8]}: 2 mugs, card ok -> COMPLETED")

        declined = self.place(token, mug["id"], 1, "tok_decline")
        self.expect_order(declined, "CANCELLED", "payment_declined")
        self.say(f"order {declined['id'][:8]}: declined card -> CANCELLED (payment_declined)")

        short = self.place(token, lamp["id"], 5, "tok_visa")
        self.expect_order(short, "CANCELLED", "out_of_stock")
        payments = self.poll(  # the refund follows the cancellation; both are events
            lambda: self.call(
                "GET", "/api/payments", expect=200, token=token, params={"order_id": short["id"]}
            ),
            lambda found: [p["status"] for p in found] == ["REFUNDED"],
        )
        statuses = [p["status"] for p in payments]
        if statuses != ["REFUNDED"]:
            raise DemoFailed(f"out-of-stock order's payment should be REFUNDED, got {statuses}")
        self.say(f"order {short['id'][:8]}: 5 lamps, 1 in stock -> payment REFUNDED, CANCELLED")

        self.wait_for_notifications(token, expected=3)
        self.say(f"journey complete in {time.monotonic() - started:.1f}s")

    def wait_for_notifications(self, token: str, *, expected: int) -> None:
        page = self.poll(
            lambda: self.call("GET", "/api/notifications", expect=200, token=token),
            lambda found: len(found["items"]) >= expected,
        )
        if len(page["items"]) != expected:
            raise DemoFailed(f"expected {expected} notifications, found {len(page['items'])}")
        for note in page["items"]:
            self.say(f"  notification: {note['message']}")
