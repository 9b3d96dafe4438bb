"""SLOs from a file, checked against Locust's statistics (pure).

The file (loadtests/slo.yaml) has ``aggregate`` (error_rate_max, rps_min, p50/p95/p99),
``endpoints`` keyed by "METHOD name", and ``saga`` (the SAGA request type, all names).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from harness.errors import ConfigError
from harness.load.stats import StatsRow

LIMITS = {
    "p50_ms": ("50%", "<="),
    "p95_ms": ("95%", "<="),
    "p99_ms": ("99%", "<="),
    "error_rate_max": ("error_rate", "<="),
    "rps_min": ("rps", ">="),
}


@dataclass(frozen=True)
class Objective:
    scope: str  # "aggregate", "saga" or "METHOD name"
    limit: str  # a key of LIMITS
    value: float

    @property
    def label(self) -> str:
        return f"{self.scope} {self.limit}"


@dataclass(frozen=True)
class Verdict:
    objective: Objective
    measured: float | None

    @property
    def held(self) -> bool:
        if self.measured is None:
            return False
        _, op = LIMITS[self.objective.limit]
        return (
            self.measured <= self.objective.value
            if op == "<="
            else self.measured >= self.objective.value
        )

    @property
    def explanation(self) -> str:
        _, op = LIMITS[self.objective.limit]
        wanted = f"{op} {self.objective.value:g}"
        if self.measured is None:
            return f"{self.objective.label}: no requests measured (objective {wanted})"
        state = "held" if self.held else "BROKEN"
        return f"{self.objective.label}: measured {self.measured:g}, objective {wanted} ({state})"


def load_objectives(path: Path) -> list[Objective]:
    try:
        raw = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"SLO file {path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"SLO file {path}: expected a mapping with aggregate/endpoints/saga")
    objectives = [*_section(raw.get("aggregate"), "aggregate", path)]
    objectives += _section(raw.get("saga"), "saga", path)
    endpoints = raw.get("endpoints") or {}
    if not isinstance(endpoints, dict):
        raise ConfigError(f"SLO file {path}: endpoints must map 'METHOD name' to limits")
    for scope, limits in endpoints.items():
        if len(str(scope).split(" ", 1)) != 2:
            raise ConfigError(f"SLO file {path}: endpoint {scope!r} must be 'METHOD name'")
        objectives += _section(limits, str(scope), path)
    return objectives


def _section(limits: Any, scope: str, path: Path) -> list[Objective]:
    if limits is None:
        return []
    if not isinstance(limits, dict):
        raise ConfigError(f"SLO file {path}: {scope} must map limit names to numbers")
    found = []
    for name, value in limits.items():
        if name not in LIMITS:
            raise ConfigError(
                f"SLO file {path}: {scope}: unknown limit {name!r}; known: {sorted(LIMITS)}"
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ConfigError(
                f"SLO file {path}: {scope}.{name} must be a number >= 0, got {value!r}"
            )
        found.append(Objective(scope, name, float(value)))
    return found


def evaluate(objectives: list[Objective], rows: list[StatsRow]) -> list[Verdict]:
    return [Verdict(o, _measure(o, rows)) for o in objectives]


def _measure(objective: Objective, rows: list[StatsRow]) -> float | None:
    column, _ = LIMITS[objective.limit]
    if objective.scope == "aggregate":
        chosen = [r for r in rows if r.name == "Aggregated"]
    elif objective.scope == "saga":
        chosen = [r for r in rows if r.method == "SAGA"]
    else:
        method, name = objective.scope.split(" ", 1)
        chosen = [r for r in rows if r.method == method and r.name == name]
    chosen = [r for r in chosen if r.requests]
    if not chosen:
        return None
    if column == "error_rate":
        return sum(r.failures for r in chosen) / sum(r.requests for r in chosen)
    if column == "rps":
        return sum(r.rps for r in chosen)
    return max(r.percentiles[column] for r in chosen)  # the worst of the matching rows
