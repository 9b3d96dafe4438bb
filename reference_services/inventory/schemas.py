"""The inventory API's request and response bodies."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from reference_services.inventory.domain import MAX_RESTOCK
from reference_services.kit.params import JsonInt, RequestBody


class Restock(RequestBody):
    model_config = ConfigDict(json_schema_extra={"examples": [{"quantity": 10}]})

    quantity: JsonInt = Field(ge=1, le=MAX_RESTOCK, description="Units to add to what is available")


class StockLevel(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "product_id": "6f1c2a8e-3b0d-4f7a-9c55-2d7e8a1b4c90",
                    "available": 8,
                    "reserved": 2,
                }
            ]
        }
    )

    product_id: str
    available: int = Field(ge=0)
    reserved: int = Field(ge=0)
