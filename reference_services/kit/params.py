"""Request parameters every service declares the same way."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Request
from pydantic import BaseModel, BeforeValidator, ConfigDict
from starlette.convertors import Convertor, register_url_convertor

from reference_services.kit.runtime import Runtime

UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
MAX_PAGE = 100
MAX_OFFSET = 1_000_000

ResourceId = Annotated[str, Path(min_length=36, max_length=36, pattern=UUID_PATTERN)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip")]


def _json_integer(value: object) -> object:
    # JSON Schema's integer: a number without a fractional part (12 or 12.0), never a
    # boolean or a string; pydantic's lax mode would take false as 0 and "12" as 12
    if isinstance(value, bool | str):
        raise ValueError("must be an integer")
    return value


JsonInt = Annotated[int, BeforeValidator(_json_integer)]
OptionalJsonInt = Annotated[int | None, BeforeValidator(_json_integer)]


class RequestBody(BaseModel):
    """A JSON request body: unknown fields are refused; integers are ``JsonInt``."""

    model_config = ConfigDict(extra="forbid")


class IdSegment(Convertor[str]):
    """``{user_id:id}`` matches only a segment that can be an id (``[0-9a-f-]{36}``), so
    the route never swallows a literal sibling path: ``GET /users/login`` is then 405
    (the path exists, the method does not), not a failed lookup of user "login"."""

    regex = "[0-9a-f-]{36}"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("id", IdSegment())


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime
