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


def payment_failed(*, reason: str, **payment: Any) -> dict[str, Any]:
    """``payment`` holds payment_id, order_id, user_id, amount_cents and currency."""
    return {**_payment(**payment), "reason": reason}


def payment_refunded(*, reason: str, **payment: Any) -> dict[str, Any]:
    """The same shape as payment.failed; a separate name for a separate event."""
    return payment_failed(reason=reason, **payment)
