"""Helpers that document problem+json error responses on routes in one line."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from reference_services.kit.errors import PROBLEM_JSON

DESCRIPTIONS = {
    400: "The request is malformed",
    401: "No valid access token",
    403: "The token's role may not do this",
    404: "The resource does not exist (or is not yours)",
    409: "Conflicts with the current state",
    413: "The request body is too large",
    422: "The request does not match the contract",
    429: "Too many requests; retry after the given seconds",
    503: "A dependency is unavailable; retry after the given seconds",
}


class Problem(BaseModel):
    """An RFC 9457 problem details object."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        status: {
            "description": DESCRIPTIONS[status],
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
