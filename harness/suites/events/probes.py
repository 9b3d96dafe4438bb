"""What a consumer shows from outside: its health endpoints and its Prometheus counters.

``events_consumed_total{topic, outcome}`` (outcome ``processed``, ``duplicate`` or
``dead_lettered``) is the documented counter; ``/health`` says the process lives,
``/health/ready`` that it can work (database and broker reachable).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import httpx
from prometheus_client.parser import text_string_to_metric_families

CONSUMED_METRIC = "events_consumed_total"
PROCESSED, DEAD_LETTERED = "processed", "dead_lettered"
PROBE_TIMEOUT_S = 3.0


@dataclass(frozen=True)
class Health:
    """One look at a service: both endpoints' status (0: no answer) and a detail."""

    live: int
    ready: int
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.live == 200 and self.ready == 200

    def __str__(self) -> str:
        return f"/health {self.live or 'no answer'}, /health/ready {self.ready or 'no answer'}" + (
            f" ({self.detail})" if self.detail else ""
        )


Counts = Counter[tuple[str, str]]


def consumed_counts(text: str) -> Counts:
    """(topic, outcome) -> count, from a Prometheus text exposition."""
    counts: Counts = Counter()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == CONSUMED_METRIC:
                labels = sample.labels
                counts[(labels.get("topic", ""), labels.get("outcome", ""))] += int(sample.value)
    return counts


class ServiceProbe:
    """Async probes of one service's base URL."""

    def __init__(self, name: str, url: str, http: httpx.AsyncClient) -> None:
        self.name, self.url, self.http = name, url.rstrip("/"), http

    async def counts(self) -> Counts | None:
        """The consumed counters, or None when /metrics does not answer."""
        try:
            response = await self.http.get(f"{self.url}/metrics", timeout=PROBE_TIMEOUT_S)
        except httpx.HTTPError:
            return None
        return consumed_counts(response.text) if response.status_code == 200 else None

    async def health(self) -> Health:
        live, _ = await self._status("/health")
        ready, detail = await self._status("/health/ready")
        return Health(live, ready, detail if ready != 200 else "")

    async def _status(self, path: str) -> tuple[int, str]:
        try:
            response = await self.http.get(f"{self.url}{path}", timeout=PROBE_TIMEOUT_S)
        except httpx.HTTPError as exc:
            return 0, f"{path}: {type(exc).__name__}: {exc}"
        return response.status_code, response.text[:300]
