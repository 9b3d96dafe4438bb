"""Locust's CSV statistics (``<prefix>_stats.csv``) as rows (pure parsing)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

PERCENTILES = ("50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%", "100%")


@dataclass(frozen=True)
class StatsRow:
    method: str
    name: str
    requests: int
    failures: int
    rps: float
    percentiles: dict[str, float]


def read_stats(path: Path) -> list[StatsRow]:
    with path.open(newline="") as handle:
        return [_row(r) for r in csv.DictReader(handle)]


def _row(raw: dict[str, str]) -> StatsRow:
    def number(key: str) -> float:
        value = raw.get(key, "") or "0"
        return 0.0 if value == "N/A" else float(value)

    return StatsRow(
        method=raw.get("Type", ""),
        name=raw.get("Name", ""),
        requests=int(number("Request Count")),
        failures=int(number("Failure Count")),
        rps=number("Requests/s"),
        percentiles={p: number(p) for p in PERCENTILES},
    )
