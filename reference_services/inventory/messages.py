"""Payloads of the events inventory publishes (pure; the producer and pact tests share them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reference_services.inventory.domain import Line


def stock_lines(items: Sequence[Line]) -> list[dict[str, Any]]:
    return [{"product_id": x.product_id, "quantity": x.quantity} for x in items]


def inventory_reserved(
    *, reservation_id: str, order_id: str, user_id: str, items: Sequence[Line]
) -> dict[str, Any]:
    return {
        "reservation_id": reservation_id,
        "order_id": order_id,
        "user_id": user_id,
        "items": stock_lines(items),
    }


def inventory_rejected(
    *, order_id: str, user_id: str, reason: str, items: Sequence[Line]
) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "user_id": user_id,
        "reason": reason,
        "items": stock_lines(items),
    }
