"""Order creation is idempotent per key, and one customer never sees another's orders."""

from __future__ import annotations

import secrets

import pytest

from tests.e2e.shop import Shop

pytestmark = pytest.mark.e2e


def test_same_idempotency_key_returns_the_same_order(shop: Shop) -> None:
    product, token = shop.product(stock=10), shop.customer()
    key = {"idempotency-key": secrets.token_hex(8)}
    first = shop.order_request(token, product, headers=key)
    again = shop.order_request(token, product, headers=key)
    assert first.status_code == 201 and again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    orders = shop.get("/api/orders", token)
    assert [o["id"] for o in orders["items"]] == [first.json()["id"]]


def test_reusing_a_key_for_a_different_order_is_refused(shop: Shop) -> None:
    product, token = shop.product(stock=10), shop.customer()
    key = {"idempotency-key": secrets.token_hex(8)}
    assert shop.order_request(token, product, quantity=1, headers=key).status_code == 201
    reused = shop.order_request(token, product, quantity=2, headers=key)
    assert reused.status_code == 422
    assert reused.headers["content-type"] == "application/problem+json"
    assert "idempotency" in reused.json()["detail"].lower()


def test_another_customers_order_is_not_found(shop: Shop) -> None:
    product, owner, stranger = shop.product(stock=10), shop.customer(), shop.customer()
    order_id = shop.place(owner, product)
    response = shop.demo.http.get(
        f"/api/orders/{order_id}", headers={"authorization": f"Bearer {stranger}"}
    )
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert shop.get("/api/orders", stranger)["items"] == []
    assert shop.get(f"/api/orders/{order_id}", owner)["id"] == order_id
