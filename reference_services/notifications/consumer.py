"""order.completed and order.cancelled arriving on Kafka; thin: validate, call the service.

The models forbid unknown fields, as the event contract does: a payload that does not
match raises ValidationError and the kit dead-letters the record with the reason.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from reference_services.kit.events import IncomingEvent
from reference_services.kit.runtime import UnitOfWork
from reference_services.notifications import domain, service

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
Uuid = Annotated[str, Field(pattern=UUID_PATTERN), AfterValidator(str.lower)]


class OrderCompleted(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    order_id: Uuid
    user_id: Uuid
    total_cents: int = Field(ge=0)
    currency: Literal["EUR"]


class OrderCancelled(OrderCompleted):
    reason: Literal["payment_declined", "out_of_stock"]


async def on_order_completed(uow: UnitOfWork, event: IncomingEvent) -> None:
    order = OrderCompleted.model_validate(event.payload)
    await service.notify(uow, kind=domain.ORDER_COMPLETED, **order.model_dump())


async def on_order_cancelled(uow: UnitOfWork, event: IncomingEvent) -> None:
    order = OrderCancelled.model_validate(event.payload)
    await service.notify(uow, kind=domain.ORDER_CANCELLED, **order.model_dump())


HANDLERS = {
    "order.completed": on_order_completed,
    "order.cancelled": on_order_cancelled,
}
