"""A headless run's outcome: the SLO table on the terminal and the Allure epic Load."""

from __future__ import annotations

import json
import re
import time
from dataclasses import asdict
from pathlib import Path

from harness.load.charts import history, history_start, line_chart
from harness.load.faults import Window
from harness.load.slo import Verdict
from harness.run.allure_results import Attachment, write_result


def slo_table(verdicts: list[Verdict]) -> str:
    width = max((len(v.objective.label) for v in verdicts), default=10)
    lines = [f"{'objective':<{width}}  {'limit':>10}  {'measured':>10}  result"]
    for v in verdicts:
        measured = "-" if v.measured is None else f"{v.measured:.4g}"
        limit, result = f"{v.objective.value:g}", "held" if v.held else "BROKEN"
        lines.append(f"{v.objective.label:<{width}}  {limit:>10}  {measured:>10}  {result}")
    held = sum(v.held for v in verdicts)
    lines.append(f"{held}/{len(verdicts)} objectives held")
    return "\n".join(lines)


def fault_spans(windows: list[Window], history_csv: Path) -> list[tuple[float, float]]:
    """Fault windows in seconds since the charts' time zero (the first history row)."""
    start = history_start(history_csv) if history_csv.exists() else None
    if start is None:
        return []
    return [w.spans(start, time.time()) for w in windows]


def fault_table(windows: list[Window], spans: list[tuple[float, float]]) -> str:
    lines = [f"{'fault':<28}  {'source':<8}  {'on at':>7}  {'off at':>7}"]
    for window, (begin, end) in zip(windows, spans, strict=True):
        lines.append(f"{window.fault:<28}  {window.source:<8}  {begin:>6.1f}s  {end:>6.1f}s")
    return "\n".join(lines)


def write_summary(
    folder: Path,
    verdicts: list[Verdict],
    windows: list[Window],
    spans: list[tuple[float, float]],
) -> Path:
    """``summary.json``: each SLO against its measured value, and the fault windows."""
    body = {
        "slos": [
            {"objective": v.objective.label, "limit": v.objective.value}
            | {"measured": v.measured, "held": v.held}
            for v in verdicts
        ],
        "faults": [
            asdict(w) | {"on_s": round(b, 3), "off_s": round(e, 3)}
            for w, (b, e) in zip(windows, spans, strict=True)
        ],
    }
    path = folder / "summary.json"
    path.write_text(json.dumps(body, indent=2))
    return path


def write_charts(folder: Path, history_csv: Path, faults: list[tuple[float, float]]) -> list[Path]:
    """The charts as SVG files next to Locust's CSV (UI runs have no Allure results)."""
    written = []
    for chart in charts(history_csv, faults):
        path = folder / f"{re.sub(r'[^a-z]+', '-', chart.name).strip('-')}.svg"
        path.write_text(chart.content)
        written.append(path)
    return written


def charts(history_csv: Path, faults: list[tuple[float, float]]) -> tuple[Attachment, ...]:
    if not history_csv.exists():
        return ()
    series = history(history_csv)
    specs = (
        ("requests per second", ("requests/s", "failures/s")),
        ("response times (ms)", ("p50 ms", "p95 ms")),
        ("users", ("users",)),
    )
    return tuple(
        Attachment(
            title,
            line_chart(title, [series[n] for n in names], shaded=faults),
            "image/svg+xml",
            "svg",
        )
        for title, names in specs
    )


def write_allure(
    results_dir: Path,
    verdicts: list[Verdict],
    *,
    history_csv: Path,
    faults: list[tuple[float, float]] | None = None,
) -> None:
    attached = charts(history_csv, faults or [])
    for verdict in verdicts:
        write_result(
            results_dir,
            name=verdict.objective.label,
            passed=verdict.held,
            epic="load",
            feature=verdict.objective.scope,
            message="" if verdict.held else verdict.explanation,
            attachments=attached,
        )
