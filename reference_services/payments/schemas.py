"""The payments API's response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

EXAMPLE: dict[str, Any] = {
    "id": "99677fa1-77ea-40c3-8b10-02131e138f7f",
    "order_id": "9a59fb67-a609-4030-8330-5bf88bc6bb9c",
    "user_id": "2ee5a998-7091-45ff-a14c-18bdf9eb2e55",
    "amount_cents": 7499,
    "currency": "EUR",
    "status": "CAPTURED",
    "decline_reason": None,
    "refund_reason": None,
    "created_at": "2026-11-25T10:00:00Z",
    "updated_at": "2026-11-25T10:00:00Z",
}


class Payment(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})

    id: str
    order_id: str
    user_id: str
    amount_cents: int
    currency: Literal["EUR"]
    status: Literal["CAPTURED", "DECLINED", "REFUNDED"]
    decline_reason: Literal["card_declined", "amount_limit_exceeded"] | None
    refund_reason: Literal["inventory_rejected"] | None
    created_at: datetime
    updated_at: datetime
