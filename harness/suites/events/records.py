"""Records as the suite sees them, and what kind each one is (pure).

A record is one of:

- ``event``: a service published it on a channel of the contract; it must conform.
- ``dead-letter``: on a ``<topic>.dlq`` channel; a consumer wrote it, so its envelope
  (the ``dlq-*`` headers) must conform even when the original was garbage.
- ``injected``: a test put it on the bus itself (header ``test-injected``); it may be
  broken on purpose, so it is counted but not held to the contract.
- ``undocumented``: on a topic the contract does not describe.
- ``internal``: the broker's own topics (``__consumer_offsets``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from harness.contracts import ContractIndex, MessageContract
from harness.contracts.extract import EVENT_TYPE_HEADER

# The convention the end-to-end tests use too: a header naming who injected the record.
INJECTED_HEADER = "test-injected"
INJECTED_BY = b"events"
DLQ_SUFFIX = ".dlq"
DLQ_ORIGINAL_TOPIC = "dlq-original-topic"
DLQ_ORIGINAL_PARTITION = "dlq-original-partition"
DLQ_ORIGINAL_OFFSET = "dlq-original-offset"
DLQ_CONSUMER = "dlq-consumer"
DLQ_REASON = "dlq-reason"
CORRELATION_HEADER = "correlation-id"
EVENT_ID_HEADER = "event-id"
OCCURRED_AT_HEADER = "occurred-at"
SAMPLE_VALUE_CHARS = 2000

Headers = tuple[tuple[str, bytes], ...]


class Kind(StrEnum):
    EVENT = "event"
    DEAD_LETTER = "dead-letter"
    INJECTED = "injected"
    UNDOCUMENTED = "undocumented"
    INTERNAL = "internal"


@dataclass(frozen=True)
class BusRecord:
    """One Kafka record, read back from the broker."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Headers
    timestamp_ms: int = 0

    @property
    def where(self) -> str:
        """``topic[partition]@offset``: enough to find the record again."""
        return f"{self.topic}[{self.partition}]@{self.offset}"

    def header(self, name: str) -> str | None:
        """The first value of a header as text (undecodable bytes replaced)."""
        for header, raw in self.headers:
            if header == name:
                return None if raw is None else bytes(raw).decode("utf-8", errors="replace")
        return None

    @property
    def injected(self) -> bool:
        return self.header(INJECTED_HEADER) is not None

    @property
    def key_text(self) -> str | None:
        return None if self.key is None else self.key.decode("utf-8", errors="replace")

    def payload(self) -> Any:
        """The value as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.value or b"")
        except (UnicodeDecodeError, ValueError):
            return None

    def sample(self) -> dict[str, Any]:
        """A JSON-friendly view for reports (long values shortened)."""
        text = (self.value or b"").decode("utf-8", errors="replace")
        payload = self.payload()
        shown: Any = payload if payload is not None and len(text) <= SAMPLE_VALUE_CHARS else None
        if shown is None:
            more = len(text) - SAMPLE_VALUE_CHARS
            shown = text[:SAMPLE_VALUE_CHARS] + (
                f"... ({more} more characters)" if more > 0 else ""
            )
        return {
            "where": self.where,
            "key": self.key_text,
            "headers": {name: self.header(name) for name, _ in self.headers},
            "value": shown,
            "value_bytes": len(self.value or b""),
        }


def is_dead_letter_topic(topic: str) -> bool:
    return topic.endswith(DLQ_SUFFIX)


def dead_letter_topic(topic: str) -> str:
    return topic + DLQ_SUFFIX


def classify(index: ContractIndex, record: BusRecord) -> Kind:
    if record.topic.startswith("__"):
        return Kind.INTERNAL
    if index.channel(record.topic) is None:
        return Kind.UNDOCUMENTED
    if is_dead_letter_topic(record.topic):
        return Kind.DEAD_LETTER
    return Kind.INJECTED if record.injected else Kind.EVENT


def message_of(index: ContractIndex, record: BusRecord) -> MessageContract | None:
    """The contract message a record claims to be: the channel's only one, else the one
    its event-type header names."""
    channel = index.channel(record.topic)
    if channel is None or not channel.messages:
        return None
    if len(channel.messages) == 1:
        return channel.messages[0]
    event_type = record.header(EVENT_TYPE_HEADER)
    return next((m for m in channel.messages if m.event_type == event_type), None)


def correlation_of(record: BusRecord) -> str | None:
    """The order id a record belongs to: its key, else its correlation-id header."""
    return record.key_text or record.header(CORRELATION_HEADER)


def dead_letter_origin(record: BusRecord) -> tuple[str, int, int] | None:
    """(topic, partition, offset) of the record a dead letter stands for, if stated."""
    topic = record.header(DLQ_ORIGINAL_TOPIC)
    partition, offset = record.header(DLQ_ORIGINAL_PARTITION), record.header(DLQ_ORIGINAL_OFFSET)
    if topic is None or partition is None or offset is None:
        return None
    if not (partition.isdigit() and offset.isdigit()):
        return None
    return topic, int(partition), int(offset)


def by_topic(records: Sequence[BusRecord]) -> dict[str, list[BusRecord]]:
    grouped: dict[str, list[BusRecord]] = {}
    for record in records:
        grouped.setdefault(record.topic, []).append(record)
    return grouped
