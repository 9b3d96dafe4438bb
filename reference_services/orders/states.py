"""Provider states of the orders service in test mode (contract verification).

HTTP states write orders directly (no event: the saga must not pick them up). Message
states run the real use cases (place, then settle), whose events the kit captures from
a transaction it rolls back.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete

from reference_services.kit.provider_states import MessageScenario, ProviderStates
from reference_services.kit.runtime import Runtime, UnitOfWork
from reference_services.orders import domain, service
from reference_services.orders.schemas import OrderCreate, OrderLineIn
from reference_services.orders.tables import orders

EXAMPLE_PRICE_CENTS = 1250


def _line(params: dict[str, Any]) -> domain.Line:
    product_id = str(params.get("productId") or uuid.uuid4())
    return domain.Line(product_id, int(params.get("quantity", 2)), EXAMPLE_PRICE_CENTS)


async def customer_has_order(runtime: Runtime, params: dict[str, Any]) -> dict[str, Any]:
    """The pending order ``params['orderId']`` of customer ``params['userId']``; with
    ``idempotencyKey`` it is the order that key placed (a repeat is a replay)."""
    order_id, user_id, line = str(params["orderId"]), str(params["userId"]), _line(params)
    key = params.get("idempotencyKey")
    placed = OrderCreate(
        items=[OrderLineIn(product_id=line.product_id, quantity=line.quantity)],
        payment_token=str(params.get("paymentToken", "tok_visa")),
    )
    same = orders.c.id == order_id
    if key:  # the key may be taken by an order of an earlier run
        same |= (orders.c.user_id == user_id) & (orders.c.idempotency_key == key)
    now = datetime.now(UTC)
    async with runtime.unit_of_work() as uow:
        await uow.conn.execute(delete(orders).where(same))
        await uow.conn.execute(
            orders.insert().values(
                id=order_id,
                user_id=user_id,
                status=domain.PENDING,
                total_cents=domain.order_total([line]),
                currency=service.CURRENCY,
                items=json.dumps([asdict(line)]),
                idempotency_key=key,
                request_hash=service.request_fingerprint(placed),
                created_at=now,
                updated_at=now,
            )
        )
    return {"orderId": order_id}


async def _place(uow: UnitOfWork, params: dict[str, Any]) -> str:
    order = await service.insert_order(
        uow,
        user_id=str(params.get("userId") or uuid.uuid4()),
        lines=[_line(params)],
        payment_token=str(params.get("paymentToken", "tok_visa")),
        key=None,
        fingerprint="provider-state",
    )
    return str(order["id"])


async def _complete(uow: UnitOfWork, params: dict[str, Any]) -> None:
    order_id = await _place(uow, params)
    await service.settle(uow, order_id=order_id, target=domain.COMPLETED, reason=None)


async def _cancel(uow: UnitOfWork, params: dict[str, Any]) -> None:
    order_id = await _place(uow, params)
    reason = str(params.get("reason", "out_of_stock"))
    await service.settle(uow, order_id=order_id, target=domain.CANCELLED, reason=reason)


async def _placed(uow: UnitOfWork, params: dict[str, Any]) -> None:
    await _place(uow, params)


STATES = ProviderStates(
    setups={"the customer has an order": customer_has_order},
    messages={
        "an order is placed": MessageScenario("order.created", _placed),
        "an order is completed": MessageScenario("order.completed", _complete),
        "an order is cancelled": MessageScenario("order.cancelled", _cancel),
    },
)
