"""Example records are what a producer would write; date-time is checked without extras."""

from __future__ import annotations

import json

import pytest

from harness.contracts import ContractIndex, example_records
from harness.contracts.formats import is_rfc3339_date_time


def test_event_examples_are_keyed_by_their_order_id(events_index: ContractIndex) -> None:
    for record in example_records(events_index):
        if record.topic.endswith(".dlq"):
            continue
        assert record.key == json.loads(record.value)["order_id"].encode()
        assert dict(record.headers)["correlation-id"] == record.key


def test_example_headers_are_utf8_bytes_with_the_topic_as_event_type(
    events_index: ContractIndex,
) -> None:
    (record,) = example_records(events_index, topic="payment.refunded")
    headers = dict(record.headers)
    assert all(isinstance(value, bytes) for value in headers.values())
    assert headers["event-type"] == b"payment.refunded"
    assert headers["producer"] == b"payments"


def test_a_dead_letter_example_carries_the_original_bytes(events_index: ContractIndex) -> None:
    (record,) = example_records(events_index, topic="order.created.dlq")
    assert record.value == b"not json"
    assert dict(record.headers)["dlq-original-topic"] == b"order.created"


def test_the_topic_filter_keeps_only_that_topic(events_index: ContractIndex) -> None:
    records = example_records(events_index, topic="order.cancelled")
    assert {r.topic for r in records} == {"order.cancelled"}
    assert [r.example for r in records] == ["paymentDeclined", "outOfStock"]


@pytest.mark.parametrize(
    "value",
    [
        "2025-03-14T09:26:53Z",
        "2025-03-14t09:26:53z",
        "2025-03-14T09:26:53.5+01:30",
        "2016-12-31T23:59:60Z",
    ],
)
def test_rfc3339_date_times_are_accepted(value: str) -> None:
    assert is_rfc3339_date_time(value)


@pytest.mark.parametrize(
    "value",
    [
        "2025-03-14",
        "2025-03-14T09:26:53",
        "2025-03-14 09:26:53Z",
        "2025-13-14T09:26:53Z",
        "2025-02-29T09:26:53Z",
        "2025-03-14T24:00:00Z",
        "20250314T092653Z",
    ],
)
def test_other_timestamps_are_rejected(value: str) -> None:
    assert not is_rfc3339_date_time(value)
