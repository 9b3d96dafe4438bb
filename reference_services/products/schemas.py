"""The products API's request and response bodies (must match contracts/openapi/products.yaml)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from reference_services.kit.params import JsonInt, OptionalJsonInt, RequestBody

MAX_PRICE_CENTS = 100_000_000
Sku = Field(min_length=1, max_length=64, pattern=r"^[A-Z0-9][A-Z0-9-]*$")


class ProductCreate(RequestBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "sku": "MUG-001",
                    "name": "Coffee mug",
                    "description": "350 ml, stoneware",
                    "price_cents": 1250,
                    "currency": "EUR",
                }
            ]
        },
    )

    sku: str = Sku
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    price_cents: JsonInt = Field(ge=0, le=MAX_PRICE_CENTS)
    currency: Literal["EUR"] = "EUR"


class ProductUpdate(RequestBody):
    model_config = ConfigDict(json_schema_extra={"examples": [{"price_cents": 1100}]})

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    price_cents: OptionalJsonInt = Field(default=None, ge=0, le=MAX_PRICE_CENTS)


EXAMPLE_PRODUCT: dict[str, Any] = {
    "id": "6f1c2a8e-3b0d-4f7a-9c55-2d7e8a1b4c90",
    "sku": "MUG-001",
    "name": "Coffee mug",
    "description": "350 ml, stoneware",
    "price_cents": 1250,
    "currency": "EUR",
    "created_at": "2026-11-25T10:00:00Z",
    "updated_at": "2026-11-25T10:00:00Z",
}


class Product(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_PRODUCT]})

    id: str
    sku: str
    name: str
    description: str
    price_cents: int
    currency: Literal["EUR"]
    created_at: datetime
    updated_at: datetime


class ProductPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"items": [EXAMPLE_PRODUCT], "total": 1, "limit": 20, "offset": 0}]
        }
    )

    items: list[Product]
    total: int
    limit: int
    offset: int
