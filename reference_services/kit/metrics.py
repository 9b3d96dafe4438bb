"""Prometheus metrics, one registry per app so several apps can live in one process."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
BREAKER_STATE_VALUES = {"closed": 0, "open": 1, "half_open": 2}
CONSUMER_JOINED = "kafka_consumer_joined"


class ServiceMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._latency_series: dict[tuple[str, str, int], Any] = {}
        self.consumer_joined: Gauge | None = None  # only a consuming service has it
        r = self.registry
        self.request_latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency by route and status",
            ("method", "route", "status"),
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.breaker_state = Gauge(
            "circuit_breaker_state",
            "Circuit breaker state (0 closed, 1 open, 2 half-open)",
            ("dependency",),
            registry=r,
        )
        self.breaker_transitions = Counter(
            "circuit_breaker_transitions_total",
            "Circuit breaker state changes",
            ("dependency", "state"),
            registry=r,
        )
        self.dependency_calls = Counter(
            "dependency_calls_total",
            "Outgoing HTTP calls by dependency and outcome",
            ("dependency", "outcome"),
            registry=r,
        )
        self.outbox_backlog = Gauge(
            "outbox_backlog",
            "Events written to the outbox and not yet on Kafka",
            registry=r,
        )
        self.events_published = Counter(
            "events_published_total",
            "Events relayed to Kafka",
            ("topic",),
            registry=r,
        )
        self.events_consumed = Counter(
            "events_consumed_total",
            "Events consumed by outcome",
            ("topic", "outcome"),
            registry=r,
        )
        self.consumer_lag = Gauge(
            "consumer_lag",
            "Messages behind the partition's high watermark",
            ("topic", "partition"),
            registry=r,
        )

    def track_consumer(self) -> Gauge:
        """The gauge a consuming service exposes: 0 until its consumer group has handed it
        partitions, 1 while it has them (``harness up`` waits for 1 before "all ready").
        Made on the first call (the runtime's, at start-up), the same one after."""
        if self.consumer_joined is not None:
            return self.consumer_joined
        self.consumer_joined = Gauge(
            CONSUMER_JOINED,
            "1 while the service's Kafka consumer is a member of its group with partitions "
            "assigned, 0 while it is joining or rebalancing",
            registry=self.registry,
        )
        return self.consumer_joined

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Record one request's latency; the labelled series is looked up once per label set
        (``labels()`` validates and locks on every call, which shows on a hot path)."""
        key = (method, route, status)
        series = self._latency_series.get(key)
        if series is None:
            series = self.request_latency.labels(method, route, str(status))
            self._latency_series[key] = series
        series.observe(seconds)

    def set_breaker_state(self, dependency: str, state: str) -> None:
        self.breaker_state.labels(dependency).set(BREAKER_STATE_VALUES[state])
        self.breaker_transitions.labels(dependency, state).inc()

    def render(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
