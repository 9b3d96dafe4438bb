"""Providers honour their consumers' pacts: every pact replayed against the running system.

HTTP interactions go to the provider's URL; messages come from the provider's test-mode
endpoint, which publishes them through the service's own use case and ``publish`` path,
so a planted defect in an event shows here. Each verification writes its record
(``<pacts>/verification/<consumer>-<provider>.json``) for ``harness gate``, and publishes
the result to the Pact Broker when one is configured.
"""

from __future__ import annotations

import json
from pathlib import Path

import allure
import pytest

from harness.broker.sync import PactSync
from harness.contracts import load_asyncapi
from harness.suites.contract.pactbook import pact_filename
from harness.suites.contract.records import build_record, record_path, write_record
from harness.suites.contract.relay import StateRelay
from harness.suites.contract.verify import HTTP_KIND, PactFile, Verification, verify_pact
from harness.suites.coverage import CoverageRecorder
from harness.suites.plugin import target_of
from harness.target import Target

RUNS_AFTER_CONSUMERS = True
# The reference system's pairs: verified even before their first pact was written, so a
# missing pact fails instead of being silently skipped.
REFERENCE_PAIRS = (
    ("gateway", "orders"),
    ("gateway", "products"),
    ("gateway", "users"),
    ("inventory", "payments"),
    ("notifications", "orders"),
    ("orders", "inventory"),
    ("orders", "payments"),
    ("orders", "products"),
    ("orders", "users"),
    ("payments", "inventory"),
    ("payments", "orders"),
)


def pact_names(pacts_dir: Path) -> list[str]:
    on_disk = {p.name for p in pacts_dir.glob("*.json")} if pacts_dir.is_dir() else set()
    return sorted(on_disk | {pact_filename(c, p) for c, p in REFERENCE_PAIRS})


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "pact_name" in metafunc.fixturenames:
        target = target_of(metafunc.config)
        names = pact_names(target.contracts.pacts)
        metafunc.parametrize("pact_name", names, ids=[n.removesuffix(".json") for n in names])


def test_provider_honours_the_pact(
    pact_name: str,
    published_pacts: Path,
    state_relay: StateRelay,
    target: Target,
    coverage: CoverageRecorder,
    pact_broker: PactSync | None,
) -> None:
    path = published_pacts / pact_name
    assert path.exists(), f"no pact at {path}: run the contract suite's consumer tests first"
    pact = PactFile.read(path)
    allure.dynamic.feature(f"{pact.consumer} -> {pact.provider}")
    allure.dynamic.story("provider verification")
    provider_url = target.services.get(pact.provider)
    assert provider_url, f"the target has no service {pact.provider!r} to verify {path.name}"
    first_call = len(state_relay.calls)
    verification = verify_pact(pact, provider_url=provider_url, state_url=state_relay.url)
    record = build_record(verification, target)
    write_record(record_path(target.contracts.pacts, pact.consumer, pact.provider), record)
    _attach(verification, record, state_relay, first_call)
    _record_coverage(verification, target, coverage)
    if pact_broker is not None:
        pact_broker.publish_record(record)
    assert verification.success, _explain(verification)


def _attach(
    verification: Verification, record: dict[str, object], relay: StateRelay, start: int
) -> None:
    allure.attach.file(
        verification.pact.path, name="pact", attachment_type=allure.attachment_type.JSON
    )
    allure.attach(
        verification.output, name="verifier output", attachment_type=allure.attachment_type.TEXT
    )
    allure.attach(
        json.dumps(record, indent=2),
        name="verification record",
        attachment_type=allure.attachment_type.JSON,
    )
    states = [
        f"{c.state} -> {c.service} ({c.status}): {c.answer[:300]}" for c in relay.calls_since(start)
    ]
    allure.attach(
        "\n".join(states) or "no provider states",
        name="provider states",
        attachment_type=allure.attachment_type.TEXT,
    )


def _record_coverage(
    verification: Verification, target: Target, coverage: CoverageRecorder
) -> None:
    pact = verification.pact
    index = load_asyncapi(target.contracts.asyncapi) if target.contracts.asyncapi else None
    for interaction in pact.interactions:
        if interaction.get("type", HTTP_KIND) == HTTP_KIND:
            request, response = interaction["request"], interaction["response"]
            coverage.http(pact.provider, request["method"], request["path"], response["status"])
            continue
        topic = str(interaction.get("metadata", {}).get("event-type", ""))
        channel = index.channel(topic) if index else None
        for message in channel.messages if channel else ():
            coverage.message(topic, message.name, outcome="verified")


def _explain(verification: Verification) -> str:
    lines = [f"{verification.pact.provider} does not honour {verification.pact.path.name}:"]
    for failure in verification.failures:
        lines.append(f"- {failure['interaction']} {failure['message']}".rstrip())
        lines.extend(
            f"    {m.get('path', '')}: {m.get('mismatch', '')}" for m in failure["mismatches"]
        )
    return "\n".join(lines)
