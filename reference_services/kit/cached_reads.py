"""Point reads answered from the process's read cache (kit/read_cache.py) when they can be.

The cache keeps the response body, serialised once with the matched route's own
``response_model``, so a hit costs neither a query nor a validation. Every write through
a unit of work drops the whole cache, so a read never sees a row older than the last
change.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request, Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncConnection

from reference_services.kit.params import runtime_of

Load = Callable[[AsyncConnection], Awaitable[dict[str, Any]]]


async def cached_read(request: Request, key: str, load: Load) -> Response:
    """The answer for ``key``: from the cache, else ``load``-ed, serialised and kept."""
    runtime = runtime_of(request)
    cache = runtime.read_cache
    body: bytes | None = cache.get(key)
    if body is None:
        generation = cache.generation
        async with runtime.db_reading() as conn:
            content = await load(conn)
        body = _serialised(request, content)
        cache.put(key, body, generation=generation)
    return Response(body, media_type="application/json")


def _serialised(request: Request, content: dict[str, Any]) -> bytes:
    """``content`` as FastAPI would send it: validated and dumped by the matched route's
    ``response_model`` (a planted defect may swap that model, and must still show)."""
    model: type[BaseModel] = request.scope["route"].response_model
    return model.model_validate(content).model_dump_json().encode()
