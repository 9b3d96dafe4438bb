"""Provider states the products service can set up in test mode (contract verification).

Ids and SKUs come from the pact (the state's params); each state is an upsert or a
removal, so verifying twice against the same system needs no cleanup.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete

from reference_services.kit.provider_states import ProviderStates
from reference_services.kit.runtime import Runtime
from reference_services.products import service
from reference_services.products.schemas import ProductCreate
from reference_services.products.tables import products


async def product_exists(runtime: Runtime, params: dict[str, Any]) -> dict[str, Any]:
    """The product ``params['productId']`` exists with the example values (reset if changed)."""
    product_id = str(params["productId"])
    data = ProductCreate(
        sku=str(params.get("sku") or f"PACT-{product_id[:8].upper()}"),
        name=str(params.get("name", "Coffee mug")),
        description=str(params.get("description", "350 ml, stoneware")),
        price_cents=int(params.get("priceCents", 1250)),
    )
    async with runtime.unit_of_work() as uow:
        await uow.conn.execute(
            delete(products).where((products.c.id == product_id) | (products.c.sku == data.sku))
        )
        created = await service.create_product(uow.conn, data)
        await uow.conn.execute(
            products.update().where(products.c.id == created["id"]).values(id=product_id)
        )
    return {"productId": product_id}


async def product_absent(runtime: Runtime, params: dict[str, Any]) -> dict[str, Any]:
    async with runtime.unit_of_work() as uow:
        await uow.conn.execute(delete(products).where(products.c.id == str(params["productId"])))
    return {}


async def sku_unused(runtime: Runtime, params: dict[str, Any]) -> dict[str, Any]:
    async with runtime.unit_of_work() as uow:
        await uow.conn.execute(delete(products).where(products.c.sku == str(params["sku"])))
    return {}


STATES = ProviderStates(
    setups={
        "a product exists": product_exists,
        "no product has the id": product_absent,
        "no product uses the SKU": sku_unused,
    }
)
