"""payment.processed arriving on Kafka; thin: validate the payload, call the service.

The model forbids unknown fields, as the event contract does: a payload that does not
match raises ValidationError and the kit dead-letters the record with the reason.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from reference_services.inventory import domain, service
from reference_services.kit.events import IncomingEvent
from reference_services.kit.runtime import UnitOfWork

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
Uuid = Annotated[str, Field(pattern=UUID_PATTERN), AfterValidator(str.lower)]


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StockLine(_Payload):
    product_id: Uuid
    quantity: int = Field(ge=1)


class PaymentProcessed(_Payload):
    payment_id: Uuid
    order_id: Uuid
    user_id: Uuid
    amount_cents: int = Field(ge=0)
    currency: Literal["EUR"]
    items: list[StockLine] = Field(min_length=1)


async def on_payment_processed(uow: UnitOfWork, event: IncomingEvent) -> None:
    paid = PaymentProcessed.model_validate(event.payload)
    await service.reserve_for_order(
        uow,
        order_id=paid.order_id,
        user_id=paid.user_id,
        items=[domain.Line(x.product_id, x.quantity) for x in paid.items],
    )


HANDLERS = {"payment.processed": on_payment_processed}
