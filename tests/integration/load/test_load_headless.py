"""harness load against a real embedded stack: a short headless run with two workers
meets its SLOs; a deliberately tight SLO fails the run with exit 1 and says which."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.load.stats import read_stats
from tests.integration.load.commands import harness_load

pytestmark = pytest.mark.integration


def test_short_distributed_run_meets_its_slos(target_file: Path, tmp_path: Path) -> None:
    done = harness_load(
        target_file,
        tmp_path,
        "--users",
        "6",
        "--spawn-rate",
        "6",
        "--duration",
        "15",
        "--workers",
        "2",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "objectives held" in done.stdout and "BROKEN" not in done.stdout
    rows = {(r.method, r.name): r for r in read_stats(tmp_path / "load" / "stats_stats.csv")}
    assert rows[("", "Aggregated")].requests > 0
    assert any(method == "SAGA" and row.requests for (method, _), row in rows.items())
    assert (tmp_path / "load" / "locust-report.html").stat().st_size > 0
    assert list((tmp_path / "allure-results").glob("*-result.json"))


def test_a_tight_slo_fails_the_run_and_names_it(target_file: Path, tmp_path: Path) -> None:
    slo = tmp_path / "tight.yaml"
    slo.write_text("endpoints:\n  GET /api/products:\n    p50_ms: 0.001\n")
    done = harness_load(
        target_file,
        tmp_path,
        "--users",
        "2",
        "--spawn-rate",
        "2",
        "--duration",
        "5",
        "--slo",
        str(slo),
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "GET /api/products p50_ms" in done.stdout and "BROKEN" in done.stdout
