"""Valid records generated for every message of the contract, anchored to real events."""

from __future__ import annotations

import json
import random

from harness.contracts import ContractIndex, validate_record
from harness.suites.events.samples import anchored, as_new_event, valid_record
from tests.unit.suites.events.conftest import MakeRecord

ORDER = "9a59fb67-a609-4030-8330-5bf88bc6bb9c"
USER = "2ee5a998-7091-45ff-a14c-18bdf9eb2e55"


def test_a_valid_record_for_every_message_keeps_the_contract(index: ContractIndex) -> None:
    for message in index.messages():
        draft = valid_record(index, message, rng=random.Random(9), anchor=None, label="v")
        assert draft.topic == message.topic and draft.label == "v"
        assert validate_record(index, draft.topic, draft.key, draft.value, draft.headers) == []


def test_the_key_and_correlation_id_follow_the_payload_s_order_id(index: ContractIndex) -> None:
    message = index.channels["order.created"].messages[0]
    draft = valid_record(index, message, rng=random.Random(1), anchor=None, label="v")
    payload = json.loads(draft.value or b"")
    assert draft.key == payload["order_id"].encode()
    assert dict(draft.headers)["correlation-id"] == draft.key


def test_anchoring_takes_the_real_ids_and_amounts_and_keeps_the_rest(
    index: ContractIndex, record: MakeRecord
) -> None:
    message = index.channels["order.cancelled"].messages[0]
    real = {"order_id": ORDER, "user_id": USER, "total_cents": 42, "currency": "EUR"}
    anchor = record("order.cancelled", key=ORDER, payload={**real, "reason": "out_of_stock"})
    draft = valid_record(index, message, rng=random.Random(2), anchor=anchor, label="v")
    payload = json.loads(draft.value or b"")
    assert {k: payload[k] for k in real} == real
    assert payload["reason"] in ("out_of_stock", "payment_declined")
    assert draft.key == ORDER.encode()
    schema = message.payload_schema or {}
    assert anchored({"order_id": "x"}, "not an object", schema) == {"order_id": "x"}


def test_as_a_new_event_only_the_event_id_changes(index: ContractIndex) -> None:
    message = index.channels["payment.failed"].messages[0]
    first = valid_record(index, message, rng=random.Random(4), anchor=None, label="a")
    second = as_new_event(first, rng=random.Random(5), label="b")
    assert (second.key, second.value, second.label) == (first.key, first.value, "b")
    before, after = dict(first.headers), dict(second.headers)
    assert before["event-id"] != after["event-id"]
    assert {k: v for k, v in before.items() if k != "event-id"} == {
        k: v for k, v in after.items() if k != "event-id"
    }
