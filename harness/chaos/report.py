"""An experiment's Allure result (epic chaos): the journal and a timeline of latency and
error rate per second, the fault window shaded and breaker state changes marked (pure
apart from writing files)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from harness.chaos.marks import Mark, draw_marks
from harness.chaos.probes import percentile
from harness.chaos.runner import Journal
from harness.chaos.world import Sample, World
from harness.load.charts import Series, line_chart
from harness.run.allure_results import Attachment, write_result


def timeline(samples: list[Sample], window: tuple[float, float], marks: Sequence[Mark] = ()) -> str:
    seconds: dict[int, list[Sample]] = defaultdict(list)
    for sample in samples:
        seconds[int(sample.at)].append(sample)
    latency = Series(
        "p95 ms", [(t, percentile([s.ms for s in b], 95)) for t, b in sorted(seconds.items())]
    )
    errors = Series(
        "errors %",
        [
            (t, 100 * sum(not 200 <= s.status < 300 for s in b) / len(b))
            for t, b in sorted(seconds.items())
        ],
    )
    x_max = float(max(seconds, default=0))  # line_chart's x scale: the last second
    charts = (
        line_chart("order latency (p95 ms per second)", [latency], shaded=[window]),
        line_chart("error rate (% per second)", [errors], shaded=[window]),
    )
    return "\n".join(draw_marks(chart, marks, x_max) for chart in charts)


def write_allure(results: Path, journal: Journal, world: World, journal_json: str) -> None:
    deviations = [r.line() for rs in journal.probes.values() for r in rs if not r.held]
    if journal.error:
        deviations.append(journal.error)
    write_result(
        results,
        name=journal.title,
        passed=journal.held,
        epic="chaos",
        feature=journal.experiment,
        message="; ".join(deviations),
        attachments=(
            Attachment("journal", journal_json, "application/json", "json"),
            Attachment(
                "timeline",
                timeline(world.window(0), journal.fault_window, world.breaker_marks),
                "image/svg+xml",
                "svg",
            ),
        ),
    )
