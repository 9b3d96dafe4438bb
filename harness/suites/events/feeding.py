"""Feed every consumer at once and watch them until each has answered or time is up.

All topics are fed together (one partition each, records in plan order), then the
dead-letter topics are read from where they ended before sending, and each consumer's
counters and health are polled, so the whole check costs one deadline at most.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

import httpx

from harness.suites.events.bus import BusReader, Injector
from harness.suites.events.consumers import FeedOutcome, FeedTarget, TopicPlan
from harness.suites.events.probes import ServiceProbe
from harness.suites.events.records import dead_letter_topic
from harness.suites.events.samples import Sent

FEED_DEADLINE_S = 15.0
HEALTH_EVERY_S = 1.0


async def send_plan(injector: Injector, plan: TopicPlan) -> list[Sent]:
    """The plan's records in order, all on the partition the first one landed on."""
    first, *rest = plan.drafts()
    sent = [await injector.send(first)]
    for draft in rest:
        sent.append(await injector.send(draft, partition=sent[0].partition))
    return sent


async def feed(
    bootstrap: str,
    plans: Mapping[str, TopicPlan],
    targets: Sequence[FeedTarget],
    services: Mapping[str, str],
    *,
    deadline_s: float = FEED_DEADLINE_S,
) -> list[FeedOutcome]:
    """Send every plan, then watch each target until satisfied or the deadline."""
    async with (
        httpx.AsyncClient() as http,
        BusReader(bootstrap) as reader,
        Injector(bootstrap) as injector,
    ):
        probes = {name: ServiceProbe(name, services[name], http) for name in _services(targets)}
        before = {name: await probe.counts() for name, probe in probes.items()}
        await reader.follow([dead_letter_topic(t) for t in plans], from_end=True)
        sent = {topic: await send_plan(injector, plan) for topic, plan in plans.items()}
        outcomes = [
            FeedOutcome(t, plans[t.topic], sent[t.topic], before[t.service]) for t in targets
        ]
        await _watch(reader, probes, outcomes, plans, deadline_s)
    return outcomes


def _services(targets: Sequence[FeedTarget]) -> list[str]:
    return sorted({t.service for t in targets})


async def _watch(
    reader: BusReader,
    probes: Mapping[str, ServiceProbe],
    outcomes: Sequence[FeedOutcome],
    plans: Mapping[str, TopicPlan],
    deadline_s: float,
) -> None:
    started = time.monotonic()
    next_health = started
    while True:
        await reader.follow([dead_letter_topic(t) for t in plans])  # a DLQ made late
        records = await reader.poll()
        for outcome in outcomes:
            outcome.add_dead_letters(records)
        counts = {name: await probe.counts() for name, probe in probes.items()}
        for outcome in outcomes:
            outcome.counts_after = counts[outcome.target.service]
            outcome.waited_s = time.monotonic() - started
        now = time.monotonic()
        if now >= next_health:
            await _check_health(probes, outcomes, now - started)
            next_health = now + HEALTH_EVERY_S
        if all(o.satisfied for o in outcomes) or now - started > deadline_s:
            break
    for name, probe in probes.items():
        final = await probe.health()
        for outcome in outcomes:
            if outcome.target.service == name:
                outcome.final_health = final


async def _check_health(
    probes: Mapping[str, ServiceProbe], outcomes: Sequence[FeedOutcome], elapsed: float
) -> None:
    for name, probe in probes.items():
        health = await probe.health()
        if health.ok:
            continue
        for outcome in outcomes:
            if outcome.target.service == name:
                outcome.bad_health.append(f"at +{elapsed:.1f} s: {health}")
