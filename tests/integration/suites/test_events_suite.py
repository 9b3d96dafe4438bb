"""The event suite run by the real runner against a real embedded stack: it passes,
checks every channel, feeds every consumer, and labels its Allure results by channel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.run.runner import ReportPaths, run_suite
from harness.run.suites import select_suites
from harness.run.targets import target_from_state
from harness.stack.embedded import EmbeddedStack
from harness.stack.options import StackOptions
from harness.stack.ports import pick_free_port_base
from harness.stack.topology import Topology
from tests.integration.services.conftest import EVENT_TYPES

pytestmark = [pytest.mark.integration, pytest.mark.e2e]

SAGA_CHANNELS = set(EVENT_TYPES)


def allure_labels(results: Path, name: str) -> set[str]:
    found = set()
    for path in results.glob("*-result.json"):
        result = json.loads(path.read_text())
        found |= {label["value"] for label in result.get("labels", []) if label["name"] == name}
    return found


def test_the_event_suite_passes_against_the_reference_services(tmp_path: Path) -> None:
    options = StackOptions(test_mode=True, ready_timeout=120.0)
    stack = EmbeddedStack(
        Topology(port_base=pick_free_port_base()), tmp_path / "state", options=options
    )
    stack.start()
    try:
        paths = ReportPaths(tmp_path / "reports")
        paths.root.mkdir(parents=True)
        paths.target_file.write_text(target_from_state(stack.state).to_json())
        [suite] = select_suites(["events"])
        result = run_suite(suite, paths, env={}, extra=[], say=lambda _line: None)
    finally:
        stack.stop()
    log = (paths.logs / "events.log").read_text()
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
