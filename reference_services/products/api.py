from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from reference_services.kit.auth import AdminUser
from reference_services.kit.cached_reads import cached_read
from reference_services.kit.openapi import problems
from reference_services.kit.params import MAX_PAGE, Limit, Offset, runtime_of
from reference_services.products import service
from reference_services.products.schemas import Product, ProductCreate, ProductPage, ProductUpdate

router = APIRouter(prefix="/products", tags=["products"])
ProductId = Annotated[str, Path(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")]


@router.get(
    "",
    operation_id="listProducts",
    response_model=ProductPage,
    summary="List the catalog, a page at a time",
    responses=problems(422),
)
async def list_products(
    request: Request,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    runtime = runtime_of(request)
    if limit == MAX_PAGE and runtime.settings.has_defect("boundary-500"):
        raise RuntimeError("planted defect: the last page size breaks")
    async with runtime.db_reading() as conn:
        return await service.list_products(conn, limit=limit, offset=offset)


@router.get(
    "/{product_id}",
    operation_id="getProduct",
    response_model=Product,
    summary="Read one product",
    responses=problems(404, 422),
)
async def get_product(request: Request, product_id: ProductId) -> Response:
    """Served from the process's read cache when it can be (kit/cached_reads.py)."""
    return await cached_read(
        request, f"product:{product_id}", lambda conn: service.get_product(conn, product_id)
    )


@router.post(
    "",
    operation_id="createProduct",
    response_model=Product,
    status_code=201,
    summary="Add a product (admin)",
    responses=problems(401, 403, 409, 422),
)
async def create_product(
    request: Request,
    response: Response,
    body: ProductCreate,
    _admin: AdminUser,
) -> dict[str, Any]:
    async with runtime_of(request).unit_of_work() as uow:
        product = await service.create_product(uow.conn, body)
    response.headers["Location"] = f"/products/{product['id']}"
    return product


@router.patch(
    "/{product_id}",
    operation_id="updateProduct",
    response_model=Product,
    summary="Change a product (admin)",
    responses=problems(401, 403, 404, 422),
)
async def update_product(
    request: Request,
    product_id: ProductId,
    body: ProductUpdate,
    _admin: AdminUser,
) -> dict[str, Any]:
    async with runtime_of(request).unit_of_work() as uow:
        return await service.update_product(uow.conn, product_id, body)
