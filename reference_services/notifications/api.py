from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from reference_services.kit.auth import CurrentUser
from reference_services.kit.openapi import problems
from reference_services.kit.params import Limit, Offset, runtime_of
from reference_services.notifications import service
from reference_services.notifications.schemas import NotificationPage

router = APIRouter(prefix="/notifications", tags=["notifications"])


@router.get(
    "",
    operation_id="listNotifications",
    response_model=NotificationPage,
    summary="Your notifications, newest first, a page at a time",
    responses=problems(401, 422),
)
async def list_notifications(
    request: Request,
    principal: CurrentUser,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    async with runtime_of(request).db_reading() as conn:
        return await service.list_notifications(conn, principal, limit=limit, offset=offset)
