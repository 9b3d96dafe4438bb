"""Small SVG line charts of a load run (no plotting library): requests/s, response times
and users over time, with fault windows shaded (pure)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

WIDTH, HEIGHT, PAD = 640, 220, 40
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")


@dataclass(frozen=True)
class Series:
    label: str
    points: list[tuple[float, float]]  # (seconds since start, value)


def history_start(path: Path) -> float | None:
    """Epoch seconds of the first aggregated row: time zero of the charts."""
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("Name") == "Aggregated":
                return float(row["Timestamp"])
    return None


def history(path: Path) -> dict[str, Series]:
    """Aggregated columns of ``<prefix>_stats_history.csv`` as series."""
    columns = {
        "Requests/s": "requests/s",
        "Failures/s": "failures/s",
        "50%": "p50 ms",
        "95%": "p95 ms",
        "User Count": "users",
    }
    found: dict[str, Series] = {label: Series(label, []) for label in columns.values()}
    start: float | None = None
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("Name") != "Aggregated":
                continue
            stamp = float(row["Timestamp"])
            start = stamp if start is None else start
            for column, label in columns.items():
                value = row.get(column, "")
                if value not in ("", "N/A"):
                    found[label].points.append((stamp - start, float(value)))
    return found


def line_chart(
    title: str, series: Sequence[Series], *, shaded: Sequence[tuple[float, float]] = ()
) -> str:
    points = [p for s in series for p in s.points]
    x_max = max((x for x, _ in points), default=1.0) or 1.0
    y_max = max((y for _, y in points), default=1.0) or 1.0

    def sx(x: float) -> float:
        return PAD + (WIDTH - 2 * PAD) * x / x_max

    def sy(y: float) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * y / y_max

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'font-family="sans-serif" font-size="11">',
        f'<text x="{PAD}" y="16" font-size="13">{escape(title)}</text>',
    ]
    for begin, end in shaded:
        parts.append(
            f'<rect x="{sx(begin):.1f}" y="{PAD}" width="{max(1.0, sx(end) - sx(begin)):.1f}" '
            f'height="{HEIGHT - 2 * PAD}" fill="#f4b400" opacity="0.25"/>'
        )
    parts.append(
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" '
        f'y2="{HEIGHT - PAD}" stroke="#999"/>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 12}" text-anchor="end">{x_max:.0f} s</text>'
        f'<text x="4" y="{PAD + 4}">{y_max:.4g}</text>'
    )
    for index, one in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        coords = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in one.points)
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{coords}"/>'
        )
        parts.append(
            f'<text x="{PAD + 110 * index}" y="{HEIGHT - 12}" fill="{colour}">'
            f"{escape(one.label)}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)
