"""Request parameters every service declares the same way."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Request

from reference_services.kit.runtime import Runtime

UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
MAX_PAGE = 100
MAX_OFFSET = 1_000_000

ResourceId = Annotated[str, Path(min_length=36, max_length=36, pattern=UUID_PATTERN)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip")]


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime
