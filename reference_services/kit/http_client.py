"""An HTTP client for service-to-service calls: timeout, bounded retries, circuit breaker.

Retries happen only where repeating is safe: idempotent methods, or a request that
carries an Idempotency-Key. Every attempt's failure is shown to the breaker; while it is
open, calls fail fast with DependencyUnavailable (503 + Retry-After upstream).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass

from reference_services.kit.breaker import OPEN, CircuitBreaker
from reference_services.kit.context import outgoing_headers
from reference_services.kit.errors import DependencyUnavailable
from reference_services.kit.http_wire import (
    ConnectionPool,
    UpstreamError,
    UpstreamResponse,
    UpstreamTimeout,
)
from reference_services.kit.metrics import ServiceMetrics

log = logging.getLogger(__name__)
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRYABLE_STATUS = frozenset({502, 503, 504})


@dataclass(frozen=True)
class ClientPolicy:
    timeout: float = 2.0
    retries: int = 2
    backoff_base: float = 0.05
    backoff_cap: float = 1.0
    failure_threshold: int = 5
    recovery_timeout: float = 5.0
    breaker_enabled: bool = True


class ResilientClient:
    def __init__(
        self,
        name: str,
        base_url: str,
        *,
        policy: ClientPolicy,
        metrics: ServiceMetrics,
    ) -> None:
        self.name = name
        self.policy = policy
        self.metrics = metrics
        self.breaker = CircuitBreaker(
            name,
            failure_threshold=policy.failure_threshold,
            recovery_timeout=policy.recovery_timeout,
            enabled=policy.breaker_enabled,
            on_change=lambda dep, state: metrics.set_breaker_state(dep, state),
        )
        metrics.breaker_state.labels(name).set(0)
        self._pool = ConnectionPool(base_url, max_connections=200, max_idle=50)

    async def aclose(self) -> None:
        await self._pool.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        params: Sequence[tuple[str, str]] | None = None,
        content: bytes = b"",
    ) -> UpstreamResponse:
        """Send with retries; raise DependencyUnavailable when the dependency can't answer."""
        method = method.upper()
        sent_headers = {**outgoing_headers(), **(headers or {})}
        retryable = method in IDEMPOTENT_METHODS or any(
            k.lower() == "idempotency-key" for k in sent_headers
        )
        attempts = 1 + (self.policy.retries if retryable else 0)
        last_error = "no attempt made"
        for attempt in range(attempts):
            if not self.breaker.allow():
                self._count("rejected")
                raise self._unavailable(f"circuit breaker for {self.name} is open")
            try:
                response = await self._pool.request(
                    method,
                    path,
                    headers=sent_headers,
                    timeout=timeout or self.policy.timeout,
                    params=params,
                    content=content,
                    replay_safe=retryable,
                )
            except UpstreamTimeout:
                last_error = f"{self.name} did not answer within {timeout or self.policy.timeout}s"
            except UpstreamError as exc:
                last_error = f"{self.name} unreachable: {exc}"
            else:
                if response.status_code not in RETRYABLE_STATUS:
                    self.breaker.record_success()
                    self._count("ok")
                    return response
                last_error = f"{self.name} answered {response.status_code}"
            self.breaker.record_failure()
            self._count("failed")
            if attempt + 1 < attempts and self.breaker.state != OPEN:
                await asyncio.sleep(self._backoff(attempt))
        log.warning("dependency call failed", extra={"dependency": self.name, "reason": last_error})
        raise self._unavailable(last_error)

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.policy.backoff_cap, self.policy.backoff_base * 2**attempt)
        return random.uniform(ceiling / 2, ceiling)

    def _count(self, outcome: str) -> None:
        self.metrics.dependency_calls.labels(self.name, outcome).inc()

    def _unavailable(self, reason: str) -> DependencyUnavailable:
        return DependencyUnavailable(
            reason,
            dependency=self.name,
            retry_after=self.breaker.retry_after() or self.policy.recovery_timeout,
        )
