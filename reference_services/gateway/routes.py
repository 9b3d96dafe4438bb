"""The gateway's public routes: the only operations it exposes (pure data).

Every entry must be in contracts/openapi/gateway.yaml (a test holds the two together).
The upstream path is the public path without ``/api``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PARAM = re.compile(r"\{(\w+)\}")
SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9-]{1,64}$")


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    service: str
    operation_id: str
    auth: bool = True
    timeout: float = 3.0

    def upstream_path(self, params: dict[str, str]) -> str:
        return PARAM.sub(lambda m: params[m.group(1)], self.path.removeprefix("/api"))


ROUTES: tuple[Route, ...] = (
    Route("POST", "/api/users/register", "users", "registerUser", auth=False),
    Route("POST", "/api/users/login", "users", "loginUser", auth=False),
    Route("GET", "/api/users/me", "users", "getMyProfile"),
    Route("GET", "/api/products", "products", "listProducts", auth=False),
    Route("POST", "/api/products", "products", "createProduct"),
    Route("GET", "/api/products/{product_id}", "products", "getProduct", auth=False),
    Route("PATCH", "/api/products/{product_id}", "products", "updateProduct"),
    Route("POST", "/api/orders", "orders", "createOrder", timeout=8.0),
    Route("GET", "/api/orders", "orders", "listOrders"),
    Route("GET", "/api/orders/{order_id}", "orders", "getOrder"),
    Route("GET", "/api/payments", "payments", "listPayments"),
    Route("GET", "/api/payments/{payment_id}", "payments", "getPayment"),
    Route("GET", "/api/inventory/{product_id}", "inventory", "getStock"),
    Route("POST", "/api/inventory/{product_id}/restock", "inventory", "restockProduct"),
    Route("GET", "/api/notifications", "notifications", "listNotifications"),
)


def safe_params(params: dict[str, str]) -> bool:
    """Path parameters must be plain ids: nothing that could walk the upstream's paths."""
    return all(SAFE_SEGMENT.match(value) for value in params.values())
