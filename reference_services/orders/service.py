"""Order use cases: place (idempotent, validated synchronously), read, and saga outcomes."""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from reference_services.kit.auth import Principal
from reference_services.kit.db import with_utc
from reference_services.kit.errors import DependencyUnavailable, InvalidInput, NotFound
from reference_services.kit.events import PoisonMessage
from reference_services.kit.runtime import Runtime, UnitOfWork
from reference_services.orders import domain, messages
from reference_services.orders.schemas import OrderCreate
from reference_services.orders.tables import orders

CURRENCY = "EUR"
_BY_IDEMPOTENCY_KEY = select(orders).where(
    orders.c.user_id == bindparam("user_id"), orders.c.idempotency_key == bindparam("key")
)  # built once, as the other statements on every order's path
_BY_ID = select(orders).where(orders.c.id == bindparam("order_id"))
_SETTLE = (
    orders.update()
    .where(orders.c.id == bindparam("order_id"))
    .values(
        status=bindparam("to_status"),
        cancel_reason=bindparam("reason"),
        updated_at=bindparam("now"),
    )
)


def request_fingerprint(body: OrderCreate) -> str:
    canonical = json.dumps(body.model_dump(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _public(row: Any) -> dict[str, Any]:
    data = dict(row._mapping)
    data["items"] = json.loads(data["items"])
    for internal in ("idempotency_key", "request_hash"):
        data.pop(internal, None)
    return with_utc(data, "created_at", "updated_at")


async def find_by_key(
    conn: AsyncConnection,
    *,
    user_id: str,
    key: str,
    fingerprint: str,
) -> dict[str, Any] | None:
    params = {"user_id": user_id, "key": key}
    row = (await conn.execute(_BY_IDEMPOTENCY_KEY, params)).first()
    if row is None:
        return None
    if row.request_hash != fingerprint:
        raise InvalidInput(
            f"Idempotency-Key {key!r} was already used for a different request; "
            "use a new key for a new order"
        )
    return _public(row)


async def price_lines(
    runtime: Runtime,
    principal: Principal,
    authorization: str,
    body: OrderCreate,
) -> list[domain.Line]:
    """Check the user and every product with their owners; price the lines."""
    headers = {"authorization": authorization}
    user_call = runtime.client("users").request(
        "GET", f"/users/{principal.user_id}", headers=headers
    )
    product_calls = [
        runtime.client("products").request("GET", f"/products/{line.product_id}")
        for line in body.items
    ]
    user, *products = await asyncio.gather(user_call, *product_calls)
    if user.status_code != 200:
        raise InvalidInput(f"user {principal.user_id} is not known to the users service")
    lines = []
    for line, response in zip(body.items, products, strict=True):
        if response.status_code == 404:
            raise InvalidInput(
                f"product {line.product_id} does not exist", product_id=line.product_id
            )
        if response.status_code != 200:
            raise DependencyUnavailable(
                f"products answered {response.status_code}", retry_after=1, dependency="products"
            )
        price = int(response.json()["price_cents"])
        lines.append(domain.Line(line.product_id, line.quantity, price))
    return lines


async def insert_order(
    uow: UnitOfWork,
    *,
    user_id: str,
    lines: list[domain.Line],
    payment_token: str,
    key: str | None,
    fingerprint: str,
) -> dict[str, Any]:
    now = datetime.now(UTC)
    order_id = str(uuid.uuid4())
    total = domain.order_total(lines)
    items = [
        {"product_id": x.product_id, "quantity": x.quantity, "unit_price_cents": x.unit_price_cents}
        for x in lines
    ]
    row = {
        "id": order_id,
        "user_id": user_id,
        "status": domain.PENDING,
        "cancel_reason": None,
        "total_cents": total,
        "currency": CURRENCY,
        "items": json.dumps(items),
        "idempotency_key": key,
        "request_hash": fingerprint,
        "created_at": now,
        "updated_at": now,
    }
    # parameters passed at execution: the compiled INSERT is reused (no .values() per call)
    await uow.conn.execute(orders.insert(), row)
    await uow.publish(
        "order.created",
        key=order_id,
        payload=messages.order_created(
            order_id=order_id,
            user_id=user_id,
            lines=lines,
            total_cents=total,
            currency=CURRENCY,
            payment_token=payment_token,
        ),
    )
    return {
        "id": order_id,
        "user_id": user_id,
        "status": domain.PENDING,
        "cancel_reason": None,
        "items": items,
        "total_cents": total,
        "currency": CURRENCY,
        "created_at": now,
        "updated_at": now,
    }


async def place_order(
    runtime: Runtime,
    principal: Principal,
    *,
    authorization: str,
    body: OrderCreate,
    key: str | None,
) -> tuple[dict[str, Any], bool]:
    """Returns the order and whether it was a replay of an earlier request with this key."""
    fingerprint = request_fingerprint(body)
    if key:
        async with runtime.db_reading() as conn:
            existing = await find_by_key(
                conn, user_id=principal.user_id, key=key, fingerprint=fingerprint
            )
        if existing:
            return existing, True
    lines = await price_lines(runtime, principal, authorization, body)
    try:
        async with runtime.unit_of_work() as uow:
            order = await insert_order(
                uow,
                user_id=principal.user_id,
                lines=lines,
                payment_token=body.payment_token,
                key=key,
                fingerprint=fingerprint,
            )
    except IntegrityError:  # the same key raced in from a concurrent request
        async with runtime.db_reading() as conn:
            existing = await find_by_key(
                conn, user_id=principal.user_id, key=key or "", fingerprint=fingerprint
            )
        if existing is None:
            raise
        return existing, True
    return order, False


async def get_order(conn: AsyncConnection, principal: Principal, order_id: str) -> dict[str, Any]:
    row = (await conn.execute(_BY_ID, {"order_id": order_id})).first()
    if row is None or (row.user_id != principal.user_id and not principal.is_admin):
        raise NotFound(f"order {order_id} does not exist")
    return _public(row)


async def list_orders(
    conn: AsyncConnection,
    principal: Principal,
    *,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    mine = orders.c.user_id == principal.user_id
    total = (await conn.execute(select(func.count()).select_from(orders).where(mine))).scalar_one()
    rows = await conn.execute(
        select(orders)
        .where(mine)
        .order_by(orders.c.created_at.desc(), orders.c.id)
        .limit(limit)
        .offset(offset)
    )
    return {"items": [_public(r) for r in rows], "total": total, "limit": limit, "offset": offset}


async def settle(uow: UnitOfWork, *, order_id: str, target: str, reason: str | None) -> None:
    """Move a pending order to its outcome and announce it; a redelivery changes nothing."""
    row = (await uow.conn.execute(_BY_ID, {"order_id": order_id})).first()
    if row is None:
        raise PoisonMessage(f"order {order_id} does not exist")
    try:
        status = domain.next_status(row.status, target)
    except domain.IllegalTransition as exc:
        raise PoisonMessage(str(exc)) from exc
    if status is None:
        return
    changes = {"order_id": order_id, "to_status": status, "reason": reason}
    await uow.conn.execute(_SETTLE, {**changes, "now": datetime.now(UTC)})
    common = {
        "order_id": order_id,
        "user_id": row.user_id,
        "total_cents": row.total_cents,
        "currency": row.currency,
    }
    if status == domain.COMPLETED:
        await uow.publish(
            "order.completed", key=order_id, payload=messages.order_completed(**common)
        )
    else:
        await uow.publish(
            "order.cancelled",
            key=order_id,
            payload=messages.order_cancelled(**common, reason=reason or ""),
        )
