"""The orders API's bodies (must match contracts/openapi/orders.yaml)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from reference_services.kit.params import JsonInt, RequestBody

UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


class OrderLineIn(RequestBody):
    product_id: str = Field(pattern=UUID_PATTERN)
    quantity: JsonInt = Field(ge=1, le=100)


class OrderCreate(RequestBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {"product_id": "6f1c2a8e-3b0d-4f7a-9c55-2d7e8a1b4c90", "quantity": 2}
                    ],
                    "payment_token": "tok_visa",
                }
            ]
        },
    )

    items: list[OrderLineIn] = Field(min_length=1, max_length=20)
    payment_token: str = Field(pattern=r"^tok_[a-z0-9_]{1,60}$")

    @field_validator("items")
    @classmethod
    def _distinct_products(cls, items: list[OrderLineIn]) -> list[OrderLineIn]:
        ids = [line.product_id for line in items]
        if len(ids) != len(set(ids)):
            raise ValueError("each product may appear once; put the total in quantity")
        return items


class OrderLine(BaseModel):
    product_id: str
    quantity: int
    unit_price_cents: int


EXAMPLE_ORDER: dict[str, Any] = {
    "id": "c3d9a1f0-8e2b-4c7d-9a6f-1b2e3d4c5f60",
    "user_id": "0b7e3f52-5c1d-4e8a-8f0e-7d9c2b1a6e34",
    "status": "PENDING",
    "cancel_reason": None,
    "items": [
        {
            "product_id": "6f1c2a8e-3b0d-4f7a-9c55-2d7e8a1b4c90",
            "quantity": 2,
            "unit_price_cents": 1250,
        }
    ],
    "total_cents": 2500,
    "currency": "EUR",
    "created_at": "2026-11-25T10:00:00Z",
    "updated_at": "2026-11-25T10:00:00Z",
}


class Order(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_ORDER]})

    id: str
    user_id: str
    status: Literal["PENDING", "COMPLETED", "CANCELLED"]
    cancel_reason: Literal["payment_declined", "out_of_stock"] | None
    items: list[OrderLine]
    total_cents: int
    currency: Literal["EUR"]
    created_at: datetime
    updated_at: datetime


class OrderPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"items": [EXAMPLE_ORDER], "total": 1, "limit": 20, "offset": 0}]
        }
    )

    items: list[Order]
    total: int
    limit: int
    offset: int
