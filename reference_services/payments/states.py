"""Provider states of the payments service in test mode: its events, produced by the real
charge use case (the kit captures them from a transaction it rolls back)."""

from __future__ import annotations

import uuid
from typing import Any

from reference_services.kit.provider_states import MessageScenario, ProviderStates
from reference_services.kit.runtime import UnitOfWork
from reference_services.payments import domain, service


async def _charge(uow: UnitOfWork, params: dict[str, Any], *, token: str) -> None:
    await service.charge_order(
        uow,
        order_id=str(params.get("orderId") or uuid.uuid4()),
        user_id=str(params.get("userId") or uuid.uuid4()),
        amount_cents=int(params.get("amountCents", 2500)),
        currency="EUR",
        payment_token=str(params.get("paymentToken", token)),
        items=[domain.Line(str(params.get("productId") or uuid.uuid4()), 2)],
    )


async def _captured(uow: UnitOfWork, params: dict[str, Any]) -> None:
    await _charge(uow, params, token="tok_visa")


async def _declined(uow: UnitOfWork, params: dict[str, Any]) -> None:
    await _charge(uow, params, token=domain.DECLINE_TOKEN_PREFIX)


STATES = ProviderStates(
    messages={
        "an order's payment is captured": MessageScenario("payment.processed", _captured),
        "an order's payment is declined": MessageScenario("payment.failed", _declined),
    }
)
