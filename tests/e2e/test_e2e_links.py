"""Every hop goes through the fault proxy's named links: cutting one is felt at once."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.shop import Shop, wait_for

pytestmark = pytest.mark.e2e


def proxy(shop: Shop) -> str:
    return shop.stack.url("proxy")


def test_the_registry_links_are_on_the_proxy_and_carry_the_traffic(shop: Shop) -> None:
    names = set(httpx.get(f"{proxy(shop)}/proxies", timeout=5).json())
    assert {"gateway-products", "orders-users", "orders-products", "kafka"} <= names
    shop.get("/api/products", shop.admin())
    metrics = httpx.get(f"{proxy(shop)}/metrics", timeout=5).text
    assert 'proxy="gateway-products"' in metrics


def test_a_disabled_link_fails_its_route_and_recovers(shop: Shop) -> None:
    link = f"{proxy(shop)}/proxies/gateway-products"
    token = shop.customer()
    httpx.post(link, json={"enabled": False}, timeout=5).raise_for_status()
    try:
        cut = shop.demo.http.get("/api/products")
        assert cut.status_code == 503
        assert cut.headers["content-type"] == "application/problem+json"
        assert "retry-after" in cut.headers
        assert shop.get("/api/notifications", token)["items"] == []  # other links unaffected
    finally:
        httpx.post(link, json={"enabled": True}, timeout=5).raise_for_status()
    wait_for(
        lambda: shop.demo.http.get("/api/products").status_code == 200,
        timeout=30,
        what="products through the gateway again after the link is back",
    )
