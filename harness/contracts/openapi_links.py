"""OpenAPI links from create/list operations to the reads they enable (pure data).

Keyed by operationId, so the same links serve a service's contract and the gateway's.
Stateful fuzzing follows them: create a resource, then read it back by its id.
"""

from __future__ import annotations

from typing import Any

# operationId -> status -> link name -> (target operationId, {parameter: runtime expression})
LINKS: dict[str, dict[str, dict[str, tuple[str, dict[str, str]]]]] = {
    "createProduct": {
        "201": {
            "GetCreatedProduct": ("getProduct", {"product_id": "$response.body#/id"}),
            "UpdateCreatedProduct": ("updateProduct", {"product_id": "$response.body#/id"}),
        }
    },
    "listProducts": {
        "200": {"GetFirstProduct": ("getProduct", {"product_id": "$response.body#/items/0/id"})}
    },
    "registerUser": {"201": {"GetRegisteredUser": ("getUser", {"user_id": "$response.body#/id"})}},
    "loginUser": {"200": {"GetLoggedInUser": ("getUser", {"user_id": "$response.body#/user_id"})}},
    "createOrder": {
        "201": {
            "GetCreatedOrder": ("getOrder", {"order_id": "$response.body#/id"}),
            "ListPaymentsOfOrder": ("listPayments", {"order_id": "$response.body#/id"}),
        }
    },
    "listOrders": {
        "200": {"GetFirstOrder": ("getOrder", {"order_id": "$response.body#/items/0/id"})}
    },
    "listPayments": {
        "200": {"GetFirstPayment": ("getPayment", {"payment_id": "$response.body#/0/id"})}
    },
    "restockProduct": {
        "200": {"GetRestockedStock": ("getStock", {"product_id": "$response.body#/product_id"})}
    },
}


def add_links(document: dict[str, Any]) -> dict[str, Any]:
    """Attach LINKS to every operation of ``document`` whose target exists there too."""
    operations = {
        op.get("operationId"): op
        for item in document.get("paths", {}).values()
        for op in item.values()
        if isinstance(op, dict)
    }
    for source_id, by_status in LINKS.items():
        source = operations.get(source_id)
        if source is None:
            continue
        for status, links in by_status.items():
            response = source.get("responses", {}).get(status)
            if response is None:
                continue
            for name, (target, parameters) in links.items():
                if target in operations:
                    response.setdefault("links", {})[name] = {
                        "operationId": target,
                        "parameters": parameters,
                    }
    return document
