"""``harness run`` as a user runs it (what ``make run`` does): it starts the embedded
stack, runs every suite against the reference services, writes the reports, stops the
stack again and exits 0; ``--min-coverage`` above what was reached fails the run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli.main import main
from harness.stack.ports import pick_free_port_base
from harness.stack.state import load_state

pytestmark = [pytest.mark.integration, pytest.mark.e2e]

SUITES = {"drift", "contract", "fuzz", "events"}


def test_harness_run_passes_every_suite_and_stops_what_it_started(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, reports = tmp_path / "state", tmp_path / "reports"
    argv = ["run", "--port-base", str(pick_free_port_base()), "--state-dir", str(state)]
    argv += ["--reports", str(reports), "--seed", "7", "--max-examples", "2", "--no-html"]
    code = main(argv)
    out = capsys.readouterr().out
    assert code == 0, out
    for suite in SUITES:
        assert f"{suite}: " in out and (reports / "junit" / f"{suite}.xml").is_file()
    assert "coverage: " in out and "stopped the embedded stack" in out
    recorded = load_state(state)
    assert recorded is not None and len(recorded.processes) >= 9  # proxy, kafka, 7 services
    assert recorded.live_processes() == [], "a process of the stack it started is still up"
    epics = set()
    for path in (reports / "allure-results").glob("*-result.json"):
        result = json.loads(path.read_text())
        assert result["status"] in ("passed", "skipped"), result["name"]
        epics |= {label["value"] for label in result["labels"] if label["name"] == "epic"}
    assert epics == SUITES | {"coverage"}  # plus the coverage table as its own result

    state2 = tmp_path / "state2"
    strict = ["run", "drift", "--port-base", str(pick_free_port_base())]
    strict += ["--state-dir", str(state2), "--reports", str(tmp_path / "r2"), "--no-html"]
    code = main([*strict, "--min-coverage", "99"])
    out = capsys.readouterr().out
    assert code == 1, out
    assert "% is below --min-coverage 99" in out, out
