"""Readiness probes: an HTTP GET that must answer 200, or a Kafka metadata request.

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
    """Ready when ``GET url`` answers 200."""

    url: str
    timeout: float = PROBE_TIMEOUT

    def check(self) -> ProbeResult:
        try:
            # trust_env=False: a user's HTTP(S)_PROXY must not capture loopback probes.
            response = httpx.get(self.url, timeout=self.timeout, trust_env=False)
        except httpx.HTTPError as exc:
            return ProbeResult(False, _describe(exc))
        if response.status_code == 200:
            return ProbeResult(True, "200 OK")
        return ProbeResult(False, f"HTTP {response.status_code}")

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "http", "url": self.url}


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
        return HttpProbe(str(data["url"]))
    if kind == "kafka":
        return KafkaProbe(str(data["host"]), int(data["port"]))
    raise StateError(f"unknown probe kind {kind!r} in the state file")


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    if isinstance(exc, httpx.ConnectError | ConnectionRefusedError):
        return "connection refused" if "refused" in text.lower() else text or "cannot connect"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
