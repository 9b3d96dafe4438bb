"""The verdict on a fed consumer: healthy consumers pass; a crash, a lost dead letter, a
rejected valid record or a stalled partition is named with its evidence."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from harness.contracts import ContractIndex
from harness.suites.events.consumers import (
    VALID_AFTER,
    VALID_BEFORE,
    FeedOutcome,
    FeedTarget,
    TopicPlan,
    anchor_for,
    feed_targets,
    plan_topic,
)
from harness.suites.events.probes import DEAD_LETTERED, PROCESSED, Health
from harness.suites.events.records import BusRecord
from harness.suites.events.samples import Sent
from tests.unit.suites.events.conftest import MakeRecord, make_record

TOPIC = "inventory.rejected"
TARGET = FeedTarget("payments", TOPIC)


@pytest.fixture
def plan(index: ContractIndex, record: MakeRecord) -> TopicPlan:
    anchor = record(TOPIC, payload={"order_id": "9a59fb67-a609-4030-8330-5bf88bc6bb9c"})
    return plan_topic(index, index.channels[TOPIC].messages[0], anchor=anchor, seed=7)


def sent_all(plan: TopicPlan) -> list[Sent]:
    return [Sent(draft, 1, offset) for offset, draft in enumerate(plan.drafts(), start=10)]


def counts(processed: int, dead: int = 0) -> Counter[tuple[str, str]]:
    return Counter({(TOPIC, PROCESSED): processed, (TOPIC, DEAD_LETTERED): dead})


def dead_letter(sent: Sent, *, service: str = "payments", reason: str = "bad") -> BusRecord:
    headers = {
        "dlq-reason": reason,
        "dlq-consumer": service,
        "dlq-original-topic": sent.draft.topic,
        "dlq-original-partition": str(sent.partition),
        "dlq-original-offset": str(sent.offset),
    }
    made = make_record(f"{TOPIC}.dlq", headers=headers, value=sent.draft.value, offset=sent.offset)
    return replace(made, key=sent.draft.key)


def outcome_of(plan: TopicPlan, *, processed: int, dead_lettered: list[str]) -> FeedOutcome:
    sent = sent_all(plan)
    outcome = FeedOutcome(TARGET, plan, sent, counts(5), counts(5 + processed))
    outcome.add_dead_letters(dead_letter(s) for s in sent if s.draft.label in dead_lettered)
    outcome.final_health = Health(200, 200)
    outcome.waited_s = 20
    return outcome


def poison_labels(plan: TopicPlan) -> list[str]:
    return [case.name for case in plan.poisons]


def test_a_healthy_consumer_has_no_problems(plan: TopicPlan) -> None:
    outcome = outcome_of(plan, processed=2, dead_lettered=poison_labels(plan))
    assert outcome.satisfied
    assert outcome.processing_problems() == []
    assert outcome.dead_letter_problems() == []
    assert outcome.liveness_problems() == []
    assert outcome.notes() == []


def test_a_consumer_that_crashed_on_a_poison_record_is_named_with_where_it_stuck(
    plan: TopicPlan,
) -> None:
    poisons = poison_labels(plan)
    outcome = outcome_of(plan, processed=1, dead_lettered=poisons[:3])
    assert not outcome.satisfied
    assert outcome.processing_problems() == []  # the record before the poison was processed
    lost = outcome.dead_letter_problems()
    assert len(lost) == len(poisons) - 3
    assert f"{poisons[3]} (" in lost[0] and "was not dead-lettered to" in lost[0]
    [stalled] = outcome.liveness_problems()
    assert "payments stopped consuming inventory.rejected" in stalled
    assert "1 of 2 valid records handled" in stalled and "went 5 -> 6" in stalled
    assert f"did not get past: {poisons[3]} at {TOPIC}[1]@" in stalled


def test_a_dead_lettered_valid_record_is_a_processing_problem(plan: TopicPlan) -> None:
    outcome = outcome_of(plan, processed=1, dead_lettered=[VALID_AFTER, *poison_labels(plan)])
    [problem] = outcome.processing_problems()
    assert f"dead-lettered the valid {VALID_AFTER} record" in problem and problem.endswith("bad")


def test_without_an_anchor_a_reasoned_dead_letter_counts_as_handled(
    index: ContractIndex,
) -> None:
    plan = plan_topic(index, index.channels[TOPIC].messages[0], anchor=None, seed=7)
    outcome = outcome_of(plan, processed=0, dead_lettered=[VALID_BEFORE, VALID_AFTER])
    outcome.add_dead_letters([])
    assert outcome.processing_problems() == []
    assert outcome.handled_valid() == 2
    assert any("no real inventory.rejected event" in note for note in outcome.notes())


def test_dead_letters_must_carry_a_reason_and_the_record_unchanged(plan: TopicPlan) -> None:
    outcome = outcome_of(plan, processed=2, dead_lettered=[])
    first, second, *_ = [
        s for s in outcome.sent if s.draft.label not in (VALID_BEFORE, VALID_AFTER)
    ]
    changed = replace(dead_letter(second), value=b"something else")
    outcome.add_dead_letters([dead_letter(first, reason=""), changed])
    problems = outcome.dead_letter_problems()
    assert any("has no dlq-reason" in p for p in problems)
    assert any("changed key or value" in p for p in problems)


def test_dead_letters_of_other_consumers_or_topics_do_not_count(plan: TopicPlan) -> None:
    outcome = outcome_of(plan, processed=2, dead_lettered=[])
    poison = outcome.poison_sent[0]
    outcome.add_dead_letters([dead_letter(poison, service="orders")])
    assert outcome.dead_letters == []


def test_ill_health_and_missing_metrics_are_problems(plan: TopicPlan) -> None:
    outcome = outcome_of(plan, processed=2, dead_lettered=poison_labels(plan))
    outcome.bad_health.append("at +1.0 s: /health 200, /health/ready 503")
    outcome.final_health = Health(0, 0, "connection refused")
    assert len(outcome.liveness_problems()) == 2
    outcome.counts_after = None
    assert "shows no inventory.rejected counters" in outcome.processing_problems()[0]


def test_a_refused_record_is_a_note_not_a_problem(plan: TopicPlan) -> None:
    sent = sent_all(plan)
    sent[3] = Sent(sent[3].draft, refused="the broker refused oversized: too large")
    outcome = FeedOutcome(TARGET, plan, sent, counts(0), counts(2))
    outcome.add_dead_letters(dead_letter(s) for s in outcome.poison_sent)
    assert outcome.satisfied and outcome.dead_letter_problems() == []
    assert outcome.notes() == ["the broker refused oversized: too large"]


def test_every_consumer_of_the_contract_is_a_target(index: ContractIndex) -> None:
    ids = [t.id for t in feed_targets(index)]
    saga = [
        "orders<-inventory.rejected",
        "payments<-inventory.rejected",
        "orders<-inventory.reserved",
        "notifications<-order.cancelled",
        "notifications<-order.completed",
        "payments<-order.created",
        "orders<-payment.failed",
        "inventory<-payment.processed",
    ]
    assert [i for i in ids if i in saga] == saga  # events added later come on top
    events = [topic for topic in index.topics if not topic.endswith(".dlq")]
    assert len(ids) == sum(len(index.consumers(topic)) for topic in events)


def test_the_anchor_is_the_latest_published_record_of_the_burst(record: MakeRecord) -> None:
    records = [
        record(TOPIC, key="burst-1", payload={}, offset=1),
        record(TOPIC, key="burst-2", payload={}, offset=2),
        record(TOPIC, key="other", payload={}, offset=3),
        record(TOPIC, key="burst-1", payload={}, offset=4, injected=True),
    ]
    found = anchor_for(records, TOPIC, {"burst-1", "burst-2"})
    assert found is not None and found.offset == 2
    found = anchor_for(records, TOPIC, {"nobody"})
    assert found is not None and found.offset == 3
    assert anchor_for(records, "payment.failed", {"burst-1"}) is None
