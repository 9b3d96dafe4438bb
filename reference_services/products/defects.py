"""The undocumented-field defect: reads answer with a field the contract lacks."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.routing import APIRoute

from reference_services.products.schemas import Product

PLANTED_ON = "getProduct"


class ProductWithWarehouse(Product):
    warehouse_code: str = "WH-NORTH-1"


def with_undocumented_field(router: APIRouter) -> APIRouter:
    """The same routes, but getProduct's response model carries one more field."""
    planted = APIRouter(prefix=router.prefix, tags=list(router.tags))
    for route in router.routes:
        if isinstance(route, APIRoute) and route.operation_id == PLANTED_ON:
            planted.add_api_route(
                route.path.removeprefix(router.prefix),
                route.endpoint,
                methods=sorted(route.methods or ()),
                response_model=ProductWithWarehouse,
                operation_id=route.operation_id,
                summary=route.summary,
                responses=route.responses,
            )
        else:
            planted.routes.append(route)
    return planted
