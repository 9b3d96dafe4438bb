"""Payloads of the events orders publishes (pure; the producer and pact tests share them)."""

from __future__ import annotations

from typing import Any

from reference_services.orders.domain import Line


def order_created(
    *,
    order_id: str,
    user_id: str,
    lines: list[Line],
    total_cents: int,
    currency: str,
    payment_token: str,
) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "user_id": user_id,
        "items": [
            {
                "product_id": x.product_id,
                "quantity": x.quantity,
                "unit_price_cents": x.unit_price_cents,
            }
            for x in lines
        ],
        "total_cents": total_cents,
        "currency": currency,
        "payment_token": payment_token,
    }


def order_completed(
    *, order_id: str, user_id: str, total_cents: int, currency: str
) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "user_id": user_id,
        "total_cents": total_cents,
        "currency": currency,
    }


def order_cancelled(
    *,
    order_id: str,
    user_id: str,
    total_cents: int,
    currency: str,
    reason: str,
) -> dict[str, Any]:
    return {
        **order_completed(
            order_id=order_id, user_id=user_id, total_cents=total_cents, currency=currency
        ),
        "reason": reason,
    }
