"""Medians across rounds, ratios to the baseline, and the printed table. Pure functions.

Ratios are medians of per-round ratios: in round ``r`` each target ran right after the
previous one, so pairing target and baseline by round cancels slow drift on a shared
machine better than a ratio of two medians does (both are in the returned dict).

``capacity`` is the baseline's server CPU per request over the target's: the rps ratio
the two would have with a whole core each. It needs server pids, and it is steadier than
the rps ratio when other processes take CPU time from the servers.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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
    others_cpus: float
    steal_cpus: float
    settle_s: float = 0.0
    error_kinds: Mapping[str, int] = field(default_factory=dict)


MEDIAN_FIELDS = (
    "rps",
    "p50_ms",
    "p90_ms",
    "p99_ms",
    "gen_cpu_us",
    "gen_cpu_share",
    "srv_cpu_us",
    "srv_cpu_share",
    "others_cpus",
    "steal_cpus",
)
GEN_BOUND_SHARE = 0.85
"""Generator CPU share of one core above which its numbers say more about it than the server."""
BUSY_OTHERS_CPUS = 0.3
"""CPUs used by other processes above which rps says more about the neighbours than the code."""


def summarise(samples: Mapping[str, Sequence[Sample]], baseline: str) -> dict[str, dict[str, Any]]:
    """Per target: medians, rps spread across rounds, and ratios to ``baseline``."""
    base = samples[baseline]
    out: dict[str, dict[str, Any]] = {}
    for name, rows in samples.items():
        median = {f: _median([getattr(s, f) for s in rows]) for f in MEDIAN_FIELDS}
        rps = [s.rps for s in rows]
        out[name] = {
            "median": median,
            "rps_mad_pct": _share(_mad(rps), median["rps"]) * 100,
            "rps_range_pct": _share(max(rps) - min(rps), median["rps"]) * 100,
            "errors": sum(s.errors for s in rows),
            "requests": sum(s.requests for s in rows),
            "ratio": _ratios(rows, base),
        }
    return out


def _ratios(rows: Sequence[Sample], base: Sequence[Sample]) -> dict[str, float]:
    rps = _paired(rows, base, "rps")
    return {
        "rps": _median(rps),
        "rps_min": min(rps, default=math.nan),
        "rps_max": max(rps, default=math.nan),
        "p50": _median(_paired(rows, base, "p50_ms")),
        "p99": _median(_paired(rows, base, "p99_ms")),
        "capacity": _median([_share(1, r) for r in _paired(rows, base, "srv_cpu_us")]),
        "rps_of_medians": _share(_median([s.rps for s in rows]), _median([s.rps for s in base])),
    }


def _share(part: float, whole: float) -> float:
    return part / whole if whole else math.nan


def _paired(rows: Sequence[Sample], base: Sequence[Sample], field: str) -> list[float]:
    """``row / baseline`` for each round both ran (NaN where the baseline figure is 0)."""
    by_round = {s.round: getattr(s, field) for s in base}
    return [_share(getattr(s, field), by_round[s.round]) for s in rows if s.round in by_round]


def _mad(values: Sequence[float]) -> float:
    """Median absolute deviation: a spread that one disturbed round cannot inflate."""
    centre = _median(values)
    return _median([abs(v - centre) for v in values])


def _median(values: Sequence[float]) -> float:
    """Median that ignores NaN (a round without successes or without a server pid)."""
    clean = [v for v in values if not math.isnan(v)]
    return statistics.median(clean) if clean else math.nan


COLUMNS = (
    ("target", "<", "{}"),
    ("rps", ">", "{:.0f}"),
    ("±rps%", ">", "{:.1f}"),
    ("p50 ms", ">", "{:.2f}"),
    ("p99 ms", ">", "{:.2f}"),
    ("rps/base", ">", "{:.3f}"),
    ("cap/base", ">", "{:.3f}"),
    ("gen µs/req", ">", "{:.1f}"),
    ("gen cpu", ">", "{:.0%}"),
    ("srv µs/req", ">", "{:.1f}"),
    ("srv cpu", ">", "{:.0%}"),
    ("others", ">", "{:.2f}"),
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
        s["rps_mad_pct"],
        m["p50_ms"],
        m["p99_ms"],
        r["rps"],
        r["capacity"],
        m["gen_cpu_us"],
        m["gen_cpu_share"],
        m["srv_cpu_us"],
        m["srv_cpu_share"],
        m["others_cpus"],
        s["errors"],
    ]


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(
        c.ljust(w) if align == "<" else c.rjust(w)
        for c, w, (_, align, _) in zip(cells, widths, COLUMNS, strict=True)
    )


def bottleneck_notes(summary: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Warnings: the generator may have set the pace, or other processes took the CPU."""
    notes = [
        f"! {name}: generator used {s['median']['gen_cpu_share']:.0%} of a core; "
        "its rps may be the generator's limit, not the server's"
        for name, s in summary.items()
        if s["median"]["gen_cpu_share"] > GEN_BOUND_SHARE
    ]
    others = _median([s["median"]["others_cpus"] for s in summary.values()])
    if others > BUSY_OTHERS_CPUS:
        notes.append(
            f"! other processes kept {others:.2f} CPUs busy during a typical run: rps and "
            "latency ratios are noisy; cap/base (server CPU per request) is steadier"
        )
    return notes
