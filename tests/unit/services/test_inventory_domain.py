"""The stock rules: a paid order reserves every line or none; restocking adds stock."""

from __future__ import annotations

import pytest

from reference_services.inventory import messages
from reference_services.inventory.domain import (
    MAX_RESTOCK,
    OUT_OF_STOCK,
    UNKNOWN_PRODUCT,
    InvalidQuantity,
    Line,
    Rejected,
    Reserved,
    Stock,
    plan_reservation,
    requested,
    restock,
)

STOCK = {"a": Stock("a", available=5, reserved=1), "b": Stock("b", available=1)}


def test_every_line_moves_from_available_to_reserved() -> None:
    outcome = plan_reservation(STOCK, [Line("a", 2), Line("b", 1)])
    assert outcome == Reserved((Stock("a", 3, 3), Stock("b", 0, 1)))


def test_exactly_the_available_quantity_can_be_reserved() -> None:
    assert plan_reservation(STOCK, [Line("a", 5)]) == Reserved((Stock("a", 0, 6),))


def test_one_short_line_rejects_the_whole_order() -> None:
    assert plan_reservation(STOCK, [Line("a", 1), Line("b", 2)]) == Rejected(OUT_OF_STOCK)


def test_lines_of_one_product_are_added_up() -> None:
    assert requested([Line("a", 3), Line("a", 3)]) == {"a": 6}
    assert plan_reservation(STOCK, [Line("a", 3), Line("a", 3)]) == Rejected(OUT_OF_STOCK)
    assert plan_reservation(STOCK, [Line("a", 2), Line("a", 3)]) == Reserved((Stock("a", 0, 6),))


def test_a_product_without_stock_is_unknown_even_if_another_is_short() -> None:
    assert plan_reservation(STOCK, [Line("a", 1), Line("zzz", 1)]) == Rejected(UNKNOWN_PRODUCT)
    assert plan_reservation(STOCK, [Line("b", 9), Line("zzz", 1)]) == Rejected(UNKNOWN_PRODUCT)


def test_a_rejection_leaves_the_stock_as_it_was() -> None:
    before = dict(STOCK)
    plan_reservation(STOCK, [Line("a", 99)])
    assert before == STOCK


def test_a_quantity_below_one_is_refused() -> None:
    with pytest.raises(InvalidQuantity):
        plan_reservation(STOCK, [Line("a", 0)])


def test_restock_creates_or_adds_to_available_only() -> None:
    assert restock(None, product_id="n", quantity=4) == Stock("n", 4, 0)
    assert restock(STOCK["a"], product_id="a", quantity=10) == Stock("a", 15, 1)


@pytest.mark.parametrize("quantity", [0, -1, MAX_RESTOCK + 1])
def test_restock_quantity_must_be_in_range(quantity: int) -> None:
    with pytest.raises(InvalidQuantity, match=r"1\.\.1000000"):
        restock(None, product_id="n", quantity=quantity)
    assert restock(None, product_id="n", quantity=MAX_RESTOCK).available == MAX_RESTOCK


def test_payloads_carry_exactly_the_contract_fields() -> None:
    lines = [Line("a", 2)]
    assert messages.inventory_reserved(
        reservation_id="r", order_id="o", user_id="u", items=lines
    ) == {
        "reservation_id": "r",
        "order_id": "o",
        "user_id": "u",
        "items": [{"product_id": "a", "quantity": 2}],
    }
    assert messages.inventory_rejected(
        order_id="o", user_id="u", reason=OUT_OF_STOCK, items=lines
    ) == {
        "order_id": "o",
        "user_id": "u",
        "reason": "out_of_stock",
        "items": [{"product_id": "a", "quantity": 2}],
    }
