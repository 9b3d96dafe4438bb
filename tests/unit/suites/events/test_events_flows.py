"""Saga flow matching: complete flows pass; a missing, extra, repeated, early or
miscorrelated event is named in the verdict."""

from __future__ import annotations

from harness.suites.events.flows import (
    DECLINED,
    FLOWS,
    HAPPY,
    OUT_OF_STOCK,
    Step,
    dead_letters_by_order,
    judge,
    match_flow,
    saga_topics,
    settled,
    steps_by_order,
)
from harness.suites.events.records import BusRecord
from tests.unit.suites.events.conftest import MakeRecord

ORDER = "9a59fb67-a609-4030-8330-5bf88bc6bb9c"


def step(
    event_type: str,
    second: int,
    *,
    order: str = ORDER,
    event_id: str | None = None,
    correlation: str | None = None,
) -> Step:
    return Step(
        event_type=event_type,
        event_id=event_id or f"id-{event_type}",
        occurred_at=f"2025-03-14T09:26:{second:02d}.000Z",
        where=f"{event_type}[0]@{second}",
        correlation_id=correlation or order,
        payload_order_id=order,
    )


def steps_of(*event_types: str) -> list[Step]:
    return [step(event, second) for second, event in enumerate(event_types)]


def test_each_outcome_s_flow_in_order_is_ok() -> None:
    for flow in FLOWS.values():
        verdict = match_flow(ORDER, flow, steps_of(*flow.event_types))
        assert verdict.ok, verdict.explain()
        assert "as expected" in verdict.explain()


def test_a_missing_compensation_is_named() -> None:
    steps = steps_of("order.created", "payment.processed", "inventory.rejected", "order.cancelled")
    verdict = match_flow(ORDER, FLOWS[OUT_OF_STOCK], steps)
    assert not verdict.ok and not verdict.complete
    assert verdict.missing == ("payment.refunded",)
    [problem] = verdict.problems()
    assert "payment.refunded is missing" in problem and "compensation" in problem
    assert "inventory.rejected at" in verdict.explain()  # the timeline is shown


def test_concurrent_branches_may_come_in_either_order() -> None:
    cancelled_first = (
        "order.created",
        "payment.processed",
        "inventory.rejected",
        "order.cancelled",
    )
    steps = [*steps_of(*cancelled_first), step("payment.refunded", 4)]
    assert match_flow(ORDER, FLOWS[OUT_OF_STOCK], steps).ok


def test_an_event_of_another_outcome_is_unexpected() -> None:
    steps = steps_of("order.created", "payment.failed", "order.cancelled", "order.completed")
    verdict = match_flow(ORDER, FLOWS[DECLINED], steps)
    assert [s.event_type for s in verdict.unexpected] == ["order.completed"]
    assert "unexpected order.completed" in verdict.problems()[0]


def test_an_event_published_twice_with_new_ids_is_repeated_but_a_redelivery_is_not() -> None:
    flow = FLOWS[DECLINED]
    redelivered = [*steps_of(*flow.event_types), step("payment.failed", 5)]
    assert match_flow(ORDER, flow, redelivered).ok
    twice = [*steps_of(*flow.event_types), step("payment.failed", 5, event_id="other")]
    assert match_flow(ORDER, flow, twice).repeated == ("payment.failed",)


def test_an_effect_before_its_cause_is_early() -> None:
    steps = [step("order.created", 5), step("payment.failed", 3), step("order.cancelled", 6)]
    verdict = match_flow(ORDER, FLOWS[DECLINED], steps)
    assert len(verdict.early) == 1 and "before its cause order.created" in verdict.early[0]


def test_an_unreadable_occurred_at_is_reported() -> None:
    broken = Step("payment.failed", "x", "yesterday", "p[0]@1", ORDER, ORDER)
    verdict = match_flow(ORDER, FLOWS[DECLINED], [step("order.created", 1), broken])
    assert any("no readable occurred-at" in problem for problem in verdict.problems())


def test_events_must_carry_the_order_id_as_correlation_and_in_the_payload() -> None:
    steps = steps_of(*FLOWS[HAPPY].event_types)
    steps[1] = step("payment.processed", 1, correlation="someone-else")
    steps[2] = Step("inventory.reserved", "r", steps[2].occurred_at, "i[0]@2", ORDER, "other")
    problems = match_flow(ORDER, FLOWS[HAPPY], steps).miscorrelated
    assert len(problems) == 2
    assert "correlation-id 'someone-else'" in problems[0] and "order_id 'other'" in problems[1]


def test_steps_are_grouped_by_order_leaving_out_injected_and_foreign_records(
    record: MakeRecord,
) -> None:
    headers = {"event-id": "e1", "correlation-id": ORDER, "occurred-at": "2025-03-14T09:26:00Z"}
    records = [
        record("order.created", key=ORDER, payload={"order_id": ORDER}, headers=headers),
        record("order.created", key=ORDER, payload={}, headers=headers, injected=True),
        record("order.created", key="another-order", payload={}),
        record("order.created.dlq", key=ORDER, payload={}),
    ]
    grouped = steps_by_order(records, [ORDER])
    assert [s.event_type for s in grouped[ORDER]] == ["order.created"]
    assert grouped[ORDER][0].payload_order_id == ORDER and grouped[ORDER][0].event_id == "e1"
    assert set(saga_topics()) >= {"order.created", "payment.refunded", "order.cancelled"}


def test_settled_when_every_order_has_its_events_or_a_dead_letter(record: MakeRecord) -> None:
    def published(event_type: str, offset: int) -> BusRecord:
        headers = {
            "event-id": event_type,
            "occurred-at": f"2025-03-14T09:26:0{offset}Z",
            "correlation-id": ORDER,
        }
        return record(event_type, key=ORDER, payload={"order_id": ORDER}, headers=headers)

    records = [published(event, n) for n, event in enumerate(FLOWS[DECLINED].event_types)]
    assert settled(judge(records, {ORDER: DECLINED}))
    assert all(verdict.ok for verdict in judge(records, {ORDER: DECLINED}))
    unfinished = judge(records[:1], {ORDER: DECLINED})
    assert not settled(unfinished) and unfinished[0].missing == FLOWS[DECLINED].event_types[1:]


def test_dead_letters_of_an_order_s_events_are_problems(record: MakeRecord) -> None:
    origin = {
        "dlq-original-topic": "order.created",
        "dlq-original-partition": "1",
        "dlq-original-offset": "4",
        "dlq-consumer": "payments",
        "dlq-reason": "amount_cents: extra fields not permitted",
    }
    records = [
        record("order.created.dlq", key=ORDER, value=b"{}", headers=origin),
        record("order.created.dlq", key=ORDER, value=b"{}", headers=origin, injected=True),
        record("order.created", key=ORDER, payload={}),
    ]
    dead = dead_letters_by_order(records, [ORDER])
    assert dead == {
        ORDER: [
            "order.created[1]@4 was dead-lettered by payments: "
            "amount_cents: extra fields not permitted"
        ]
    }
    verdict = match_flow(ORDER, FLOWS[DECLINED], [step("order.created", 0)], dead[ORDER])
    assert "was dead-lettered by payments: amount_cents" in verdict.explain()
    assert settled([verdict]) and not verdict.ok
