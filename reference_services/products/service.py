"""Product use cases over a database connection."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from reference_services.kit.db import with_utc
from reference_services.kit.errors import Conflict, NotFound
from reference_services.products.schemas import ProductCreate, ProductUpdate
from reference_services.products.tables import products


def _public(row: Any) -> dict[str, Any]:
    return with_utc(dict(row._mapping), "created_at", "updated_at")


async def get_product(conn: AsyncConnection, product_id: str) -> dict[str, Any]:
    row = (await conn.execute(select(products).where(products.c.id == product_id))).first()
    if row is None:
        raise NotFound(f"product {product_id} does not exist", product_id=product_id)
    return _public(row)


async def list_products(conn: AsyncConnection, *, limit: int, offset: int) -> dict[str, Any]:
    total = (await conn.execute(select(func.count()).select_from(products))).scalar_one()
    rows = await conn.execute(
        select(products).order_by(products.c.created_at, products.c.id).limit(limit).offset(offset)
    )
    return {
        "items": [_public(r) for r in rows],
        "total": total,
        "limit": limit,
        "offset": offset,
    }


async def create_product(conn: AsyncConnection, data: ProductCreate) -> dict[str, Any]:
    now = datetime.now(UTC)
    values = {"id": str(uuid.uuid4()), **data.model_dump(), "created_at": now, "updated_at": now}
    try:
        async with conn.begin_nested():
            await conn.execute(products.insert().values(**values))
    except IntegrityError as exc:
        raise Conflict(f"a product with sku {data.sku} already exists", sku=data.sku) from exc
    return values


async def update_product(
    conn: AsyncConnection,
    product_id: str,
    data: ProductUpdate,
) -> dict[str, Any]:
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    current = await get_product(conn, product_id)
    if changes:
        changes["updated_at"] = datetime.now(UTC)
        await conn.execute(products.update().where(products.c.id == product_id).values(**changes))
    return {**current, **changes}
