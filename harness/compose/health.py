"""Healthchecks, and start order that waits on them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

HEALTHY = "service_healthy"


def healthcheck(
    test: list[str] | None = None,
    *,
    interval: str = "5s",
    timeout: str = "5s",
    retries: int = 24,
    start_period: str = "10s",
) -> dict[str, Any]:
    """A compose healthcheck; without ``test`` the image's own HEALTHCHECK command runs."""
    check: dict[str, Any] = {} if test is None else {"test": ["CMD", *test]}
    check.update(interval=interval, timeout=timeout, retries=retries, start_period=start_period)
    return check


def after_healthy(names: Iterable[str]) -> dict[str, Any]:
    """``depends_on``: start only once each of ``names`` reports healthy."""
    return {name: {"condition": HEALTHY} for name in names}
