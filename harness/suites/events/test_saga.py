"""The saga as a flow: each order of the burst shows its expected events, in causal
order, correlated by order id, within the deadline."""

from __future__ import annotations

import pytest

from harness.contracts import ContractIndex
from harness.suites.coverage import CoverageRecorder
from harness.suites.events.flows import FLOWS
from harness.suites.events.reporting import attach_text, check, label
from harness.suites.events.saga import SagaObservation


def test_each_order_shows_its_saga_flow(
    scenario: str, saga: SagaObservation, contract: ContractIndex, coverage: CoverageRecorder
) -> None:
    flow = FLOWS[scenario]
    label(f"saga: {scenario}", "saga flow", f"saga flow: {' -> '.join(flow.event_types)}")
    verdicts = [v for v in saga.verdicts if v.flow.scenario == scenario]
    if not verdicts:
        pytest.skip(f"the burst placed no {scenario} order")
    attach_text("orders and their events", "\n\n".join(v.explain() for v in verdicts))
    for verdict in verdicts:
        for step in verdict.steps:
            channel = contract.channel(step.event_type)
            if channel is not None and channel.messages:
                coverage.message(channel.topic, channel.messages[0].name, outcome="flow")
    broken = [v for v in verdicts if not v.ok]
    title = (
        f"{len(broken)} of {len(verdicts)} {scenario} orders broke the flow "
        f"{' -> '.join(flow.event_types)} (deadline {saga.deadline_s:.0f} s after placing)"
    )
    check(title, (v.explain() for v in broken))
