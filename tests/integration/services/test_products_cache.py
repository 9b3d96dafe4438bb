"""The products service's read cache never serves a product older than its last write.

The service runs in-process on a real SQLite file; reads go through the API, writes
through the API or straight through the service's own unit of work (as provider states
do), and every read after a write must see it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import update

from reference_services.products import states
from reference_services.products.config import ProductsSettings
from reference_services.products.main import create_app
from reference_services.products.tables import products
from tests.integration.services.conftest import RunningService, new_id, running, token

pytestmark = pytest.mark.integration
ADMIN = token(new_id(), role="admin")


@pytest.fixture
async def catalog(tmp_path: Path) -> AsyncIterator[RunningService]:
    settings = ProductsSettings(test_mode=True, data_dir=tmp_path)
    async with running(create_app(settings)) as service:
        yield service


async def _create(catalog: RunningService, sku: str, price: int) -> str:
    body = {"sku": sku, "name": "Cached mug", "price_cents": price}
    created = await catalog.http.post("/products", json=body, headers=ADMIN)
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def _price(catalog: RunningService, product_id: str) -> int:
    response = await catalog.http.get(f"/products/{product_id}")
    assert response.status_code == 200, response.text
    return int(response.json()["price_cents"])


async def test_a_change_through_the_api_is_read_back_at_once(catalog: RunningService) -> None:
    product_id = await _create(catalog, "CACHE-1", 1000)
    assert await _price(catalog, product_id) == 1000
    assert catalog.runtime.read_cache.get(f"product:{product_id}") is not None, (
        "the read was cached"
    )
    changed = await catalog.http.patch(
        f"/products/{product_id}", json={"price_cents": 1100}, headers=ADMIN
    )
    assert changed.status_code == 200
    assert await _price(catalog, product_id) == 1100


async def test_any_write_through_a_unit_of_work_drops_cached_reads(
    catalog: RunningService,
) -> None:
    product_id = await _create(catalog, "CACHE-2", 2000)
    assert await _price(catalog, product_id) == 2000
    async with catalog.runtime.unit_of_work() as uow:
        query = update(products).where(products.c.id == product_id).values(price_cents=2500)
        await uow.conn.execute(query)
    assert await _price(catalog, product_id) == 2500


async def test_a_missing_product_is_not_remembered_as_missing(catalog: RunningService) -> None:
    product_id = new_id()
    assert (await catalog.http.get(f"/products/{product_id}")).status_code == 404
    await states.product_exists(catalog.runtime, {"productId": product_id})
    assert await _price(catalog, product_id) == 1250


async def test_the_cache_can_be_switched_off(tmp_path: Path) -> None:
    settings = ProductsSettings(test_mode=True, data_dir=tmp_path, read_cache_size=0)
    async with running(create_app(settings)) as catalog:
        product_id = await _create(catalog, "CACHE-3", 3000)
        assert await _price(catalog, product_id) == 3000
        assert len(catalog.runtime.read_cache) == 0
