"""Payment use cases: charge an order, refund it (compensation), read payments."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, bindparam, select, true
from sqlalchemy.ext.asyncio import AsyncConnection

from reference_services.kit.auth import Principal
from reference_services.kit.errors import NotFound
from reference_services.kit.events import PoisonMessage
from reference_services.kit.runtime import UnitOfWork
from reference_services.payments import domain, messages
from reference_services.payments.tables import payments


def _public(row: Any) -> dict[str, Any]:
    data = dict(row._mapping)
    for name in ("created_at", "updated_at"):
        data[name] = _utc(data[name])
    return data


def _utc(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


_BY_ORDER = (
    select(payments).where(payments.c.order_id == bindparam("order_id")).with_for_update()
)  # built once: it runs for every order the saga charges


async def _by_order(conn: AsyncConnection, order_id: str) -> Row[Any] | None:
    return (await conn.execute(_BY_ORDER, {"order_id": order_id})).first()


async def charge_order(
    uow: UnitOfWork,
    *,
    order_id: str,
    user_id: str,
    amount_cents: int,
    currency: str,
    payment_token: str,
    items: Sequence[domain.Line],
) -> None:
    """Charge by the decline rules, store the payment and announce the outcome."""
    existing = await _by_order(uow.conn, order_id)
    if existing is not None:
        if (existing.user_id, existing.amount_cents) != (user_id, amount_cents):
            raise PoisonMessage(
                f"order {order_id} was already charged for user {existing.user_id} and "
                f"{existing.amount_cents} cents; this order.created disagrees"
            )
        return  # the order was published again: it is charged once
    decision = domain.decide_charge(payment_token=payment_token, amount_cents=amount_cents)
    now = datetime.now(UTC)
    payment_id = str(uuid.uuid4())
    row = {
        "id": payment_id,
        "order_id": order_id,
        "user_id": user_id,
        "amount_cents": amount_cents,
        "currency": currency,
        "status": decision.status,
        "decline_reason": decision.decline_reason,
        "refund_reason": None,
        "created_at": now,
        "updated_at": now,
    }
    await uow.conn.execute(payments.insert(), row)  # parameters at execution: compiled once
    common: dict[str, Any] = {
        "payment_id": payment_id,
        "order_id": order_id,
        "user_id": user_id,
        "amount_cents": amount_cents,
        "currency": currency,
    }
    if decision.captured:
        payload = messages.payment_processed(**common, items=items)
        await uow.publish("payment.processed", key=order_id, payload=payload)
    else:
        payload = messages.payment_failed(**common, reason=decision.decline_reason or "")
        await uow.publish("payment.failed", key=order_id, payload=payload)


async def refund_order(uow: UnitOfWork, *, order_id: str) -> None:
    """Refund the order's captured payment once; a repeated rejection changes nothing."""
    row = await _by_order(uow.conn, order_id)
    if row is None:
        raise PoisonMessage(
            f"inventory.rejected for order {order_id}, but payments has no payment for "
            "that order, so there is nothing to refund"
        )
    try:
        due = domain.refund_due(row.status)
    except domain.NotRefundable as exc:
        raise PoisonMessage(f"cannot refund order {order_id}: {exc}") from exc
    if not due:
        return
    await uow.conn.execute(
        payments.update()
        .where(payments.c.id == row.id)
        .values(
            status=domain.REFUNDED,
            refund_reason=domain.INVENTORY_REJECTED,
            updated_at=datetime.now(UTC),
        )
    )
    payload = messages.payment_refunded(
        payment_id=row.id,
        order_id=order_id,
        user_id=row.user_id,
        amount_cents=row.amount_cents,
        currency=row.currency,
        reason=domain.INVENTORY_REJECTED,
    )
    await uow.publish("payment.refunded", key=order_id, payload=payload)


def _visible_to(principal: Principal) -> ColumnElement[bool]:
    return true() if principal.is_admin else payments.c.user_id == principal.user_id


async def get_payment(
    conn: AsyncConnection, principal: Principal, payment_id: str
) -> dict[str, Any]:
    query = select(payments).where(payments.c.id == payment_id, _visible_to(principal))
    row = (await conn.execute(query)).first()
    if row is None:  # another user's payment is reported exactly like a missing one
        raise NotFound(f"payment {payment_id} does not exist")
    return _public(row)


async def list_payments(
    conn: AsyncConnection, principal: Principal, *, order_id: str
) -> list[dict[str, Any]]:
    query = (
        select(payments)
        .where(payments.c.order_id == order_id, _visible_to(principal))
        .order_by(payments.c.created_at, payments.c.id)
    )
    return [_public(row) for row in await conn.execute(query)]
