from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from reference_services.kit.auth import CurrentUser
from reference_services.kit.openapi import problems
from reference_services.kit.params import UUID_PATTERN, ResourceId, runtime_of
from reference_services.payments import service
from reference_services.payments.schemas import Payment

router = APIRouter(prefix="/payments", tags=["payments"])
PaymentId = ResourceId
OrderId = Annotated[
    str,
    Query(
        min_length=36,
        max_length=36,
        pattern=UUID_PATTERN,
        description="The order whose payments to list",
    ),
]


@router.get(
    "",
    operation_id="listPayments",
    response_model=list[Payment],
    summary="The payments of one of your orders (admins: of any order)",
    responses=problems(401, 422),
)
async def list_payments(
    request: Request, order_id: OrderId, principal: CurrentUser
) -> list[dict[str, Any]]:
    async with runtime_of(request).db_reading() as conn:
        return await service.list_payments(conn, principal, order_id=order_id)


@router.get(
    "/{payment_id}",
    operation_id="getPayment",
    response_model=Payment,
    summary="Read one of your payments (admins: any payment)",
    responses=problems(401, 404, 422),
)
async def get_payment(
    request: Request, payment_id: PaymentId, principal: CurrentUser
) -> dict[str, Any]:
    async with runtime_of(request).db_reading() as conn:
        return await service.get_payment(conn, principal, payment_id)
