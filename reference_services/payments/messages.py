"""Payloads of the events payments publishes (pure; the producer and pact tests share them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reference_services.payments.domain import Line


def _payment(
    *, payment_id: str, order_id: str, user_id: str, amount_cents: int, currency: str
) -> dict[str, Any]:
    return {
        "payment_id": payment_id,
        "order_id": order_id,
        "user_id": user_id,
        "amount_cents": amount_cents,
        "currency": currency,
    }


def payment_processed(
    *,
    payment_id: str,
    order_id: str,
    user_id: str,
    amount_cents: int,
    currency: str,
    items: Sequence[Line],
) -> dict[str, Any]:
    return {
        **_payment(
            payment_id=payment_id,
            order_id=order_id,
            user_id=user_id,
            amount_cents=amount_cents,
            currency=currency,
        ),
        "items": [{"product_id": x.product_id, "quantity": x.quantity} for x in items],
    }


def payment_failed(
    *,
    payment_id: str,
    order_id: str,
    user_id: str,
    amount_cents: int,
    currency: str,
    reason: str,
) -> dict[str, Any]:
    return {
        **_payment(
            payment_id=payment_id,
            order_id=order_id,
            user_id=user_id,
            amount_cents=amount_cents,
            currency=currency,
        ),
        "reason": reason,
    }


def payment_refunded(
    *,
    payment_id: str,
    order_id: str,
    user_id: str,
    amount_cents: int,
    currency: str,
    reason: str,
) -> dict[str, Any]:
    return {
        **_payment(
            payment_id=payment_id,
            order_id=order_id,
            user_id=user_id,
            amount_cents=amount_cents,
            currency=currency,
        ),
        "reason": reason,
    }
