"""The order saga as flows of events, and matching what the bus shows against them (pure).

A flow lists each expected event with the event that causes it. In a choreographed
saga some events are concurrent (after ``inventory.rejected``, payments refunds and
orders cancels independently), so a flow is a small causal graph, not a strict order:
an event must not have happened before its cause (``occurred-at``; ties allowed).

Matching is per order: the service-published (not injected) records whose key (else
``correlation-id`` header) is the order id. Each must also carry the order id as
``correlation-id`` and as ``order_id`` in its payload; an event type seen with two
different event ids happened twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from harness.suites.events.records import (
    CORRELATION_HEADER,
    DLQ_CONSUMER,
    DLQ_REASON,
    EVENT_ID_HEADER,
    OCCURRED_AT_HEADER,
    BusRecord,
    correlation_of,
    dead_letter_origin,
    dead_letter_topic,
)

HAPPY, DECLINED, OUT_OF_STOCK = "happy", "declined", "out_of_stock"


@dataclass(frozen=True)
class Flow:
    """Expected events in the order they are listed, each with its cause (None: first)."""

    scenario: str
    steps: tuple[tuple[str, str | None], ...]

    @property
    def event_types(self) -> tuple[str, ...]:
        return tuple(event for event, _ in self.steps)

    def cause_of(self, event_type: str) -> str | None:
        return dict(self.steps).get(event_type)


FLOWS: Mapping[str, Flow] = {
    HAPPY: Flow(
        HAPPY,
        (
            ("order.created", None),
            ("payment.processed", "order.created"),
            ("inventory.reserved", "payment.processed"),
            ("order.completed", "inventory.reserved"),
        ),
    ),
    DECLINED: Flow(
        DECLINED,
        (
            ("order.created", None),
            ("payment.failed", "order.created"),
            ("order.cancelled", "payment.failed"),
        ),
    ),
    OUT_OF_STOCK: Flow(
        OUT_OF_STOCK,
        (
            ("order.created", None),
            ("payment.processed", "order.created"),
            ("inventory.rejected", "payment.processed"),
            ("payment.refunded", "inventory.rejected"),  # the compensation
            ("order.cancelled", "inventory.rejected"),
        ),
    ),
}


def saga_topics(*, dead_letters: bool = False) -> tuple[str, ...]:
    """The saga's event topics (and their dead-letter topics, when asked)."""
    events = sorted({event for flow in FLOWS.values() for event in flow.event_types})
    return (*events, *(dead_letter_topic(e) for e in events)) if dead_letters else tuple(events)


@dataclass(frozen=True)
class Step:
    """One event of an order as seen on the bus."""

    event_type: str
    event_id: str | None
    occurred_at: str | None
    where: str
    correlation_id: str | None
    payload_order_id: object

    @classmethod
    def of(cls, record: BusRecord) -> Step:
        payload = record.payload()
        return cls(
            event_type=record.topic,
            event_id=record.header(EVENT_ID_HEADER),
            occurred_at=record.header(OCCURRED_AT_HEADER),
            where=record.where,
            correlation_id=record.header(CORRELATION_HEADER),
            payload_order_id=payload.get("order_id") if isinstance(payload, dict) else None,
        )

    def moment(self) -> datetime | None:
        try:
            return datetime.fromisoformat((self.occurred_at or "").replace("Z", "+00:00"))
        except ValueError:
            return None

    def __str__(self) -> str:
        return f"{self.event_type} at {self.occurred_at or '?'} ({self.where})"


def steps_by_order(records: Iterable[BusRecord], order_ids: Iterable[str]) -> dict[str, list[Step]]:
    """The published (not injected) saga events of each order, in bus order."""
    wanted = set(order_ids)
    topics = set(saga_topics())
    found: dict[str, list[Step]] = {order_id: [] for order_id in wanted}
    for record in records:
        order_id = correlation_of(record)
        if record.injected or record.topic not in topics or order_id not in wanted:
            continue
        found[order_id].append(Step.of(record))
    return found


def dead_letters_by_order(
    records: Iterable[BusRecord], order_ids: Iterable[str]
) -> dict[str, list[str]]:
    """Why a published saga event of each order was dead-lettered, if it was (the
    usual reason a flow stops half way)."""
    wanted = set(order_ids)
    found: dict[str, list[str]] = {order_id: [] for order_id in wanted}
    for record in records:
        origin = dead_letter_origin(record)
        order_id = correlation_of(record)
        if origin is None or record.injected or order_id not in wanted:
            continue
        topic, partition, offset = origin
        found[order_id].append(
            f"{topic}[{partition}]@{offset} was dead-lettered by "
            f"{record.header(DLQ_CONSUMER)}: {record.header(DLQ_REASON)}"
        )
    return found


@dataclass(frozen=True)
class FlowVerdict:
    order_id: str
    flow: Flow
    steps: tuple[Step, ...]
    missing: tuple[str, ...]
    unexpected: tuple[Step, ...]
    repeated: tuple[str, ...]
    early: tuple[str, ...]
    miscorrelated: tuple[str, ...]
    dead_lettered: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def ok(self) -> bool:
        return not self.problems()

    def problems(self) -> list[str]:
        problems = [
            f"{event} is missing (expected after {self.flow.cause_of(event) or 'the order'})"
            + (" - the compensation never happened" if event == "payment.refunded" else "")
            for event in self.missing
        ]
        problems += [
            f"unexpected {step} for a {self.flow.scenario} order" for step in self.unexpected
        ]
        problems += [
            f"{event} happened more than once (different event ids)" for event in self.repeated
        ]
        problems += self.early
        problems += self.miscorrelated
        problems += self.dead_lettered
        return problems

    def timeline(self) -> str:
        ordered = sorted(self.steps, key=lambda step: step.occurred_at or "")
        return "\n".join(f"    {step}" for step in ordered) or "    (no events)"

    def explain(self, scenario_note: str = "") -> str:
        head = f"order {self.order_id} ({self.flow.scenario}{scenario_note})"
        if self.ok:
            return f"{head}: {' -> '.join(self.flow.event_types)} as expected"
        lines = [f"{head}:", *(f"  - {p}" for p in self.problems())]
        return "\n".join([*lines, "  seen on the bus:", self.timeline()])


def match_flow(
    order_id: str, flow: Flow, steps: Iterable[Step], dead_lettered: Iterable[str] = ()
) -> FlowVerdict:
    """Judge one order's events (and the dead letters of its events) against its flow."""
    seen = tuple(steps)
    expected = flow.event_types
    first: dict[str, Step] = {}
    ids: dict[str, set[str | None]] = {}
    for step in seen:
        first.setdefault(step.event_type, step)
        ids.setdefault(step.event_type, set()).add(step.event_id)
    return FlowVerdict(
        order_id=order_id,
        flow=flow,
        steps=seen,
        missing=tuple(event for event in expected if event not in first),
        unexpected=tuple(step for step in seen if step.event_type not in expected),
        repeated=tuple(event for event in expected if len(ids.get(event, ())) > 1),
        early=tuple(_early(flow, first)),
        miscorrelated=tuple(_miscorrelated(order_id, seen)),
        dead_lettered=tuple(dead_lettered),
    )


def _early(flow: Flow, first: Mapping[str, Step]) -> Iterable[str]:
    """Events that happened before their cause (by occurred-at)."""
    for event, cause in flow.steps:
        if cause is None or event not in first or cause not in first:
            continue
        effect_at, cause_at = first[event].moment(), first[cause].moment()
        if effect_at is None or cause_at is None:
            yield f"{first[event]} or its cause has no readable occurred-at header"
        elif effect_at < cause_at:
            yield f"{first[event]} happened before its cause {first[cause]}"


def _miscorrelated(order_id: str, steps: Iterable[Step]) -> Iterable[str]:
    for step in steps:
        if step.correlation_id != order_id:
            yield f"{step} has correlation-id {step.correlation_id!r}, expected the order id"
        if step.payload_order_id != order_id:
            yield f"{step} has order_id {step.payload_order_id!r} in its payload"


def judge(records: Iterable[BusRecord], scenarios: Mapping[str, str]) -> tuple[FlowVerdict, ...]:
    """The verdict on each order (order id -> scenario) from what the records show."""
    seen = list(records)
    steps, dead = steps_by_order(seen, scenarios), dead_letters_by_order(seen, scenarios)
    return tuple(
        match_flow(order_id, FLOWS[scenario], steps[order_id], dead[order_id])
        for order_id, scenario in scenarios.items()
    )


def settled(verdicts: Iterable[FlowVerdict]) -> bool:
    """Every order has all its events, or had one dead-lettered (then it will not go
    on): the poll's stop condition."""
    return all(verdict.complete or verdict.dead_lettered for verdict in verdicts)
