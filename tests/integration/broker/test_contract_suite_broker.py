"""The contract suite publishes to a configured Pact Broker: run by the real runner
against a real embedded stack, with the stand-in broker named by PACT_BROKER_BASE_URL.

Only the gateway-users verification runs (``-k``), on a copy of contracts/: every pact
of the folder reaches the broker under the build, then the one verification result,
against the pact the broker holds for that build.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from harness.run.targets import target_from_state
from harness.target import PROJECT_ROOT, Contracts
from tests.integration.broker.standin import running_broker
from tests.integration.suites.on_stack import embedded_stack, run_suite_on, suite_log

pytestmark = [pytest.mark.integration, pytest.mark.e2e]


def test_the_contract_suite_publishes_pacts_and_verification_results(tmp_path: Path) -> None:
    contracts = tmp_path / "contracts"
    shutil.copytree(PROJECT_ROOT / "contracts", contracts)
    committed = sorted((contracts / "pacts").glob("*.json"))
    env = {"HARNESS_PACT_VERSION": "e2e-1", "HARNESS_PACT_BRANCH": "main"}
    with running_broker() as (url, state), embedded_stack(tmp_path / "state") as stack:
        target = dataclasses.replace(
            target_from_state(stack.state),
            contracts=Contracts(
                contracts / "openapi", contracts / "asyncapi" / "events.yaml", contracts / "pacts"
            ),
        )
        env["PACT_BROKER_BASE_URL"] = url
        only = ("-k", "gateway-users")
        result = run_suite_on(stack, tmp_path, "contract", *only, env=env, target=target)
    assert (result.exit_code, result.failed) == (0, 0), suite_log(tmp_path, "contract")
    published = {(provider, consumer) for provider, consumer, _ in state.pacts}
    assert len(published) == len(committed)
    pact = contracts / "pacts" / "gateway-users.json"
    assert state.pacts[("users", "gateway", "e2e-1")] == pact.read_bytes()
    [verification] = state.verifications
    assert (verification["consumer"], verification["provider"]) == ("gateway", "users")
    assert (verification["success"], verification["providerApplicationVersion"]) == (True, "e2e-1")
    assert state.versions["users"]["e2e-1"]["branches"] == ["main"]
    record = json.loads((contracts / "pacts" / "verification" / "gateway-users.json").read_text())
    assert len(verification["testResults"]) == len(record["interactions"])
