from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from reference_services.kit.auth import CurrentUser
from reference_services.kit.openapi import problems
from reference_services.kit.runtime import Runtime
from reference_services.notifications import service
from reference_services.notifications.schemas import NotificationPage

router = APIRouter(prefix="/notifications", tags=["notifications"])


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


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
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    async with _runtime(request).db_reading() as conn:
        return await service.list_notifications(conn, principal, limit=limit, offset=offset)
