from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from reference_services.inventory import service
from reference_services.inventory.schemas import Restock, StockLevel
from reference_services.kit.auth import AdminUser, CurrentUser
from reference_services.kit.openapi import problems
from reference_services.kit.params import runtime_of

router = APIRouter(prefix="/inventory", tags=["inventory"])
ProductId = Annotated[str, Path(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")]


@router.get(
    "/{product_id}",
    operation_id="getStock",
    response_model=StockLevel,
    summary="A product's stock: available and reserved units",
    responses=problems(401, 404, 422),
)
async def get_stock(request: Request, product_id: ProductId, _user: CurrentUser) -> dict[str, Any]:
    async with runtime_of(request).db_reading() as conn:
        return await service.get_stock(conn, product_id)


@router.post(
    "/{product_id}/restock",
    operation_id="restockProduct",
    response_model=StockLevel,
    summary="Add units to a product's available stock (admin)",
    responses=problems(401, 403, 422),
)
async def restock_product(
    request: Request, product_id: ProductId, body: Restock, _admin: AdminUser
) -> dict[str, Any]:
    async with runtime_of(request).unit_of_work() as uow:
        return await service.restock(uow.conn, product_id, body.quantity)
