"""order.created and inventory.rejected arriving on Kafka; thin: validate, call the service.

The models forbid unknown fields, as the event contract does: a payload that does not
match raises ValidationError and the kit dead-letters the record with the reason.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from reference_services.kit.events import IncomingEvent
from reference_services.kit.runtime import UnitOfWork
from reference_services.payments import domain, service

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
Uuid = Annotated[str, Field(pattern=UUID_PATTERN), AfterValidator(str.lower)]
MAX_CENTS = 2**63 - 1  # what the database can store


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OrderLine(_Payload):
    product_id: Uuid
    quantity: int = Field(ge=1)
    unit_price_cents: int = Field(ge=0, le=MAX_CENTS)


class OrderCreated(_Payload):
    order_id: Uuid
    user_id: Uuid
    items: list[OrderLine] = Field(min_length=1)
    total_cents: int = Field(ge=0, le=MAX_CENTS)
    currency: Literal["EUR"]
    payment_token: str = Field(min_length=1)


class StockLine(_Payload):
    product_id: Uuid
    quantity: int = Field(ge=1)


class InventoryRejected(_Payload):
    order_id: Uuid
    user_id: Uuid
    reason: Literal["out_of_stock", "unknown_product"]
    items: list[StockLine] = Field(min_length=1)


async def on_order_created(uow: UnitOfWork, event: IncomingEvent) -> None:
    order = OrderCreated.model_validate(event.payload)
    await service.charge_order(
        uow,
        order_id=order.order_id,
        user_id=order.user_id,
        amount_cents=order.total_cents,
        currency=order.currency,
        payment_token=order.payment_token,
        items=[domain.Line(x.product_id, x.quantity) for x in order.items],
    )


async def on_inventory_rejected(uow: UnitOfWork, event: IncomingEvent) -> None:
    rejected = InventoryRejected.model_validate(event.payload)
    if uow.settings.has_defect("no-compensation"):
        return
    await service.refund_order(uow, order_id=rejected.order_id)


HANDLERS = {
    "order.created": on_order_created,
    "inventory.rejected": on_inventory_rejected,
}
