"""Stocked products for the swarm to buy, created through the public API as admin."""

from __future__ import annotations

import secrets

import httpx

from harness.errors import ConfigError
from harness.target import Target

PRODUCTS = 10
STOCK = 1_000_000


def seed_catalog(target: Target, *, products: int = PRODUCTS) -> list[str]:
    auth = target.auth
    if not auth.admin_email:
        raise ConfigError(
            "the target gives no admin account (auth.admin_email) to seed the catalog"
        )
    with httpx.Client(base_url=target.gateway, timeout=10.0) as http:
        login = http.post(
            auth.login_path, json={"email": auth.admin_email, "password": auth.admin_password}
        )
        if login.status_code != 200:
            raise ConfigError(f"admin login on {target.gateway} answered {login.status_code}")
        headers = {"authorization": f"Bearer {login.json()['access_token']}"}
        tag = secrets.token_hex(3).upper()
        created = []
        for index in range(products):
            body = {
                "sku": f"LOAD-{tag}-{index}",
                "name": f"Load item {index}",
                "price_cents": 500 + index,
            }
            product = (
                http.post("/api/products", json=body, headers=headers).raise_for_status().json()
            )
            http.post(
                f"/api/inventory/{product['id']}/restock", json={"quantity": STOCK}, headers=headers
            ).raise_for_status()
            created.append(str(product["id"]))
        return created
