"""The order saga end to end: the three outcomes, seen through the gateway."""

from __future__ import annotations

import pytest

from harness.demo import Demo
from tests.e2e.shop import Shop, wait_for

pytestmark = pytest.mark.e2e


def test_the_demonstration_journey_succeeds(shop: Shop) -> None:
    lines: list[str] = []
    Demo(shop.demo.gateway_url, shop.demo.admin_email, shop.demo.admin_password, lines.append).run()
    assert lines[-1].startswith("journey complete")


def test_paid_order_in_stock_completes_and_reserves_stock(shop: Shop) -> None:
    product, token = shop.product(stock=5), shop.customer()
    order = shop.outcome(token, shop.place(token, product, quantity=2))
    assert (order["status"], order["cancel_reason"]) == ("COMPLETED", None)
    assert shop.stock(product)["available"] == 3
    [payment] = shop.get("/api/payments", token, order_id=order["id"])
    assert payment["status"] == "CAPTURED"


def test_declined_card_cancels_without_touching_stock(shop: Shop) -> None:
    product, token = shop.product(stock=5), shop.customer()
    order = shop.outcome(token, shop.place(token, product, card="tok_decline"))
    assert (order["status"], order["cancel_reason"]) == ("CANCELLED", "payment_declined")
    assert shop.stock(product)["available"] == 5
    [payment] = shop.get("/api/payments", token, order_id=order["id"])
    assert payment["status"] == "DECLINED"


def test_out_of_stock_refunds_the_payment_and_cancels(shop: Shop) -> None:
    product, token = shop.product(stock=1), shop.customer()
    order = shop.outcome(token, shop.place(token, product, quantity=2))
    assert (order["status"], order["cancel_reason"]) == ("CANCELLED", "out_of_stock")
    refunded = wait_for(
        lambda: (
            [p["status"] for p in shop.get("/api/payments", token, order_id=order["id"])]
            == ["REFUNDED"]
        ),
        timeout=30,
        what="the payment to be refunded",
    )
    assert refunded
    assert shop.stock(product)["available"] == 1
    notes = wait_for(
        lambda: shop.get("/api/notifications", token)["items"], timeout=30, what="a notification"
    )
    assert [n["order_id"] for n in notes] == [order["id"]]
