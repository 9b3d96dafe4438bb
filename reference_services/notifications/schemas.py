"""The notifications API's response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

EXAMPLE: dict[str, Any] = {
    "id": "5b1f7c3e-2a4d-4e8f-9b6a-0c1d2e3f4a5b",
    "user_id": "2ee5a998-7091-45ff-a14c-18bdf9eb2e55",
    "order_id": "9a59fb67-a609-4030-8330-5bf88bc6bb9c",
    "kind": "order_completed",
    "message": "Your order 9a59fb67 (74.99 EUR) is complete.",
    "created_at": "2026-11-25T10:00:00Z",
}


class Notification(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})

    id: str
    user_id: str
    order_id: str
    kind: Literal["order_completed", "order_cancelled"]
    message: str
    created_at: datetime


class NotificationPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [EXAMPLE], "total": 1, "limit": 20, "offset": 0}]}
    )

    items: list[Notification]
    total: int
    limit: int
    offset: int
