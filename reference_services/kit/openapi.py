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


HEADERS = {
    401: {
        "WWW-Authenticate": {
            "description": "The authentication scheme to use",
            "schema": {"type": "string", "examples": ["Bearer"]},
        }
    },
    429: {
        "Retry-After": {
            "description": "Seconds to wait before retrying",
            "schema": {"type": "integer", "minimum": 0, "examples": [1]},
        }
    },
    503: {
        "Retry-After": {
            "description": "Seconds to wait before retrying",
            "schema": {"type": "integer", "minimum": 0, "examples": [5]},
        }
    },
}


def problem_response(status: int) -> dict[str, Any]:
    """One documented problem+json response, with the headers that status carries."""
    response: dict[str, Any] = {
        "description": DESCRIPTIONS[status],
        "content": {
            PROBLEM_JSON: {
                "schema": {"$ref": "#/components/schemas/Problem"},
                "example": {
                    "type": f"urn:contract-harness:problem:http-{status}",
                    "title": DESCRIPTIONS[status],
                    "status": status,
                    "detail": DESCRIPTIONS[status].lower(),
                },
            }
        },
    }
    if status in HEADERS:
        response["headers"] = HEADERS[status]
    return response


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: problem_response(status) for status in statuses}
