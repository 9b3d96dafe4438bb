"""Consumers fed from the contract: valid records are processed; invalid ones are
dead-lettered with a reason while the consumer stays up and keeps consuming."""

from __future__ import annotations

import allure
import pytest

from harness.contracts import ContractIndex
from harness.suites.coverage import CoverageRecorder
from harness.suites.events.consumers import FeedOutcome, FeedTarget
from harness.suites.events.records import dead_letter_topic
from harness.suites.events.reporting import (
    attach_json,
    attach_records,
    check,
    draft_sample,
    label,
)


def _report(outcome: FeedOutcome, story: str, title: str) -> None:
    label(outcome.target.topic, story, f"{outcome.target.service}: {title}")
    allure.dynamic.parameter("seed", outcome.plan.seed, excluded=True)
    for note in outcome.notes():
        attach_json("note", note)


def test_valid_records_are_processed(
    feed_target: FeedTarget, feed_outcome: FeedOutcome, coverage: CoverageRecorder
) -> None:
    _report(feed_outcome, "consumer: valid records", "processes valid generated records")
    attach_json("valid records sent", [draft_sample(d) for d in feed_outcome.plan.valid])
    coverage.message(feed_target.topic, feed_outcome.plan.message.name, outcome="fed")
    problems = feed_outcome.processing_problems()
    check(f"{feed_target.id}: valid records", problems)


def test_invalid_records_are_dead_lettered_with_a_reason(
    feed_target: FeedTarget,
    feed_outcome: FeedOutcome,
    contract: ContractIndex,
    coverage: CoverageRecorder,
) -> None:
    _report(feed_outcome, "consumer: invalid records", "dead-letters invalid records")
    cases = [
        {"case": c.name, "what": c.description, **draft_sample(c.draft)}
        for c in feed_outcome.plan.poisons
    ]
    attach_json("invalid records sent", cases)
    attach_records("dead letters seen", feed_outcome.dead_letters, limit=len(cases))
    dlq = contract.channel(dead_letter_topic(feed_target.topic))
    if dlq is not None and dlq.messages and feed_outcome.dead_letters:
        coverage.message(dlq.topic, dlq.messages[0].name, outcome="dead-lettered")
    if not feed_outcome.poison_sent:
        pytest.skip("the broker refused every invalid record")
    problems = feed_outcome.dead_letter_problems()
    check(f"{feed_target.id}: invalid records", problems)


def test_consumer_stays_up_and_keeps_consuming(
    feed_target: FeedTarget, feed_outcome: FeedOutcome
) -> None:
    _report(feed_outcome, "consumer: liveness", "stays up and keeps consuming")
    attach_json(
        "health",
        {
            "while fed": feed_outcome.bad_health or "always ok",
            "after": str(feed_outcome.final_health),
        },
    )
    problems = feed_outcome.liveness_problems()
    check(f"{feed_target.id}: liveness", problems)
