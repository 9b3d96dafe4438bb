"""What a load run is asked to do (:class:`LoadConfig`) and what it measured (:class:`LoadResult`).

Pure data plus the :class:`Recorder` the generator feeds; no I/O, so the orchestrator
can rebuild a result from the child process's JSON line with :meth:`LoadResult.from_dict`.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

MAX_DURATION_S = 600.0
MAX_REQUESTS = 10_000_000
MAX_CONCURRENCY = 1024


@dataclass(frozen=True)
class LoadConfig:
    """One bounded closed-loop run: stops at ``duration_s`` or ``max_requests``, first hit.

    ``headers`` and ``body`` may contain ``{{seq}}`` / ``{{uuid}}`` (made per request);
    ``factory`` is an import path ``"package.module:function"`` called as
    ``factory(seq) -> (extra_headers, body)`` for anything the tokens cannot express.
    """

    url: str
    method: str = "GET"
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None
    factory: str | None = None
    concurrency: int = 16
    duration_s: float = 5.0
    max_requests: int = 1_000_000
    timeout_s: float = 10.0

    def validate(self) -> None:
        _check(1 <= self.concurrency <= MAX_CONCURRENCY, "concurrency", 1, MAX_CONCURRENCY)
        _check(0 < self.duration_s <= MAX_DURATION_S, "duration_s", 0, MAX_DURATION_S)
        _check(1 <= self.max_requests <= MAX_REQUESTS, "max_requests", 1, MAX_REQUESTS)
        _check(0 < self.timeout_s <= 60, "timeout_s", 0, 60)

    def to_argv(self) -> list[str]:
        """The ``bench/loadgen.py`` arguments that reproduce this config."""
        argv = ["--url", self.url, "--method", self.method]
        for key, value in self.headers.items():
            argv += ["--header", f"{key}:{value}"]
        if self.body is not None:
            argv += ["--body-base64", base64.b64encode(self.body).decode()]
        if self.factory:
            argv += ["--factory", self.factory]
        argv += ["--concurrency", str(self.concurrency), "--duration", str(self.duration_s)]
        argv += ["--max-requests", str(self.max_requests), "--timeout", str(self.timeout_s)]
        return argv


def _check(ok: bool, name: str, low: float, high: float) -> None:
    if not ok:
        raise ValueError(f"{name} must be within ({low}, {high}]; loads are always bounded")


@dataclass(frozen=True)
class Latency:
    """Latency of successful (2xx) responses, in milliseconds."""

    p50: float
    p90: float
    p99: float
    max: float
    mean: float

    @classmethod
    def of(cls, seconds: list[float]) -> Latency:
        if not seconds:
            return cls(math.nan, math.nan, math.nan, math.nan, math.nan)
        ordered = sorted(seconds)
        return cls(
            p50=_rank(ordered, 0.50) * 1000,
            p90=_rank(ordered, 0.90) * 1000,
            p99=_rank(ordered, 0.99) * 1000,
            max=ordered[-1] * 1000,
            mean=sum(ordered) / len(ordered) * 1000,
        )


def _rank(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of a sorted list."""
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


@dataclass(frozen=True)
class LoadResult:
    """What one run measured. ``requests``/``rps`` count successful (2xx) responses only;
    ``errors`` counts ``HTTP <status>`` (any other status) and exception names
    (``Timeout``, ...);
    ``cpu_s`` is the generator's own CPU time (user + system) during the load window."""

    url: str
    method: str
    concurrency: int
    requests: int
    errors: dict[str, int]
    statuses: dict[str, int]
    elapsed_s: float
    rps: float
    latency_ms: Latency
    cpu_s: float
    cpu_us_per_request: float
    loop: str

    @property
    def responses(self) -> int:
        return sum(self.statuses.values())

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def cpu_utilisation(self) -> float:
        """Share of one core the generator used; near 1.0 means it was the bottleneck."""
        return self.cpu_s / self.elapsed_s if self.elapsed_s else math.nan

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LoadResult:
        fields = dict(data)
        fields["latency_ms"] = Latency(**fields["latency_ms"])
        return cls(**fields)


class Recorder:
    """Counts responses and errors as they happen; kept tiny because it runs per request."""

    __slots__ = ("errors", "latencies", "statuses")

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.errors: dict[str, int] = {}

    def response(self, status: int, seconds: float) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if 200 <= status < 300:
            self.latencies.append(seconds)

    def error(self, name: str) -> None:
        self.errors[name] = self.errors.get(name, 0) + 1

    def result(
        self, config: LoadConfig, *, elapsed_s: float, cpu_s: float, loop: str
    ) -> LoadResult:
        errors = dict(self.errors)
        for status, count in self.statuses.items():
            if not 200 <= status < 300:
                errors[f"HTTP {status}"] = count
        handled = sum(self.statuses.values()) + sum(self.errors.values())
        ok = len(self.latencies)
        return LoadResult(
            url=config.url,
            method=config.method,
            concurrency=config.concurrency,
            requests=ok,
            errors=errors,
            statuses={str(k): v for k, v in sorted(self.statuses.items())},
            elapsed_s=elapsed_s,
            rps=ok / elapsed_s if elapsed_s > 0 else 0.0,
            latency_ms=Latency.of(self.latencies),
            cpu_s=cpu_s,
            cpu_us_per_request=cpu_s / handled * 1e6 if handled else math.nan,
            loop=loop,
        )
