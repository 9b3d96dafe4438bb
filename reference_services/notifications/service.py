"""Notification use cases: record one per order outcome, list the caller's."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from reference_services.kit.auth import Principal
from reference_services.kit.events import PoisonMessage
from reference_services.kit.runtime import UnitOfWork
from reference_services.notifications import domain
from reference_services.notifications.tables import notifications

_SENT = select(notifications.c.id).where(
    notifications.c.order_id == bindparam("order_id"), notifications.c.kind == bindparam("kind")
)  # built once, like the other statements on the saga's path


def _public(row: Any) -> dict[str, Any]:
    data = dict(row._mapping)
    moment: datetime = data["created_at"]
    if moment.tzinfo is None:  # SQLite hands it back without its zone; it was written in UTC
        data["created_at"] = moment.replace(tzinfo=UTC)
    return data


async def notify(
    uow: UnitOfWork,
    *,
    kind: str,
    order_id: str,
    user_id: str,
    total_cents: int,
    currency: str,
    reason: str | None = None,
) -> None:
    """Store the notification for an order outcome; one per (order, kind), ever."""
    if (await uow.conn.execute(_SENT, {"order_id": order_id, "kind": kind})).first() is not None:
        return  # the same outcome published again (a new event id): already notified
    try:
        message = domain.compose(
            kind, order_id=order_id, total_cents=total_cents, currency=currency, reason=reason
        )
    except domain.UnknownReason as exc:
        raise PoisonMessage(str(exc)) from exc
    values = {
        "id": str(uuid.uuid4()),
        "user_id": user_id,
        "order_id": order_id,
        "kind": kind,
        "message": message,
        "created_at": datetime.now(UTC),
    }
    try:
        async with uow.conn.begin_nested():
            await uow.conn.execute(notifications.insert(), values)
    except IntegrityError:
        return  # a concurrent delivery of the same outcome won the race


async def list_notifications(
    conn: AsyncConnection, principal: Principal, *, limit: int, offset: int
) -> dict[str, Any]:
    mine = notifications.c.user_id == principal.user_id
    total = (
        await conn.execute(select(func.count()).select_from(notifications).where(mine))
    ).scalar_one()
    rows = await conn.execute(
        select(notifications)
        .where(mine)
        .order_by(notifications.c.created_at.desc(), notifications.c.id)
        .limit(limit)
        .offset(offset)
    )
    return {
        "items": [_public(r) for r in rows],
        "total": total,
        "limit": limit,
        "offset": offset,
    }
