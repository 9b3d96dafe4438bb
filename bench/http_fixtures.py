"""What the HTTP benchmark needs in the stack before any load: a product in stock and a
customer who may order it.

Made through the gateway with the demonstration journey's client (``harness.demo``): the
admin logs in, creates a product and restocks it; a customer registers and logs in.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from harness.demo import Demo
from harness.stack.state import Secrets
from reference_services.inventory.domain import MAX_RESTOCK

PRICE_CENTS = 1299  # far below the payments service's amount limit: every order completes


@dataclass(frozen=True)
class Fixtures:
    product_id: str
    customer_token: str
    stock: int

    @property
    def order_body(self) -> bytes:
        """A one-unit order of the product, paid with a card that is never declined."""
        order = {"items": [{"product_id": self.product_id, "quantity": 1}]}
        return json.dumps({**order, "payment_token": "tok_visa"}).encode()


def seed(gateway_url: str, stack_secrets: Secrets, *, stock: int = MAX_RESTOCK) -> Fixtures:
    """Create the product (with ``stock`` units) and the customer through ``gateway_url``."""
    demo = Demo(gateway_url, stack_secrets.admin_email, stack_secrets.admin_password, say=_quiet)
    try:
        product_id = _stocked_product(demo, stock)
        return Fixtures(product_id, _customer_token(demo), stock)
    finally:
        demo.http.close()


def _stocked_product(demo: Demo, stock: int) -> str:
    admin = demo.login(demo.admin_email, demo.admin_password)
    sku = f"BENCH-{secrets.token_hex(4).upper()}"
    product = {"sku": sku, "name": "Bench widget", "price_cents": PRICE_CENTS}
    created = demo.call("POST", "/api/products", expect=201, token=admin, json=product)
    product_id = str(created["id"])
    restock = {"quantity": stock}
    path = f"/api/inventory/{product_id}/restock"
    demo.call("POST", path, expect=200, token=admin, json=restock)
    return product_id


def _customer_token(demo: Demo) -> str:
    email, password = f"bench-{secrets.token_hex(4)}@example.com", secrets.token_urlsafe(12)
    account = {"email": email, "password": password, "name": "Bench customer"}
    demo.call("POST", "/api/users/register", expect=201, json=account)
    return demo.login(email, password)


def _quiet(_line: str) -> None:
    """The journey's progress lines are not wanted here."""
