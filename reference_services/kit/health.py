"""/health (alive), /health/ready (database and broker checked), /metrics (Prometheus)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict

health_router = APIRouter(tags=["health"])


class Liveness(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": "ok", "service": "orders"}]}
    )

    status: Literal["ok"]
    service: str


class CheckResult(BaseModel):
    status: Literal["up", "down"]
    detail: str | None = None


class Readiness(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "status": "ready",
                    "service": "orders",
                    "checks": {"database": {"status": "up"}, "broker": {"status": "up"}},
                    "dependencies": {"users": "closed", "products": "closed"},
                }
            ]
        }
    )

    status: Literal["ready", "degraded", "not_ready"]
    service: str
    checks: dict[str, CheckResult]
    dependencies: dict[str, Literal["closed", "open", "half_open"]]


@health_router.get(
    "/health",
    operation_id="getHealth",
    response_model=Liveness,
    summary="Liveness: the process is up",
)
async def health(request: Request) -> dict[str, Any]:
    return {"status": "ok", "service": request.app.state.runtime.settings.service_name}


@health_router.get(
    "/health/ready",
    operation_id="getReadiness",
    response_model=Readiness,
    summary="Readiness: database and broker reachable",
    responses={503: {"model": Readiness, "description": "A check failed; it is named"}},
)
async def ready(request: Request) -> Response:
    runtime = request.app.state.runtime
    checks = await runtime.readiness()
    dependencies = {name: c.breaker.state for name, c in runtime.clients.items()}
    failing = [name for name, c in checks.items() if c["status"] != "up"]
    if failing:
        status = "not_ready"
    elif any(state != "closed" for state in dependencies.values()):
        status = "degraded"
    else:
        status = "ready"
    body = {
        "status": status,
        "service": runtime.settings.service_name,
        "checks": checks,
        "dependencies": dependencies,
    }
    return JSONResponse(body, status_code=503 if failing else 200)


@health_router.get(
    "/metrics",
    operation_id="getMetrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
async def metrics(request: Request) -> Response:
    runtime = request.app.state.runtime
    backlog = await runtime.outbox_backlog()
    if backlog is not None:
        runtime.metrics.outbox_backlog.set(backlog)
    body, content_type = runtime.metrics.render()
    return Response(body, media_type=content_type)
