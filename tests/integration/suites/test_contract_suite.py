"""The contract suite run by the real runner against a real embedded stack.

Every pact of the reference system is written (byte-identical to the committed ones)
and verified, each pair gets its verification record; and with the planted
``orders:renamed-event-field`` defect the message pact of order.created fails.
The suite works on a copy of contracts/ so the repository's files are never touched.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from harness.run.runner import SuiteResult
from harness.run.targets import target_from_state
from harness.stack.embedded import EmbeddedStack
from harness.suites.contract.test_provider_verification import REFERENCE_PAIRS
from harness.target import PROJECT_ROOT, Contracts
from tests.integration.suites.on_stack import embedded_stack, run_suite_on, suite_log

pytestmark = [pytest.mark.integration, pytest.mark.e2e]

COMMITTED = PROJECT_ROOT / "contracts"


def run_contract_suite(
    stack: EmbeddedStack, workdir: Path, *extra: str, pacts: tuple[str, ...] = ("*",)
) -> SuiteResult:
    """The contract suite, as ``harness run`` runs it, on a copy of the contracts that
    keeps only the committed pacts matching ``pacts``."""
    contracts = workdir / "contracts"
    shutil.copytree(COMMITTED, contracts, ignore=shutil.ignore_patterns("verification"))
    for pact in (contracts / "pacts").glob("*.json"):
        if not any(pact.match(pattern + ".json") for pattern in pacts):
            pact.unlink()
    target = dataclasses.replace(
        target_from_state(stack.state),
        contracts=Contracts(
            contracts / "openapi", contracts / "asyncapi" / "events.yaml", contracts / "pacts"
        ),
    )
    return run_suite_on(stack, workdir, "contract", *extra, target=target)


def record(workdir: Path, consumer: str, provider: str) -> dict[str, object]:
    path = workdir / "contracts" / "pacts" / "verification" / f"{consumer}-{provider}.json"
    loaded: dict[str, object] = json.loads(path.read_text())
    return loaded


def test_every_pact_is_written_unchanged_and_verified(tmp_path: Path) -> None:
    with embedded_stack(tmp_path / "state") as stack:
        result = run_contract_suite(stack, tmp_path, pacts=())
    assert result.exit_code == 0, suite_log(tmp_path, "contract")
    assert result.total >= 30 and result.failed == 0
    for consumer, provider in REFERENCE_PAIRS:
        name = f"{consumer}-{provider}.json"
        written = (tmp_path / "contracts" / "pacts" / name).read_text()
        assert written == (COMMITTED / "pacts" / name).read_text(), f"{name} differs"
        verified = record(tmp_path, consumer, provider)
        assert verified["success"] is True, verified["failures"]
    coverage = (tmp_path / "reports" / "coverage" / "contract.jsonl").read_text().splitlines()
    kinds = {json.loads(line)["kind"] for line in coverage}
    assert kinds == {"http", "message"}
    assert list((tmp_path / "reports" / "allure-results").glob("*-result.json"))


def test_a_renamed_event_field_breaks_the_message_pact(tmp_path: Path) -> None:
    with embedded_stack(tmp_path / "state", "orders:renamed-event-field") as stack:
        result = run_contract_suite(stack, tmp_path, "-k", "payments-orders")
    log = suite_log(tmp_path, "contract")
    assert (result.exit_code, result.total, result.failed) == (1, 1, 1), log
    verified = record(tmp_path, "payments", "orders")
    assert verified["success"] is False
    assert "total_cents" in json.dumps(verified["failures"])
    assert "total_cents" in suite_log(tmp_path, "contract")
