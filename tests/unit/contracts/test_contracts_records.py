"""Headers, keys, topics and dead letters: the parts of a record around the payload."""

from __future__ import annotations

import pytest

from harness.contracts import (
    ContractIndex,
    ExampleRecord,
    RecordViolationError,
    Violation,
    assert_record_valid,
    example_records,
    validate_record,
)

EVENTS = [
    "order.created",
    "payment.processed",
    "payment.failed",
    "payment.refunded",
    "inventory.reserved",
    "inventory.rejected",
    "order.completed",
    "order.cancelled",
]
HEADERS = [
    "event-id",
    "event-type",
    "correlation-id",
    "traceparent",
    "occurred-at",
    "producer",
    "content-type",
]
OTHER_SERVICE = {
    "orders": "payments",
    "payments": "inventory",
    "inventory": "orders",
}
Headers = list[tuple[str, bytes | None]]


def example(index: ContractIndex, topic: str) -> ExampleRecord:
    return example_records(index, topic=topic)[0]


def with_header(record: ExampleRecord, name: str, value: bytes | None) -> Headers:
    """The record's headers with ``name`` set to ``value`` (removed when None)."""
    kept: Headers = [(k, v) for k, v in record.headers if k != name]
    return kept if value is None else [*kept, (name, value)]


def check_headers(index: ContractIndex, record: ExampleRecord, headers: Headers) -> list[Violation]:
    return validate_record(index, record.topic, record.key, record.value, headers)


def pointers(violations: list[Violation]) -> set[str]:
    return {violation.pointer for violation in violations}


@pytest.mark.parametrize("topic", EVENTS)
def test_a_record_without_event_id_is_a_violation(events_index: ContractIndex, topic: str) -> None:
    record = example(events_index, topic)
    violations = check_headers(events_index, record, with_header(record, "event-id", None))
    assert [str(v) for v in violations] == [
        "/headers/event-id: required header 'event-id' is missing"
    ]


@pytest.mark.parametrize("header", HEADERS)
def test_every_contract_header_is_required(events_index: ContractIndex, header: str) -> None:
    record = example(events_index, "order.created")
    violations = check_headers(events_index, record, with_header(record, header, None))
    assert f"/headers/{header}" in pointers(violations)


@pytest.mark.parametrize("topic", EVENTS)
def test_an_event_type_other_than_the_topic_is_a_violation(
    events_index: ContractIndex, topic: str
) -> None:
    record = example(events_index, topic)
    other = EVENTS[(EVENTS.index(topic) + 1) % len(EVENTS)]
    violations = check_headers(
        events_index, record, with_header(record, "event-type", other.encode())
    )
    assert [str(v) for v in violations] == [
        f"/headers/event-type: expected {topic!r}, got {other!r}"
    ]


@pytest.mark.parametrize("topic", EVENTS)
def test_only_the_publishing_service_may_be_the_producer(
    events_index: ContractIndex, topic: str
) -> None:
    record = example(events_index, topic)
    producer = dict(record.headers)["producer"].decode()
    impostor = OTHER_SERVICE[producer].encode()
    violations = check_headers(events_index, record, with_header(record, "producer", impostor))
    assert pointers(violations) == {"/headers/producer"}


@pytest.mark.parametrize(
    "value",
    [
        "not-a-trace",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",  # upper case
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  # all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  # all-zero parent id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",  # no flags
    ],
)
def test_a_malformed_traceparent_is_a_violation(events_index: ContractIndex, value: str) -> None:
    record = example(events_index, "payment.processed")
    violations = check_headers(
        events_index, record, with_header(record, "traceparent", value.encode())
    )
    assert pointers(violations) == {"/headers/traceparent"}


@pytest.mark.parametrize(
    "value", ["2025-03-14T09:26:53Z", "2025-03-14T09:26:53.123456+00:00", "2025-06-30T23:59:60Z"]
)
def test_occurred_at_accepts_rfc3339_utc_timestamps(
    events_index: ContractIndex, value: str
) -> None:
    record = example(events_index, "order.completed")
    assert (
        check_headers(events_index, record, with_header(record, "occurred-at", value.encode()))
        == []
    )


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "2025-03-14 09:26:53",  # no T, no offset
        "2025-03-14T09:26:53",  # no offset
        "2025-02-30T09:26:53Z",  # no such day
        "2025-03-14T09:26:53+02:00",  # not UTC
    ],
)
def test_occurred_at_rejects_anything_else(events_index: ContractIndex, value: str) -> None:
    record = example(events_index, "order.completed")
    violations = check_headers(
        events_index, record, with_header(record, "occurred-at", value.encode())
    )
    assert pointers(violations) == {"/headers/occurred-at"}


def test_content_type_must_be_json(events_index: ContractIndex) -> None:
    record = example(events_index, "order.created")
    violations = check_headers(
        events_index, record, with_header(record, "content-type", b"text/plain")
    )
    assert pointers(violations) == {"/headers/content-type"}


def test_correlation_id_must_be_a_uuid(events_index: ContractIndex) -> None:
    record = example(events_index, "order.created")
    violations = check_headers(events_index, record, with_header(record, "correlation-id", b"o-1"))
    assert pointers(violations) == {"/headers/correlation-id"}


def test_extra_headers_such_as_tracestate_are_allowed(events_index: ContractIndex) -> None:
    record = example(events_index, "order.created")
    headers = [*record.headers, ("tracestate", b"vendor=1"), ("x-request-id", b"r-1")]
    assert check_headers(events_index, record, headers) == []


def test_a_header_that_is_not_utf8_is_a_violation(events_index: ContractIndex) -> None:
    record = example(events_index, "order.created")
    headers = with_header(record, "producer", b"\xff\xfe")
    assert "/headers/producer" in pointers(check_headers(events_index, record, headers))


def test_a_repeated_header_is_a_violation(events_index: ContractIndex) -> None:
    record = example(events_index, "order.created")
    headers = [*record.headers, ("event-id", b"8fccaa80-5605-4161-a846-0f68e40f60a1")]
    violations = check_headers(events_index, record, headers)
    assert [str(v) for v in violations] == ["/headers/event-id: header 'event-id' is repeated"]


def test_the_key_must_be_the_order_id(events_index: ContractIndex) -> None:
    record = example(events_index, "payment.failed")
    other_order = b"2c6a9f03-7e15-4d8b-b4c2-9a0e6d3f1b57"
    violations = validate_record(
        events_index, record.topic, other_order, record.value, record.headers
    )
    assert pointers(violations) == {"/key"}
    assert "$message.payload#/order_id" in violations[0].message


def test_a_record_without_key_is_a_violation(events_index: ContractIndex) -> None:
    record = example(events_index, "payment.failed")
    violations = validate_record(events_index, record.topic, None, record.value, record.headers)
    assert [str(v) for v in violations] == [
        "/key: the record has no key; the contract requires one"
    ]


def test_a_key_that_is_not_a_uuid_is_a_violation(events_index: ContractIndex) -> None:
    record = example(events_index, "inventory.reserved")
    violations = validate_record(
        events_index, record.topic, b"order-1", record.value, record.headers
    )
    assert any(v.pointer == "/key" and "uuid" in v.message for v in violations)


def test_a_value_that_is_not_json_is_a_violation(events_index: ContractIndex) -> None:
    record = example(events_index, "order.completed")
    violations = validate_record(events_index, record.topic, record.key, b"{oops", record.headers)
    assert pointers(violations) == {"/value"}
    assert "not valid JSON" in violations[0].message


def test_a_tombstone_on_an_event_topic_is_a_violation(events_index: ContractIndex) -> None:
    record = example(events_index, "order.completed")
    violations = validate_record(events_index, record.topic, record.key, None, record.headers)
    assert pointers(violations) == {"/value"}


def test_an_unknown_topic_is_a_violation_with_a_suggestion(events_index: ContractIndex) -> None:
    record = example(events_index, "order.created")
    violations = validate_record(
        events_index, "orders.created", record.key, record.value, record.headers
    )
    assert len(violations) == 1
    assert violations[0].pointer == "/topic"
    assert "unknown topic 'orders.created'" in violations[0].message
    assert "did you mean 'order.created'?" in violations[0].message


def test_assert_record_valid_raises_an_assertion_listing_every_violation(
    events_index: ContractIndex,
) -> None:
    record = example(events_index, "order.created")
    headers = with_header(record, "event-id", None)
    with pytest.raises(RecordViolationError) as caught:
        assert_record_valid(events_index, record.topic, None, record.value, headers)
    assert isinstance(caught.value, AssertionError)
    assert "/headers/event-id" in str(caught.value)
    assert "/key" in str(caught.value)


# --- dead letters ---------------------------------------------------------------------


def dead_letter(record: ExampleRecord, consumer: str, **dlq: str) -> Headers:
    fields = {
        "dlq-reason": "invalid JSON",
        "dlq-consumer": consumer,
        "dlq-original-topic": record.topic,
        "dlq-original-partition": "2",
        "dlq-original-offset": "118",
        **{name.replace("_", "-"): value for name, value in dlq.items()},
    }
    return [*record.headers, *((name, value.encode()) for name, value in fields.items())]


def test_a_dead_letter_keeps_any_value_and_key(events_index: ContractIndex) -> None:
    record = example(events_index, "order.created")
    headers = dead_letter(record, "payments")
    assert (
        validate_record(events_index, "order.created.dlq", record.key, b"\x00{not json", headers)
        == []
    )
    assert validate_record(events_index, "order.created.dlq", None, b"", headers) == []


@pytest.mark.parametrize(
    "missing",
    [
        "dlq-reason",
        "dlq-consumer",
        "dlq-original-topic",
        "dlq-original-partition",
        "dlq-original-offset",
    ],
)
def test_a_dead_letter_needs_every_dlq_header(events_index: ContractIndex, missing: str) -> None:
    record = example(events_index, "inventory.rejected")
    headers = [(k, v) for k, v in dead_letter(record, "orders") if k != missing]
    violations = validate_record(
        events_index, "inventory.rejected.dlq", record.key, record.value, headers
    )
    assert pointers(violations) == {f"/headers/{missing}"}


def test_a_dead_letter_names_its_own_original_topic(events_index: ContractIndex) -> None:
    record = example(events_index, "order.created")
    headers = dead_letter(record, "payments", dlq_original_topic="payment.failed")
    violations = validate_record(
        events_index, "order.created.dlq", record.key, record.value, headers
    )
    assert pointers(violations) == {"/headers/dlq-original-topic"}


def test_a_dead_letter_comes_from_a_consumer_of_the_topic(events_index: ContractIndex) -> None:
    record = example(events_index, "order.completed")
    assert (
        validate_record(
            events_index,
            "order.completed.dlq",
            record.key,
            record.value,
            dead_letter(record, "notifications"),
        )
        == []
    )
    violations = validate_record(
        events_index,
        "order.completed.dlq",
        record.key,
        record.value,
        dead_letter(record, "payments"),
    )
    assert pointers(violations) == {"/headers/dlq-consumer"}


def test_dead_letter_offsets_are_decimal(events_index: ContractIndex) -> None:
    record = example(events_index, "payment.processed")
    headers = dead_letter(record, "inventory", dlq_original_offset="-1")
    violations = validate_record(
        events_index, "payment.processed.dlq", record.key, record.value, headers
    )
    assert pointers(violations) == {"/headers/dlq-original-offset"}
