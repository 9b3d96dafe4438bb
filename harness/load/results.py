"""A headless run's outcome: the SLO table on the terminal and the Allure epic Load."""

from __future__ import annotations

from pathlib import Path

from harness.load.charts import history, line_chart
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
