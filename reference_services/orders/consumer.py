"""Saga outcomes arriving on Kafka; thin: validate the payload, call the service."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from reference_services.kit.events import IncomingEvent
from reference_services.kit.runtime import UnitOfWork
from reference_services.orders import domain, service


class OrderOutcome(BaseModel):
    """The fields orders reads from payment.failed and inventory.* (a tolerant reader)."""

    model_config = ConfigDict(extra="ignore")

    order_id: str
    user_id: str


async def on_payment_failed(uow: UnitOfWork, event: IncomingEvent) -> None:
    outcome = OrderOutcome.model_validate(event.payload)
    await service.settle(
        uow, order_id=outcome.order_id, target=domain.CANCELLED, reason="payment_declined"
    )


async def on_inventory_reserved(uow: UnitOfWork, event: IncomingEvent) -> None:
    outcome = OrderOutcome.model_validate(event.payload)
    await service.settle(uow, order_id=outcome.order_id, target=domain.COMPLETED, reason=None)


async def on_inventory_rejected(uow: UnitOfWork, event: IncomingEvent) -> None:
    outcome = OrderOutcome.model_validate(event.payload)
    await service.settle(
        uow, order_id=outcome.order_id, target=domain.CANCELLED, reason="out_of_stock"
    )


HANDLERS = {
    "payment.failed": on_payment_failed,
    "inventory.reserved": on_inventory_reserved,
    "inventory.rejected": on_inventory_rejected,
}
