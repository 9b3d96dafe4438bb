from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request, Response

from reference_services.kit.auth import CurrentUser
from reference_services.kit.openapi import problems
from reference_services.kit.params import Limit, Offset, runtime_of
from reference_services.orders import service
from reference_services.orders.schemas import Order, OrderCreate, OrderPage

router = APIRouter(prefix="/orders", tags=["orders"])
OrderId = Annotated[str, Path(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description="Repeat a request with the same key to get the same order back",
    ),
]


@router.post(
    "",
    operation_id="createOrder",
    response_model=Order,
    status_code=201,
    summary="Place an order; it completes or is cancelled asynchronously",
    responses={
        200: {"model": Order, "description": "A replay: the order this key created"},
        **problems(401, 422, 503),
    },
)
async def create_order(
    request: Request,
    response: Response,
    body: OrderCreate,
    principal: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    order, replayed = await service.place_order(
        runtime_of(request),
        principal,
        authorization=request.headers["authorization"],
        body=body,
        key=idempotency_key,
    )
    response.headers["Location"] = f"/orders/{order['id']}"
    if replayed:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    return order


@router.get(
    "",
    operation_id="listOrders",
    response_model=OrderPage,
    summary="The caller's orders, newest first",
    responses=problems(401, 422),
)
async def list_orders(
    request: Request,
    principal: CurrentUser,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    async with runtime_of(request).db_reading() as conn:
        return await service.list_orders(conn, principal, limit=limit, offset=offset)


@router.get(
    "/{order_id}",
    operation_id="getOrder",
    response_model=Order,
    summary="Read one of your orders",
    responses=problems(401, 404, 422),
)
async def get_order(request: Request, order_id: OrderId, principal: CurrentUser) -> dict[str, Any]:
    async with runtime_of(request).db_reading() as conn:
        return await service.get_order(conn, principal, order_id)
