"""Every event payload rejects what a renamed, dropped or mistyped field would produce."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from harness.contracts import ContractIndex, Violation, example_records, validate_record

FIELDS = {
    "order.created": ["order_id", "user_id", "items", "total_cents", "currency", "payment_token"],
    "payment.processed": ["payment_id", "order_id", "user_id", "amount_cents", "currency", "items"],
    "payment.failed": ["payment_id", "order_id", "user_id", "amount_cents", "currency", "reason"],
    "payment.refunded": ["payment_id", "order_id", "user_id", "amount_cents", "currency", "reason"],
    "inventory.reserved": ["reservation_id", "order_id", "user_id", "items"],
    "inventory.rejected": ["order_id", "user_id", "reason", "items"],
    "order.completed": ["order_id", "user_id", "total_cents", "currency"],
    "order.cancelled": ["order_id", "user_id", "total_cents", "currency", "reason"],
}
PAIRS = [(topic, field) for topic, fields in FIELDS.items() for field in fields]
REASONS = {
    "payment.failed": ["card_declined", "amount_limit_exceeded"],
    "payment.refunded": ["inventory_rejected"],
    "inventory.rejected": ["out_of_stock", "unknown_product"],
    "order.cancelled": ["payment_declined", "out_of_stock"],
}
# A value of the wrong JSON type for each field.
WRONG_TYPE: dict[str, Any] = {
    "order_id": 42,
    "user_id": 42,
    "payment_id": ["x"],
    "reservation_id": 42,
    "items": {"product_id": "x"},
    "total_cents": "7499",
    "amount_cents": 74.99,
    "currency": 978,
    "payment_token": 4242,
    "reason": True,
}
CENTS = [(topic, field) for topic, field in PAIRS if field.endswith("_cents")]
IDS = [(topic, field) for topic, field in PAIRS if field.endswith("_id")]
WITH_ITEMS = [topic for topic, fields in FIELDS.items() if "items" in fields]


def check(
    index: ContractIndex, topic: str, change: Callable[[dict[str, Any]], None]
) -> list[Violation]:
    record = example_records(index, topic=topic)[0]
    payload = json.loads(record.value)
    change(payload)
    return validate_record(index, topic, record.key, json.dumps(payload).encode(), record.headers)


def pointers(violations: list[Violation]) -> set[str]:
    return {violation.pointer for violation in violations}


@pytest.mark.parametrize(("topic", "field"), PAIRS)
def test_a_missing_required_field_is_a_violation(
    events_index: ContractIndex, topic: str, field: str
) -> None:
    violations = check(events_index, topic, lambda payload: payload.pop(field))
    assert f"/value/{field}" in pointers(violations)
    assert any("missing" in v.message for v in violations if v.pointer == f"/value/{field}")


@pytest.mark.parametrize(("topic", "field"), PAIRS)
def test_a_renamed_field_is_caught_as_unknown_and_missing(
    events_index: ContractIndex, topic: str, field: str
) -> None:
    renamed = field.replace("_", "") + "X"
    violations = check(events_index, topic, lambda p: p.__setitem__(renamed, p.pop(field)))
    assert {f"/value/{field}", f"/value/{renamed}"} <= pointers(violations)
    unknown = next(v for v in violations if v.pointer == f"/value/{renamed}")
    assert "unknown field" in unknown.message


def test_an_unknown_field_suggests_the_name_it_was_probably_meant_to_be(
    events_index: ContractIndex,
) -> None:
    violations = check(events_index, "order.created", lambda p: p.__setitem__("totalcents", 1))
    unknown = next(v for v in violations if v.pointer == "/value/totalcents")
    assert "did you mean 'total_cents'?" in unknown.message


@pytest.mark.parametrize(("topic", "field"), PAIRS)
def test_a_field_of_the_wrong_type_is_a_violation(
    events_index: ContractIndex, topic: str, field: str
) -> None:
    violations = check(events_index, topic, lambda p: p.__setitem__(field, WRONG_TYPE[field]))
    assert f"/value/{field}" in pointers(violations)


@pytest.mark.parametrize("topic", sorted(REASONS))
def test_every_documented_reason_is_accepted(events_index: ContractIndex, topic: str) -> None:
    for reason in REASONS[topic]:
        assert check(events_index, topic, lambda p, r=reason: p.__setitem__("reason", r)) == []


@pytest.mark.parametrize("topic", sorted(REASONS))
def test_an_undocumented_reason_is_a_violation(events_index: ContractIndex, topic: str) -> None:
    violations = check(events_index, topic, lambda p: p.__setitem__("reason", "changed_mind"))
    assert pointers(violations) == {"/value/reason"}


@pytest.mark.parametrize(("topic", "field"), IDS)
def test_an_id_that_is_not_a_uuid_is_a_violation(
    events_index: ContractIndex, topic: str, field: str
) -> None:
    violations = check(events_index, topic, lambda p: p.__setitem__(field, "order-17"))
    assert any(v.pointer == f"/value/{field}" and "uuid" in v.message for v in violations)


@pytest.mark.parametrize("topic", WITH_ITEMS)
def test_a_product_id_that_is_not_a_uuid_is_a_violation(
    events_index: ContractIndex, topic: str
) -> None:
    violations = check(events_index, topic, lambda p: p["items"][0].update(product_id="sku-1"))
    assert pointers(violations) == {"/value/items/0/product_id"}


@pytest.mark.parametrize("topic", WITH_ITEMS)
def test_quantity_must_be_at_least_one(events_index: ContractIndex, topic: str) -> None:
    assert check(events_index, topic, lambda p: p["items"][0].update(quantity=1)) == []
    violations = check(events_index, topic, lambda p: p["items"][0].update(quantity=0))
    assert pointers(violations) == {"/value/items/0/quantity"}


@pytest.mark.parametrize("topic", WITH_ITEMS)
def test_an_event_about_no_items_is_a_violation(events_index: ContractIndex, topic: str) -> None:
    violations = check(events_index, topic, lambda p: p.__setitem__("items", []))
    assert pointers(violations) == {"/value/items"}


@pytest.mark.parametrize(("topic", "field"), CENTS)
def test_cents_may_be_zero_but_not_negative(
    events_index: ContractIndex, topic: str, field: str
) -> None:
    assert check(events_index, topic, lambda p: p.__setitem__(field, 0)) == []
    violations = check(events_index, topic, lambda p: p.__setitem__(field, -1))
    assert pointers(violations) == {f"/value/{field}"}


def test_a_unit_price_below_zero_is_a_violation(events_index: ContractIndex) -> None:
    violations = check(
        events_index, "order.created", lambda p: p["items"][1].update(unit_price_cents=-5)
    )
    assert pointers(violations) == {"/value/items/1/unit_price_cents"}


@pytest.mark.parametrize("topic", [t for t, fields in FIELDS.items() if "currency" in fields])
def test_currency_must_be_eur(events_index: ContractIndex, topic: str) -> None:
    violations = check(events_index, topic, lambda p: p.__setitem__("currency", "USD"))
    assert [str(v) for v in violations] == ["/value/currency: expected 'EUR', got 'USD'"]
