"""Medians across rounds, ratios to the baseline, and the printed table. Pure functions.

Ratios are medians of per-round ratios: in round ``r`` each target ran right after the
previous one, so pairing target and baseline by round cancels slow drift on a shared
machine better than a ratio of two medians does (both are in the returned dict).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Sample:
    """One target in one round: the generator's result plus the server's CPU."""

    target: str
    round: int
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    requests: int
    errors: int
    elapsed_s: float
    gen_cpu_us: float
    gen_cpu_share: float
    srv_cpu_us: float
    srv_cpu_share: float


MEDIAN_FIELDS = (
    "rps",
    "p50_ms",
    "p90_ms",
    "p99_ms",
    "gen_cpu_us",
    "gen_cpu_share",
    "srv_cpu_us",
    "srv_cpu_share",
)
GEN_BOUND_SHARE = 0.85
"""Generator CPU share of one core above which its numbers say more about it than the server."""


def summarise(samples: Mapping[str, Sequence[Sample]], baseline: str) -> dict[str, dict[str, Any]]:
    """Per target: medians, rps spread across rounds, and ratios to ``baseline``."""
    base = samples[baseline]
    out: dict[str, dict[str, Any]] = {}
    for name, rows in samples.items():
        median = {f: _median([getattr(s, f) for s in rows]) for f in MEDIAN_FIELDS}
        rps = [s.rps for s in rows]
        rps_ratios = _paired(rows, base, "rps")
        out[name] = {
            "median": median,
            "rps_spread_pct": (max(rps) - min(rps)) / median["rps"] * 100 if median["rps"] else 0,
            "errors": sum(s.errors for s in rows),
            "requests": sum(s.requests for s in rows),
            "ratio": {
                "rps": _median(rps_ratios),
                "rps_min": min(rps_ratios),
                "rps_max": max(rps_ratios),
                "p50": _median(_paired(rows, base, "p50_ms")),
                "p99": _median(_paired(rows, base, "p99_ms")),
                "rps_of_medians": median["rps"] / _median([s.rps for s in base]),
            },
        }
    return out


def _paired(rows: Sequence[Sample], base: Sequence[Sample], field: str) -> list[float]:
    by_round = {s.round: getattr(s, field) for s in base}
    return [getattr(s, field) / by_round[s.round] for s in rows if by_round.get(s.round)]


def _median(values: Sequence[float]) -> float:
    clean = [v for v in values if not math.isnan(v)]
    return statistics.median(clean) if clean else math.nan


COLUMNS = (
    ("target", "<", "{}"),
    ("rps", ">", "{:.0f}"),
    ("±rps%", ">", "{:.1f}"),
    ("p50 ms", ">", "{:.2f}"),
    ("p99 ms", ">", "{:.2f}"),
    ("rps/base", ">", "{:.3f}"),
    ("p99/base", ">", "{:.2f}"),
    ("gen µs/req", ">", "{:.1f}"),
    ("gen cpu", ">", "{:.0%}"),
    ("srv µs/req", ">", "{:.1f}"),
    ("srv cpu", ">", "{:.0%}"),
    ("errors", ">", "{}"),
)


def table(summary: Mapping[str, Mapping[str, Any]]) -> str:
    """The comparison as a fixed-width text table, one line per target."""
    rows = [[name, *_cells(s)] for name, s in summary.items()]
    cells = [[_fmt(fmt, v) for (_, _, fmt), v in zip(COLUMNS, row, strict=True)] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, (h, _, _) in enumerate(COLUMNS)]
    lines = [_line([h for h, _, _ in COLUMNS], widths), _line(["-" * w for w in widths], widths)]
    lines += [_line(r, widths) for r in cells]
    return "\n".join(lines)


def _fmt(fmt: str, value: Any) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "-"
    return fmt.format(value)


def _cells(s: Mapping[str, Any]) -> list[Any]:
    m, r = s["median"], s["ratio"]
    return [
        m["rps"],
        s["rps_spread_pct"] / 2,
        m["p50_ms"],
        m["p99_ms"],
        r["rps"],
        r["p99"],
        m["gen_cpu_us"],
        m["gen_cpu_share"],
        m["srv_cpu_us"],
        m["srv_cpu_share"],
        s["errors"],
    ]


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(
        c.ljust(w) if align == "<" else c.rjust(w)
        for c, w, (_, align, _) in zip(cells, widths, COLUMNS, strict=True)
    )


def bottleneck_notes(summary: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Warnings for targets where the generator, not the server, may have set the pace."""
    return [
        f"! {name}: generator used {s['median']['gen_cpu_share']:.0%} of a core; "
        "its rps may be the generator's limit, not the server's"
        for name, s in summary.items()
        if s["median"]["gen_cpu_share"] > GEN_BOUND_SHARE
    ]
