"""Inventory use cases: reserve stock for a paid order, restock, read stock."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from reference_services.inventory import domain, messages
from reference_services.inventory.tables import rejections, reservations, stock
from reference_services.kit.errors import NotFound
from reference_services.kit.runtime import UnitOfWork


def _level(row: Any) -> domain.Stock:
    return domain.Stock(row.product_id, row.available, row.reserved)


def _public(level: domain.Stock) -> dict[str, Any]:
    return {
        "product_id": level.product_id,
        "available": level.available,
        "reserved": level.reserved,
    }


# Built once: they run for every order the saga reserves stock for.
_LOCKED_STOCK = (
    select(stock)
    .where(stock.c.product_id.in_(bindparam("product_ids", expanding=True)))
    .order_by(stock.c.product_id)
    .with_for_update()
)
_DECISIONS = tuple(
    select(table.c.order_id).where(table.c.order_id == bindparam("order_id"))
    for table in (reservations, rejections)
)
_SET_LEVEL = (
    stock.update()
    .where(stock.c.product_id == bindparam("level_of"))
    .values(
        available=bindparam("new_available"),
        reserved=bindparam("new_reserved"),
        updated_at=bindparam("now"),
    )
)


async def _locked_stock(conn: AsyncConnection, product_ids: Sequence[str]) -> dict[str, Any]:
    """Current stock rows, locked in id order (PostgreSQL; SQLite serialises writers)."""
    ids = {"product_ids": sorted(set(product_ids))}
    return {row.product_id: _level(row) for row in await conn.execute(_LOCKED_STOCK, ids)}


async def _already_decided(conn: AsyncConnection, order_id: str) -> bool:
    for query in _DECISIONS:
        if (await conn.execute(query, {"order_id": order_id})).first() is not None:
            return True
    return False


async def reserve_for_order(
    uow: UnitOfWork, *, order_id: str, user_id: str, items: Sequence[domain.Line]
) -> None:
    """Reserve every line or none, record the decision and announce it (once per order)."""
    if await _already_decided(uow.conn, order_id):
        return
    current = await _locked_stock(uow.conn, [line.product_id for line in items])
    outcome = domain.plan_reservation(current, items)
    now = datetime.now(UTC)
    lines_json = json.dumps(messages.stock_lines(items))
    if isinstance(outcome, domain.Rejected):
        rejection = {
            "order_id": order_id,
            "user_id": user_id,
            "reason": outcome.reason,
            "items": lines_json,
            "created_at": now,
        }
        await uow.conn.execute(rejections.insert(), rejection)
        payload = messages.inventory_rejected(
            order_id=order_id, user_id=user_id, reason=outcome.reason, items=items
        )
        await uow.publish("inventory.rejected", key=order_id, payload=payload)
        return
    levels = [
        {
            "level_of": level.product_id,
            "new_available": level.available,
            "new_reserved": level.reserved,
            "now": now,
        }
        for level in outcome.levels
    ]
    await uow.conn.execute(_SET_LEVEL, levels)
    reservation_id = str(uuid.uuid4())
    reservation = {
        "id": reservation_id,
        "order_id": order_id,
        "user_id": user_id,
        "items": lines_json,
        "created_at": now,
    }
    await uow.conn.execute(reservations.insert(), reservation)
    payload = messages.inventory_reserved(
        reservation_id=reservation_id, order_id=order_id, user_id=user_id, items=items
    )
    await uow.publish("inventory.reserved", key=order_id, payload=payload)


async def get_stock(conn: AsyncConnection, product_id: str) -> dict[str, Any]:
    row = (await conn.execute(select(stock).where(stock.c.product_id == product_id))).first()
    if row is None:
        raise NotFound(f"product {product_id} has no stock record", product_id=product_id)
    return _public(_level(row))


async def restock(conn: AsyncConnection, product_id: str, quantity: int) -> dict[str, Any]:
    """Add units to what is available, creating the product's stock row if absent."""
    for _attempt in range(2):
        current = (await _locked_stock(conn, [product_id])).get(product_id)
        level = domain.restock(current, product_id=product_id, quantity=quantity)
        values = {"available": level.available, "reserved": level.reserved}
        now = datetime.now(UTC)
        if current is not None:
            await conn.execute(
                stock.update()
                .where(stock.c.product_id == product_id)
                .values(**values, updated_at=now)
            )
            return _public(level)
        try:
            async with conn.begin_nested():
                await conn.execute(
                    stock.insert().values(product_id=product_id, **values, updated_at=now)
                )
            return _public(level)
        except IntegrityError:  # a concurrent restock created the row: add to it instead
            continue
    raise RuntimeError(f"could not restock {product_id}: its stock row keeps changing")
