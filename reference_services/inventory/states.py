"""Provider states of the inventory service in test mode: its events, produced by the real
reservation use case (the kit captures them from a transaction it rolls back)."""

from __future__ import annotations

import uuid
from typing import Any

from reference_services.inventory import domain, service
from reference_services.kit.provider_states import MessageScenario, ProviderStates
from reference_services.kit.runtime import UnitOfWork

ORDERED = 2


async def _reserve(uow: UnitOfWork, params: dict[str, Any], *, in_stock: int) -> None:
    product_id = str(params.get("productId") or uuid.uuid4())
    await service.restock(uow.conn, product_id, in_stock)
    await service.reserve_for_order(
        uow,
        order_id=str(params.get("orderId") or uuid.uuid4()),
        user_id=str(params.get("userId") or uuid.uuid4()),
        items=[domain.Line(product_id, ORDERED)],
    )


async def _reserved(uow: UnitOfWork, params: dict[str, Any]) -> None:
    await _reserve(uow, params, in_stock=ORDERED)


async def _short(uow: UnitOfWork, params: dict[str, Any]) -> None:
    await _reserve(uow, params, in_stock=ORDERED - 1)


STATES = ProviderStates(
    messages={
        "stock is reserved for a paid order": MessageScenario("inventory.reserved", _reserved),
        "stock is short for a paid order": MessageScenario("inventory.rejected", _short),
    }
)
