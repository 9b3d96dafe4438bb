"""Domain errors and their one mapping to RFC 9457 problem+json.

    ServiceError                    (status, slug, title; mapped once in the app factory)
     +-- InvalidInput         422
     +-- Unauthorized         401   (adds WWW-Authenticate: Bearer)
     +-- Forbidden            403
     +-- NotFound             404
     +-- Conflict             409
     +-- RateLimited          429   (adds Retry-After)
     +-- DependencyUnavailable 503  (adds Retry-After; a breaker is open or a call failed)

Routes raise these; no route builds an HTTP error response by hand.
"""

from __future__ import annotations

import math
from typing import Any

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE_BASE = "urn:contract-harness:problem:"


class ServiceError(Exception):
    status = 500
    slug = "internal-error"
    title = "Internal Server Error"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    def headers(self) -> dict[str, str]:
        return {}


class InvalidInput(ServiceError):
    status, slug, title = 422, "invalid-input", "Unprocessable Content"


class Unauthorized(ServiceError):
    status, slug, title = 401, "unauthorized", "Unauthorized"

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": 'Bearer realm="contract-harness"'}


class Forbidden(ServiceError):
    status, slug, title = 403, "forbidden", "Forbidden"


class NotFound(ServiceError):
    status, slug, title = 404, "not-found", "Not Found"


class Conflict(ServiceError):
    status, slug, title = 409, "conflict", "Conflict"


class _RetryLater(ServiceError):
    def __init__(self, detail: str, *, retry_after: float, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.retry_after = max(1, math.ceil(retry_after))

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class RateLimited(_RetryLater):
    status, slug, title = 429, "rate-limited", "Too Many Requests"


class DependencyUnavailable(_RetryLater):
    status, slug, title = 503, "dependency-unavailable", "Service Unavailable"


def problem(
    *,
    status: int,
    title: str,
    detail: str,
    slug: str | None = None,
    instance: str = "",
    **extra: Any,
) -> dict[str, Any]:
    """Build a problem+json body; ``slug`` None means the generic ``about:blank`` type."""
    body: dict[str, Any] = {
        "type": f"{PROBLEM_TYPE_BASE}{slug}" if slug else "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body


def problem_for(error: ServiceError, *, instance: str = "") -> dict[str, Any]:
    return problem(
        status=error.status,
        title=error.title,
        detail=error.detail,
        slug=error.slug,
        instance=instance,
        **error.extra,
    )
