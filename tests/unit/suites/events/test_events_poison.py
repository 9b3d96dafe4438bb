"""Invalid records: each case breaks the contract in the way its name says."""

from __future__ import annotations

import json
import random

import pytest

from harness.contracts import ContractIndex, MessageContract, validate_record
from harness.suites.events.poison import poison_cases, target_field, wrong_type
from harness.suites.events.samples import valid_record

CASES = {
    "wrong-type",
    "missing-field",
    "oversized",
    "not-an-object",
    "garbage-bytes",
    "missing-headers",
    "missing-event-id",
}


def event_messages(index: ContractIndex) -> list[MessageContract]:
    return [m for m in index.messages() if not m.topic.endswith(".dlq")]


def test_every_case_of_every_event_breaks_the_contract(index: ContractIndex) -> None:
    for message in event_messages(index):
        valid = valid_record(index, message, rng=random.Random(0), anchor=None, label="v")
        cases = poison_cases(message, valid, rng=random.Random(0), oversized=2000)
        assert {case.name for case in cases} == CASES, message.name
        for case in cases:
            draft = case.draft
            found = validate_record(index, draft.topic, draft.key, draft.value, draft.headers)
            assert found, f"{message.name}/{case.name} is valid"
            assert draft.key == valid.key and draft.label == case.name


def test_the_cases_aim_at_the_key_field_and_look_like_their_names(index: ContractIndex) -> None:
    message = index.channels["payment.processed"].messages[0]
    assert target_field(message) == "order_id"
    valid = valid_record(index, message, rng=random.Random(1), anchor=None, label="v")
    cases = {c.name: c for c in poison_cases(message, valid, rng=random.Random(1))}
    assert json.loads(cases["wrong-type"].draft.value or b"")["order_id"] == 12345
    assert "order_id" not in json.loads(cases["missing-field"].draft.value or b"")
    assert len(cases["oversized"].draft.value or b"") > 1_500_000
    with pytest.raises(UnicodeDecodeError):
        (cases["garbage-bytes"].draft.value or b"").decode()
    assert cases["missing-headers"].draft.headers == ()
    assert "event-id" not in dict(cases["missing-event-id"].draft.headers)
    event_ids = [dict(c.draft.headers).get("event-id") for c in cases.values()]
    present = [e for e in event_ids if e is not None]
    assert len(set(present)) == len(present) and dict(valid.headers)["event-id"] not in present


def test_without_a_key_location_the_first_required_field_is_aimed_at(
    index: ContractIndex,
) -> None:
    message = index.channels["order.created"].messages[0]
    bare = MessageContract(**{**message.__dict__, "key_location": None})
    assert target_field(bare) == "order_id"  # the first of its required fields


def test_a_wrong_type_is_never_an_allowed_type() -> None:
    assert wrong_type({"type": "string"}) == 12345
    assert wrong_type({"type": "integer"}) == "not-the-right-type"
    assert wrong_type({"type": ["integer", "string"]}) == [1, 2]
