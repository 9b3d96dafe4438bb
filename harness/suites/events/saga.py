"""Watch the bus until every order of the burst has its whole flow, or its deadline."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from harness.suites.events.burst import PlacedOrder
from harness.suites.events.bus import BusReader
from harness.suites.events.flows import FlowVerdict, judge, saga_topics, settled
from harness.suites.events.records import BusRecord

FLOW_DEADLINE_S = 20.0


@dataclass(frozen=True)
class SagaObservation:
    verdicts: tuple[FlowVerdict, ...]
    records: tuple[BusRecord, ...]  # every record read from the saga (and dead-letter) topics
    waited_s: float
    deadline_s: float


async def observe(
    bootstrap: str, placed: Sequence[PlacedOrder], *, deadline_s: float = FLOW_DEADLINE_S
) -> SagaObservation:
    """Read the saga topics from the start, then follow them until all flows are
    complete or ``deadline_s`` after the last order was placed."""
    scenarios = {order.order_id: order.scenario for order in placed}
    started = time.monotonic()
    stop_at = max((o.placed_at for o in placed), default=started) + deadline_s
    async with BusReader(bootstrap) as reader:
        await reader.follow(saga_topics(dead_letters=True))
        records = await reader.read_to_end()
        while time.monotonic() < stop_at and not settled(judge(records, scenarios)):
            await reader.follow(saga_topics(dead_letters=True))  # a topic made late
            records += await reader.poll()
        records += await reader.read_to_end()  # what came with the last event, too
    verdicts = judge(records, scenarios)
    return SagaObservation(verdicts, tuple(records), time.monotonic() - started, deadline_s)
