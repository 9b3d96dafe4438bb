"""What a shopper does on the gateway, with weights, on Locust's fast HTTP client.

Each simulated user registers its own account (unique email) and follows its own orders,
so journeys never collide. The catalog comes from the system itself (GET /api/products);
``harness load`` seeds it with stocked products before the swarm starts.

The saga's end-to-end time (order accepted -> COMPLETED or CANCELLED) is reported to
Locust as its own request type ``SAGA``, so it shows in the UI, the CSV and the SLOs.
"""

from __future__ import annotations

import random
import secrets
import time
from typing import Any

from locust import FastHttpUser, between, task

SAGA = "SAGA"
TERMINAL = ("COMPLETED", "CANCELLED")
SAGA_DEADLINE_S = 30.0
POLL_S = 0.1
DECLINE_SHARE = 0.1  # one order in ten uses the declined test card


class Shopper(FastHttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.email = f"load-{secrets.token_hex(6)}@example.com"
        self.password = secrets.token_urlsafe(12)
        self.registered = False
        self.auth: dict[str, str] = {}
        self.product_ids: list[str] = []
        self.signed_in()

    def signed_in(self) -> bool:
        """Register (until it worked once) and log in; a shopper the system turned away
        tries again on its next task instead of going on with no token."""
        if self.auth:
            return True
        if not self.registered:
            body = {"email": self.email, "password": self.password, "name": "Load Shopper"}
            with self.client.post(
                "/api/users/register", json=body, name="/api/users/register", catch_response=True
            ) as response:
                if response.status_code == 409:
                    response.success()  # an earlier, timed-out attempt got through
                self.registered = response.status_code in (200, 201, 409)
            if not self.registered:
                return False
        with self.client.post(
            "/api/users/login",
            json={"email": self.email, "password": self.password},
            name="/api/users/login",
            catch_response=True,
        ) as response:
            token = response.json().get("access_token", "") if response.ok else ""
        self.auth = {"authorization": f"Bearer {token}"} if token else {}
        return bool(self.auth)

    @task(5)
    def browse(self) -> None:
        page = self.client.get("/api/products?limit=50", name="/api/products").json() or {}
        self.product_ids = [p["id"] for p in page.get("items", [])]
        if self.product_ids:
            product = random.choice(self.product_ids)
            self.client.get(f"/api/products/{product}", name="/api/products/{product_id}")

    @task(2)
    def order_and_follow(self) -> None:
        if not self.signed_in():
            return
        if not self.product_ids:
            self.browse()
        if not self.product_ids:
            return
        card = "tok_decline" if random.random() < DECLINE_SHARE else "tok_visa"
        body = {
            "items": [{"product_id": random.choice(self.product_ids), "quantity": 1}],
            "payment_token": card,
        }
        headers = {**self.auth, "idempotency-key": secrets.token_hex(12)}
        with self.client.post(
            "/api/orders", json=body, headers=headers, name="/api/orders", catch_response=True
        ) as response:
            if response.status_code != 201:
                response.failure(f"order not accepted: {response.status_code}")
                return
            order_id = response.json()["id"]
        self.follow(order_id, accepted=time.perf_counter())

    def follow(self, order_id: str, *, accepted: float) -> None:
        """Poll the order until it ends; report the saga's time as one SAGA sample."""
        status, order = "PENDING", {}
        while time.perf_counter() - accepted < SAGA_DEADLINE_S:
            order = (
                self.client.get(
                    f"/api/orders/{order_id}", headers=self.auth, name="/api/orders/{order_id}"
                ).json()
                or {}
            )
            status = order.get("status", "PENDING")
            if status in TERMINAL:
                break
            time.sleep(POLL_S)
        self.report_saga(status, order, elapsed=time.perf_counter() - accepted)

    def report_saga(self, status: str, order: dict[str, Any], *, elapsed: float) -> None:
        error = None if status in TERMINAL else TimeoutError(f"still {status} after {elapsed:.1f}s")
        self.environment.events.request.fire(
            request_type=SAGA,
            name=f"order -> {status if status in TERMINAL else 'timeout'}",
            response_time=elapsed * 1000,
            response_length=0,
            exception=error,
            context={"cancel_reason": order.get("cancel_reason")},
        )

    @task(1)
    def notifications(self) -> None:
        if not self.signed_in():
            return
        self.client.get("/api/notifications", headers=self.auth, name="/api/notifications")
