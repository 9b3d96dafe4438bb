"""The event suite run by the real runner against a real embedded stack: it passes,
checks every channel, feeds every consumer, and labels its Allure results by channel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.run.runner import ReportPaths
from tests.integration.services.conftest import EVENT_TYPES
from tests.integration.suites.on_stack import embedded_stack, run_suite_on, suite_log

pytestmark = [pytest.mark.integration, pytest.mark.e2e]

SAGA_CHANNELS = set(EVENT_TYPES)


def allure_labels(results: Path, name: str) -> set[str]:
    found = set()
    for path in results.glob("*-result.json"):
        result = json.loads(path.read_text())
        found |= {label["value"] for label in result.get("labels", []) if label["name"] == name}
    return found


def test_the_event_suite_passes_against_the_reference_services(tmp_path: Path) -> None:
    with embedded_stack(tmp_path / "state") as stack:
        result = run_suite_on(stack, tmp_path, "events")
    paths = ReportPaths(tmp_path / "reports")
    log = suite_log(tmp_path, "events")
    assert result.exit_code == 0, log
    assert result.total >= 40 and result.failed == 0
    coverage = [
        json.loads(line) for line in (paths.coverage / "events.jsonl").read_text().splitlines()
    ]
    validated = {r["channel"] for r in coverage if r.get("outcome") == "validated"}
    assert validated >= SAGA_CHANNELS
    fed = {r["channel"] for r in coverage if r.get("outcome") == "fed"}
    assert fed == SAGA_CHANNELS - {"payment.refunded"}  # nobody consumes payment.refunded
    dead = {r["channel"] for r in coverage if r.get("outcome") == "dead-lettered"}
    assert dead == {f"{channel}.dlq" for channel in fed}
    assert allure_labels(paths.results, "feature") >= SAGA_CHANNELS | {"saga: out_of_stock"}
    assert allure_labels(paths.results, "epic") == {"events"}
