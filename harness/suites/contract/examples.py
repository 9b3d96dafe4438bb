"""The fixed example values the consumer pacts are written with, and matcher helpers.

Every value written into a pact is fixed here, so re-running the consumer tests writes
byte-identical pact files. Ids travel to the provider as provider-state params; tokens
expire, so the provider's state answers a fresh one that the verifier injects.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from pact import generate, match
from pact.match.matcher import AbstractMatcher, GenericMatcher

CUSTOMER_ID = "0b7e3f52-5c1d-4e8a-8f0e-7d9c2b1a6e34"
ADMIN_ID = "7c4f1a2b-9d3e-4f5a-8b6c-1d2e3f4a5b6c"
STRANGER_ID = "5e0c9a7b-1d2f-4e3a-9b8c-7d6e5f4a3b2c"
PRODUCT_ID = "6f1c2a8e-3b0d-4f7a-9c55-2d7e8a1b4c90"
MISSING_PRODUCT_ID = "d0e5a4c3-0b1f-4e2d-8c7b-000000000404"
ORDER_ID = "c3d9a1f0-8e2b-4c7d-9a6f-1b2e3d4c5f60"
MISSING_ORDER_ID = "e1f2a3b4-c5d6-4e7f-8a9b-000000000404"
CUSTOMER_EMAIL = "ada.pact@example.com"
NEW_EMAIL = "grace.pact@example.com"
PASSWORD = "correct horse battery"
NEW_SKU = "PACT-NEW-001"
PRICE_CENTS = 1250
EXAMPLE_TOKEN = "eyJhbGciOiJIUzI1NiJ9.pact-example.signature"

UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
TIMESTAMP = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
JSON = "application/json"
PROBLEM_JSON = "application/problem+json"

# Provider states: the name is the contract between a pact and the provider's state
# handlers (reference_services/<service>/states.py).
CUSTOMER_EXISTS = "a customer exists"
ADMIN_SIGNED_IN = "an admin is signed in"
STRANGER_SIGNED_IN = "a customer without an account is signed in"
EMAIL_UNUSED = "no account uses the email"
PRODUCT_EXISTS = "a product exists"
PRODUCT_ABSENT = "no product has the id"
SKU_UNUSED = "no product uses the SKU"
CUSTOMER_HAS_ORDER = "the customer has an order"

CUSTOMER: dict[str, object] = {"userId": CUSTOMER_ID, "email": CUSTOMER_EMAIL, "password": PASSWORD}


def injected(example: str, expression: str) -> AbstractMatcher[str]:
    """``example`` in the consumer test; ``expression`` filled from the provider state's
    answer when the provider is verified (e.g. ``Bearer ${customerToken}``)."""
    return GenericMatcher(
        "type", value=example, generator=generate.provider_state(expression=expression)
    )


def bearer(token_name: str) -> AbstractMatcher[str]:
    return injected(f"Bearer {EXAMPLE_TOKEN}", f"Bearer ${{{token_name}}}")


def uuid(example: str) -> AbstractMatcher[str]:
    return match.regex(example, regex=UUID)


def timestamp() -> AbstractMatcher[str]:
    return match.regex("2026-11-25T10:00:00Z", regex=TIMESTAMP)


def one_of(*choices: str, example: str | None = None) -> AbstractMatcher[str]:
    """One of ``choices`` exactly (an enum); the example is the first unless given."""
    return match.regex(example or choices[0], regex="^(" + "|".join(choices) + ")$")


def user_body(user_id: str = CUSTOMER_ID, email: str = CUSTOMER_EMAIL) -> dict[str, Any]:
    return {
        "id": uuid(user_id),
        "email": match.str(email),
        "name": match.str("Ada"),
        "role": one_of("customer", "admin"),
        "created_at": timestamp(),
    }


def product_body(product_id: str = PRODUCT_ID, price_cents: int = PRICE_CENTS) -> dict[str, Any]:
    return {
        "id": uuid(product_id),
        "sku": match.str("PACT-6F1C2A8E"),
        "name": match.str("Coffee mug"),
        "description": match.str("350 ml, stoneware"),
        "price_cents": match.int(price_cents),
        "currency": one_of("EUR"),
        "created_at": timestamp(),
        "updated_at": timestamp(),
    }


def order_body(order_id: str = ORDER_ID, status: str = "PENDING") -> dict[str, Any]:
    return {
        "id": uuid(order_id),
        "user_id": uuid(CUSTOMER_ID),
        "status": one_of("PENDING", "COMPLETED", "CANCELLED", example=status),
        "items": match.each_like(
            {
                "product_id": uuid(PRODUCT_ID),
                "quantity": match.int(2),
                "unit_price_cents": match.int(PRICE_CENTS),
            }
        ),
        "total_cents": match.int(2 * PRICE_CENTS),
        "currency": one_of("EUR"),
        "created_at": timestamp(),
        "updated_at": timestamp(),
    }


def page_body(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "items": match.each_like(item),
        "total": match.int(1),
        "limit": match.int(20),
        "offset": match.int(0),
    }


def problem_body(status: int) -> dict[str, Any]:
    """An RFC 9457 problem: the status exactly, the texts by type."""
    title = HTTPStatus(status).phrase
    return {
        "type": match.str("urn:contract-harness:problem:" + title.lower().replace(" ", "-")),
        "title": match.str(title),
        "status": status,
        "detail": match.str("what went wrong, and how to fix it"),
    }
