"""Record classification: what is held to the contract, what is only counted."""

from __future__ import annotations

from harness.contracts import ContractIndex
from harness.suites.events.records import (
    SAMPLE_VALUE_CHARS,
    Kind,
    by_topic,
    classify,
    correlation_of,
    dead_letter_origin,
    dead_letter_topic,
    is_dead_letter_topic,
    message_of,
)
from tests.unit.suites.events.conftest import MakeRecord


def test_records_are_classified_by_topic_and_mark(index: ContractIndex, record: MakeRecord) -> None:
    assert classify(index, record("order.created", payload={})) is Kind.EVENT
    assert classify(index, record("order.created", payload={}, injected=True)) is Kind.INJECTED
    assert classify(index, record("order.created.dlq", payload={})) is Kind.DEAD_LETTER
    # a dead letter of an injected record is still the consumer's output: checked
    dead = record("order.created.dlq", value=b"junk", injected=True)
    assert classify(index, dead) is Kind.DEAD_LETTER
    assert classify(index, record("orders.created", payload={})) is Kind.UNDOCUMENTED
    assert classify(index, record("__consumer_offsets", value=b"")) is Kind.INTERNAL


def test_the_message_of_a_record(index: ContractIndex, record: MakeRecord) -> None:
    found = message_of(index, record("payment.failed", payload={}))
    assert found is not None and found.name == "PaymentFailed"
    assert message_of(index, record("no.such.topic", payload={})) is None


def test_dead_letter_origin_needs_all_three_headers(record: MakeRecord) -> None:
    origin = {"dlq-original-topic": "order.created", "dlq-original-partition": "2"}
    assert dead_letter_origin(record("order.created.dlq", headers=origin)) is None
    complete = {**origin, "dlq-original-offset": "17"}
    assert dead_letter_origin(record("x.dlq", headers=complete)) == ("order.created", 2, 17)
    garbled = {**origin, "dlq-original-offset": "seventeen"}
    assert dead_letter_origin(record("x.dlq", headers=garbled)) is None


def test_dead_letter_topic_names() -> None:
    assert dead_letter_topic("order.created") == "order.created.dlq"
    assert is_dead_letter_topic("order.created.dlq") and not is_dead_letter_topic("order.created")


def test_correlation_is_the_key_else_the_header(record: MakeRecord) -> None:
    assert correlation_of(record("a", key="k1", headers={"correlation-id": "c"})) == "k1"
    assert correlation_of(record("a", key=None, headers={"correlation-id": "c"})) == "c"


def test_headers_decode_leniently_and_the_first_value_wins(record: MakeRecord) -> None:
    base = record("a", value=b"{}")
    raw = (("h", b"\xff"), ("h", b"second"), ("event-id", b"e"))
    odd = type(base)(base.topic, 0, 0, None, b"{}", raw)
    assert odd.header("h") == "\ufffd" and odd.header("event-id") == "e"
    assert odd.header("missing") is None and odd.key_text is None


def test_samples_show_json_and_shorten_long_values(record: MakeRecord) -> None:
    small = record("order.created", payload={"order_id": "o"}, partition=1, offset=4).sample()
    assert small["value"] == {"order_id": "o"} and small["where"] == "order.created[1]@4"
    big = record("order.created", value=b"x" * (SAMPLE_VALUE_CHARS + 10)).sample()
    assert big["value"].endswith("(10 more characters)") and big["value_bytes"] == 2010
    garbage = record("order.created", value=b"\xff\xfe").sample()
    assert garbage["value"] == "\ufffd\ufffd"


def test_records_group_by_topic(record: MakeRecord) -> None:
    grouped = by_topic([record("a", value=b""), record("b", value=b""), record("a", value=b"")])
    assert {topic: len(items) for topic, items in grouped.items()} == {"a": 2, "b": 1}
