"""Feeding consumers: what is sent to each topic, and the verdict on each consumer (pure).

Per topic with consumers, one partition gets, in this order: a valid record, every
poison case, a valid record again. Each consumer of the topic must then have processed
both valid records (the second proves it kept consuming past the poison), dead-lettered
every poison record to ``<topic>.dlq`` with a reason and the record unchanged, and
stayed alive and ready throughout.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from harness.contracts import ContractIndex, MessageContract
from harness.suites.events.poison import PoisonCase, poison_cases
from harness.suites.events.probes import PROCESSED, Counts, Health
from harness.suites.events.records import (
    DLQ_CONSUMER,
    DLQ_REASON,
    BusRecord,
    dead_letter_origin,
    is_dead_letter_topic,
)
from harness.suites.events.samples import Draft, Sent, as_new_event, valid_record

VALID_BEFORE, VALID_AFTER = "valid-before", "valid-after"


@dataclass(frozen=True)
class FeedTarget:
    """A consumer (service) of a channel (topic)."""

    service: str
    topic: str

    @property
    def id(self) -> str:
        return f"{self.service}<-{self.topic}"


def feed_targets(index: ContractIndex) -> list[FeedTarget]:
    """Every (service, topic) the contract says is consumed, dead-letter topics aside."""
    pairs = {
        FeedTarget(op.service, op.topic)
        for op in index.operations
        if op.action == "receive" and not is_dead_letter_topic(op.topic)
    }
    return sorted(pairs, key=lambda t: (t.topic, t.service))


@dataclass(frozen=True)
class TopicPlan:
    topic: str
    message: MessageContract
    seed: int
    anchored: bool
    valid: tuple[Draft, Draft]
    poisons: tuple[PoisonCase, ...]

    def drafts(self) -> list[Draft]:
        return [self.valid[0], *(case.draft for case in self.poisons), self.valid[1]]

    def case(self, label: str) -> PoisonCase | None:
        return next((c for c in self.poisons if c.name == label), None)


def plan_topic(
    index: ContractIndex, message: MessageContract, *, anchor: BusRecord | None, seed: int
) -> TopicPlan:
    rng = random.Random(f"{seed}:{message.topic}")
    before = valid_record(index, message, rng=rng, anchor=anchor, label=VALID_BEFORE)
    after = as_new_event(before, rng=rng, label=VALID_AFTER)
    return TopicPlan(
        topic=message.topic,
        message=message,
        seed=seed,
        anchored=anchor is not None,
        valid=(before, after),
        poisons=tuple(poison_cases(message, before, rng=rng)),
    )


@dataclass
class FeedOutcome:
    """What was seen of one consumer while its topic was fed."""

    target: FeedTarget
    plan: TopicPlan
    sent: Sequence[Sent]
    counts_before: Counts | None
    counts_after: Counts | None = None
    dead_letters: list[BusRecord] = field(default_factory=list)
    bad_health: list[str] = field(default_factory=list)
    final_health: Health | None = None
    waited_s: float = 0.0

    def add_dead_letters(self, records: Iterable[BusRecord]) -> None:
        for record in records:
            origin = dead_letter_origin(record)
            ours = record.header(DLQ_CONSUMER) == self.target.service
            if ours and origin and origin[0] == self.target.topic:
                self.dead_letters.append(record)

    def dead_letter_of(self, sent: Sent) -> BusRecord | None:
        spot = (sent.draft.topic, sent.partition, sent.offset)
        return next((r for r in self.dead_letters if dead_letter_origin(r) == spot), None)

    @property
    def valid_sent(self) -> list[Sent]:
        return [s for s in self.sent if s.draft.label in (VALID_BEFORE, VALID_AFTER)]

    @property
    def poison_sent(self) -> list[Sent]:
        valid = (VALID_BEFORE, VALID_AFTER)
        return [s for s in self.sent if s.draft.label not in valid and s.refused is None]

    def processed(self) -> tuple[float, float] | None:
        if self.counts_before is None or self.counts_after is None:
            return None
        key = (self.target.topic, PROCESSED)
        return self.counts_before[key], self.counts_after[key]

    def handled_valid(self) -> int:
        """Valid records the consumer is known to have handled as it should."""
        counts = self.processed()
        processed = int(counts[1] - counts[0]) if counts else 0
        if self.plan.anchored:
            return processed
        # Not tied to a real order: a reasoned dead letter is a fair answer too.
        return processed + sum(1 for s in self.valid_sent if self.dead_letter_of(s))

    @property
    def satisfied(self) -> bool:
        poisons_done = all(self.dead_letter_of(s) for s in self.poison_sent)
        return poisons_done and self.handled_valid() >= len(self.valid_sent)

    def processing_problems(self) -> list[str]:
        """The valid records must be processed, not dead-lettered."""
        service, topic = self.target.service, self.target.topic
        problems = []
        if self.plan.anchored:
            for sent in self.valid_sent:
                dead = self.dead_letter_of(sent)
                if dead is not None:
                    problems.append(
                        f"{service} dead-lettered the valid {sent.draft.label} record at "
                        f"{sent.where} (it conforms to the contract): {dead.header(DLQ_REASON)}"
                    )
        if self.processed() is None:
            problems.append(f"{service} /metrics shows no {topic} counters: processing unseen")
        elif self.handled_valid() == 0:
            problems.append(f"{service} processed none of the valid records: {self._counted()}")
        return problems

    def dead_letter_problems(self) -> list[str]:
        """Every poison record must reach ``<topic>.dlq`` unchanged, with a reason."""
        service, dlq = self.target.service, f"{self.target.topic}.dlq"
        problems = []
        for sent in self.poison_sent:
            case = self.plan.case(sent.draft.label)
            what = f"{sent.draft.label} ({case.description if case else ''}) at {sent.where}"
            dead = self.dead_letter_of(sent)
            if dead is None:
                problems.append(f"{what} was not dead-lettered to {dlq} by {service}")
                continue
            if not dead.header(DLQ_REASON):
                problems.append(f"the dead letter of {what} ({dead.where}) has no {DLQ_REASON}")
            if dead.value != sent.draft.value or dead.key != sent.draft.key:
                problems.append(f"the dead letter of {what} ({dead.where}) changed key or value")
        return problems

    def liveness_problems(self) -> list[str]:
        """The consumer stays alive and ready, and keeps consuming past the poison."""
        name = self.target.service
        problems = [f"{name} was unhealthy while fed: {moment}" for moment in self.bad_health]
        if self.final_health is not None and not self.final_health.ok:
            problems.append(f"{name} is not healthy after being fed: {self.final_health}")
        expected = len(self.valid_sent)
        if self.processed() is not None and self.handled_valid() < expected:
            after = self.valid_sent[-1].where if self.valid_sent else "?"
            problems.append(
                f"{name} stopped consuming {self.target.topic}: the valid record sent after "
                f"the invalid ones ({after}) was not processed within {self.waited_s:.0f} s "
                f"({self.handled_valid()} of {expected} valid records handled; "
                f"{self._counted()}){self._stuck_at()}"
            )
        return problems

    def _stuck_at(self) -> str:
        stuck = next((s for s in self.poison_sent if not self.dead_letter_of(s)), None)
        if stuck is None:
            return ""
        return f"; the first record it did not get past: {stuck.draft.label} at {stuck.where}"

    def _counted(self) -> str:
        counts = self.processed() or (0.0, 0.0)
        return (
            f"events_consumed_total{{topic={self.target.topic!r}, outcome='processed'}} "
            f"went {counts[0]:.0f} -> {counts[1]:.0f}"
        )

    def notes(self) -> list[str]:
        notes = [s.refused for s in self.sent if s.refused]
        if not self.plan.anchored:
            notes.append(
                f"no real {self.target.topic} event on the bus to anchor the valid records "
                "to, so a reasoned dead letter counts as handling them"
            )
        return [n for n in notes if n]


def anchor_for(
    records: Iterable[BusRecord], topic: str, order_ids: Collection[str]
) -> BusRecord | None:
    """The latest service-published record on ``topic`` of one of ``order_ids`` (the
    burst's orders), else of any order."""
    published = [r for r in records if r.topic == topic and not r.injected]
    ours = [r for r in published if r.key_text in order_ids]
    candidates = ours or published
    return candidates[-1] if candidates else None
