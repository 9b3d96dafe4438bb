"""contracts/asyncapi/events.yaml says what docs/runtime-contract.md says, and is valid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from harness.contracts import (
    ContractIndex,
    example_records,
    spec_problems,
    validate_record,
)

# The runtime contract (docs/runtime-contract.md), written out independently of the YAML.
EVENT_FIELDS = {
    "order.created": {"order_id", "user_id", "items", "total_cents", "currency", "payment_token"},
    "payment.processed": {"payment_id", "order_id", "user_id", "amount_cents", "currency", "items"},
    "payment.failed": {"payment_id", "order_id", "user_id", "amount_cents", "currency", "reason"},
    "payment.refunded": {"payment_id", "order_id", "user_id", "amount_cents", "currency", "reason"},
    "inventory.reserved": {"reservation_id", "order_id", "user_id", "items"},
    "inventory.rejected": {"order_id", "user_id", "reason", "items"},
    "order.completed": {"order_id", "user_id", "total_cents", "currency"},
    "order.cancelled": {"order_id", "user_id", "total_cents", "currency", "reason"},
}
PRODUCER = {
    "order.created": "orders",
    "order.completed": "orders",
    "order.cancelled": "orders",
    "payment.processed": "payments",
    "payment.failed": "payments",
    "payment.refunded": "payments",
    "inventory.reserved": "inventory",
    "inventory.rejected": "inventory",
}
CONSUMERS = {
    "order.created": ("payments",),
    "payment.processed": ("inventory",),
    "payment.failed": ("orders",),
    "payment.refunded": (),
    "inventory.reserved": ("orders",),
    "inventory.rejected": ("orders", "payments"),
    "order.completed": ("notifications",),
    "order.cancelled": ("notifications",),
}


def test_every_event_and_its_dead_letter_topic_has_a_channel(events_index: ContractIndex) -> None:
    """The saga's events are all there (``harness new event`` may add more), and every
    event, old or new, has its dead-letter topic."""
    topics = set(events_index.topics)
    assert set(EVENT_FIELDS) <= topics
    events = {topic for topic in topics if not topic.endswith(".dlq")}
    assert topics == events | {f"{topic}.dlq" for topic in events}


@pytest.mark.parametrize("topic", sorted(EVENT_FIELDS))
def test_topics_have_three_partitions_and_one_replica(
    events_index: ContractIndex, topic: str
) -> None:
    for name in (topic, f"{topic}.dlq"):
        channel = events_index.channel(name)
        assert channel is not None
        assert (channel.partitions, channel.replicas) == (3, 1)


@pytest.mark.parametrize("topic", sorted(EVENT_FIELDS))
def test_producers_and_consumers_follow_the_saga(events_index: ContractIndex, topic: str) -> None:
    assert events_index.producers(topic) == (PRODUCER[topic],)
    assert sorted(events_index.consumers(topic)) == sorted(CONSUMERS[topic])


@pytest.mark.parametrize("topic", sorted(EVENT_FIELDS))
def test_consumers_of_a_topic_are_the_producers_of_its_dead_letters(
    events_index: ContractIndex, topic: str
) -> None:
    assert sorted(events_index.producers(f"{topic}.dlq")) == sorted(CONSUMERS[topic])


def test_operation_ids_name_the_service_and_the_event(events_index: ContractIndex) -> None:
    ids = {op.id: op for op in events_index.operations}
    assert ids["orders.publishOrderCreated"].action == "send"
    assert ids["orders.publishOrderCreated"].service == "orders"
    assert ids["payments.onOrderCreated"].action == "receive"
    assert ids["payments.onOrderCreated"].topic == "order.created"
    assert ids["payments.deadLetterOrderCreated"].topic == "order.created.dlq"


@pytest.mark.parametrize("topic", sorted(EVENT_FIELDS))
def test_each_event_has_an_example_with_every_field(
    events_index: ContractIndex, topic: str
) -> None:
    records = example_records(events_index, topic=topic)
    assert records, f"no example for {topic}"
    for record in records:
        assert set(json.loads(record.value)) == EVENT_FIELDS[topic]


def test_every_example_in_the_contract_validates(events_index: ContractIndex) -> None:
    records = example_records(events_index)
    assert {record.topic for record in records} == set(events_index.topics)
    failures = {
        record.id: validate_record(
            events_index, record.topic, record.key, record.value, record.headers
        )
        for record in records
    }
    assert {name: problems for name, problems in failures.items() if problems} == {}


def test_document_follows_the_official_asyncapi_3_schema(events_document: Path) -> None:
    document = yaml.safe_load(events_document.read_text(encoding="utf-8"))
    assert document["asyncapi"] == "3.0.0"
    assert spec_problems(document) == []


def test_asyncapi_python_loads_every_operation(events_document: Path) -> None:
    parser = pytest.importorskip(
        "asyncapi_python_codegen.parser", reason="asyncapi-python[codegen] is not installed"
    )
    operations = parser.extract_all_operations(events_document)
    document = yaml.safe_load(events_document.read_text())
    assert len(operations) == len(document["operations"]) >= 24  # the saga's, at least
    created = operations["payments.onOrderCreated"]
    assert (created.action, created.channel.address) == ("receive", "order.created")
    assert created.channel.bindings.kafka["partitions"] == 3
