"""Readiness probes: an HTTP GET that must answer 200, or a Kafka metadata request.

A reference service's probe also reads its ``/metrics``: a service that consumes Kafka
exposes ``kafka_consumer_joined``, 0 until its consumer group has handed it partitions.
Its ``/health/ready`` says 200 as soon as its database and the broker answer, which is
right for HTTP traffic; the stack is ready for the saga only once every consumer has
joined (about a second per group on Tansu), so "all ready" waits for that too.

Probes are plain data, so the state file can record them and ``harness status`` can
run them again from another process.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from aiokafka.conn import create_conn
from aiokafka.errors import KafkaError
from aiokafka.protocol.metadata import MetadataRequest

from harness.errors import StateError
from reference_services.kit.metrics import CONSUMER_JOINED

PROBE_TIMEOUT = 1.0


@dataclass(frozen=True)
class ProbeResult:
    ready: bool
    detail: str


class Probe(Protocol):
    def check(self) -> ProbeResult: ...

    def to_dict(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class HttpProbe:
    """Ready when ``GET url`` answers 200 and, with ``metrics_url``, no Kafka consumer of
    the service is still joining its group."""

    url: str
    metrics_url: str | None = None
    timeout: float = PROBE_TIMEOUT

    def check(self) -> ProbeResult:
        try:
            # trust_env=False: a user's HTTP(S)_PROXY must not capture loopback probes.
            response = httpx.get(self.url, timeout=self.timeout, trust_env=False)
            if response.status_code != 200:
                return ProbeResult(False, f"HTTP {response.status_code}")
            if self.metrics_url is None:
                return ProbeResult(True, "200 OK")
            metrics = httpx.get(self.metrics_url, timeout=self.timeout, trust_env=False)
        except httpx.HTTPError as exc:
            return ProbeResult(False, _describe(exc))
        if consumer_joining(metrics.text if metrics.status_code == 200 else ""):
            return ProbeResult(False, "ready, but its Kafka consumer is still joining its group")
        return ProbeResult(True, "200 OK")

    def to_dict(self) -> dict[str, Any]:
        data = {"kind": "http", "url": self.url}
        return data | ({"metrics_url": self.metrics_url} if self.metrics_url else {})


@dataclass(frozen=True)
class KafkaProbe:
    """Ready when the broker at ``host:port`` answers a Metadata request.

    It talks to that one address only (aiokafka's connection layer, not a client that
    would follow the advertised listener), so it tests the broker itself even when the
    advertised address is a fault-proxy link that is not up yet.
    """

    host: str
    port: int
    timeout: float = PROBE_TIMEOUT

    def check(self) -> ProbeResult:
        # A private loop in a worker thread: callers may already be inside an event loop.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, self._metadata()).result()

    async def _metadata(self) -> ProbeResult:
        timeout_ms = int(self.timeout * 1000)
        try:
            async with asyncio.timeout(self.timeout):
                conn = await create_conn(self.host, self.port, request_timeout_ms=timeout_ms)
                try:
                    response = await conn.send(MetadataRequest([]))
                finally:
                    conn.close()
        except (OSError, KafkaError, TimeoutError) as exc:
            return ProbeResult(False, _describe(exc))
        return ProbeResult(True, f"metadata: {len(response.brokers)} broker(s)")

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "kafka", "host": self.host, "port": self.port}


def probe_from_dict(data: dict[str, Any]) -> HttpProbe | KafkaProbe:
    kind = data.get("kind")
    if kind == "http":
        metrics_url = data.get("metrics_url")
        return HttpProbe(str(data["url"]), str(metrics_url) if metrics_url else None)
    if kind == "kafka":
        return KafkaProbe(str(data["host"]), int(data["port"]))
    raise StateError(f"unknown probe kind {kind!r} in the state file")


def consumer_joining(metrics_text: str) -> bool:
    """Whether Prometheus text says a Kafka consumer has not joined its group yet (a
    service without the gauge has no consumer, so it is never joining)."""
    for line in metrics_text.splitlines():
        name, _, value = line.partition(" ")
        if name == CONSUMER_JOINED:
            return value.strip() in ("0", "0.0")
    return False


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    if isinstance(exc, httpx.ConnectError | ConnectionRefusedError):
        return "connection refused" if "refused" in text.lower() else text or "cannot connect"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
