"""SLO files and their verdicts, shapes and Locust's CSV: the pure parts of harness load."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import ConfigError
from harness.load.charts import Series, line_chart
from harness.load.slo import Objective, evaluate, load_objectives
from harness.load.stats import read_stats
from loadtests.profiles import Size, users_at

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)


def stats_file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "stats_stats.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return path


ROWS = (
    "GET,/api/products,100,0,20,25,5,90,300,10.0,0,20,22,25,30,40,60,80,90,95,95,95",
    "POST,/api/orders,50,1,40,45,10,900,300,5.0,0.1,40,45,50,60,80,200,400,800,900,900,900",
    "SAGA,order -> COMPLETED,45,0,480,500,300,900,0,4.5,0,"
    "480,500,520,550,600,700,800,850,900,900,900",
    "SAGA,order -> CANCELLED,5,0,460,470,300,700,0,0.5,0,"
    "460,470,480,490,500,600,650,700,700,700,700",
    ",Aggregated,200,1,30,40,5,900,200,20.0,0.1,30,35,40,45,60,200,400,800,900,900,900",
)


def test_every_kind_of_objective_is_measured(tmp_path: Path) -> None:
    rows = read_stats(stats_file(tmp_path, *ROWS))
    objectives = [
        Objective("aggregate", "error_rate_max", 0.01),
        Objective("aggregate", "rps_min", 15),
        Objective("POST /api/orders", "p99_ms", 500),
        Objective("saga", "p95_ms", 1000),
        Objective("GET /api/missing", "p95_ms", 100),
    ]
    verdicts = {v.objective.label: v for v in evaluate(objectives, rows)}
    assert verdicts["aggregate error_rate_max"].measured == pytest.approx(1 / 200)
    assert verdicts["aggregate error_rate_max"].held
    assert verdicts["aggregate rps_min"].held
    assert not verdicts["POST /api/orders p99_ms"].held  # 800 > 500
    assert (
        "measured 800, objective <= 500 (BROKEN)" in verdicts["POST /api/orders p99_ms"].explanation
    )
    assert verdicts["saga p95_ms"].measured == 700  # the worse of the two saga outcomes
    missing = verdicts["GET /api/missing p95_ms"]
    assert not missing.held and "no requests measured" in missing.explanation


def test_the_projects_slo_file_loads() -> None:
    objectives = load_objectives(Path(__file__).resolve().parents[3] / "loadtests" / "slo.yaml")
    assert {o.scope for o in objectives} >= {"aggregate", "saga", "POST /api/orders"}


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("aggregate: {p42_ms: 1}", "unknown limit 'p42_ms'"),
        ("aggregate: {p95_ms: -1}", "must be a number >= 0"),
        ("endpoints: {'/api/orders': {p95_ms: 1}}", "must be 'METHOD name'"),
        ("[1, 2]", "expected a mapping"),
        ("aggregate: {p95_ms: [", "SLO file"),
    ],
)
def test_a_bad_slo_file_says_where_and_what(tmp_path: Path, text: str, complaint: str) -> None:
    path = tmp_path / "slo.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match="SLO file") as error:
        load_objectives(path)
    assert complaint in str(error.value)


def test_shapes_reach_their_users_and_end_on_time() -> None:
    size = Size(users=40, spawn_rate=10, duration=100)
    assert users_at("ramp", size, 0) == 1 and users_at("ramp", size, 50) == 40
    assert [users_at("step", size, t) for t in (0, 25, 50, 75)] == [10, 20, 30, 40]
    assert [users_at("spike", size, t) for t in (10, 50, 90)] == [10, 40, 10]
    assert users_at("soak", size, 99) == 40
    assert all(users_at(name, size, 100) is None for name in ("ramp", "step", "spike", "soak"))


def test_chart_is_svg_with_the_fault_window_shaded() -> None:
    svg = line_chart("rps", [Series("requests/s", [(0, 1.0), (10, 3.0)])], shaded=[(2, 4)])
    assert svg.startswith("<svg") and "<polyline" in svg and "<rect" in svg
