"""A broker outage: readiness says so, orders are still accepted (into the outbox), and
once the broker is back every one of them completes. Its own stack: this restarts Tansu,
which loses everything the broker held (memory storage)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.stack.embedded import EmbeddedStack
from tests.e2e.conftest import start_stack
from tests.e2e.shop import Shop, wait_for

pytestmark = pytest.mark.e2e

KAFKA_USERS = ("orders", "payments", "inventory", "notifications")


@pytest.fixture
def own_stack(tmp_path: Path) -> Iterator[EmbeddedStack]:
    stack = start_stack(tmp_path / "stack")
    try:
        yield stack
    finally:
        stack.stop()


def test_orders_accepted_while_the_broker_is_down_complete_after_it_returns(
    own_stack: EmbeddedStack,
) -> None:
    shop = Shop.open(own_stack)
    product, token = shop.product(stock=10), shop.customer()
    assert shop.outcome(token, shop.place(token, product))["status"] == "COMPLETED"

    own_stack.stop_broker()
    for service in KAFKA_USERS:
        answer = wait_for(
            lambda s=service: (r := shop.ready(s)).status_code == 503 and r,
            timeout=15,
            what=f"{service} to report not ready",
        )
        assert answer.json()["checks"]["broker"]["status"] == "down"
        assert answer.json()["checks"]["database"]["status"] == "up"
    assert shop.ready("products").status_code == 200  # no broker, no reason to be unready

    accepted = [shop.place(token, product) for _ in range(3)]
    wait_for(
        lambda: shop.metric("orders", "outbox_backlog") >= 3,
        timeout=15,
        what="the orders to wait in the outbox",
    )

    own_stack.start_broker()
    for service in KAFKA_USERS:
        wait_for(
            lambda s=service: shop.ready(s).status_code == 200,
            timeout=20,
            what=f"{service} ready again",
        )
    outcomes = [shop.outcome(token, order_id)["status"] for order_id in accepted]
    assert outcomes == ["COMPLETED"] * 3
    assert shop.stock(product)["available"] == 6
    assert shop.metric("orders", "outbox_backlog") == 0
