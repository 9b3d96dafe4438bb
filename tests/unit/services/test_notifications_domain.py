"""The notification rules: the text each order outcome produces."""

from __future__ import annotations

import pytest

from reference_services.notifications.domain import (
    ORDER_CANCELLED,
    ORDER_COMPLETED,
    UnknownReason,
    compose,
    format_money,
    short_id,
)

ORDER = "9a59fb67-a609-4030-8330-5bf88bc6bb9c"


@pytest.mark.parametrize(
    ("cents", "text"), [(7499, "74.99 EUR"), (5, "0.05 EUR"), (0, "0.00 EUR"), (100, "1.00 EUR")]
)
def test_cents_are_shown_as_a_decimal_amount(cents: int, text: str) -> None:
    assert format_money(cents, "EUR") == text


def test_an_order_is_named_by_its_first_id_block() -> None:
    assert short_id(ORDER) == "9a59fb67"


def test_a_completed_order_says_so() -> None:
    text = compose(ORDER_COMPLETED, order_id=ORDER, total_cents=7499, currency="EUR")
    assert text == "Your order 9a59fb67 (74.99 EUR) is complete."


@pytest.mark.parametrize(
    ("reason", "explanation"),
    [("payment_declined", "the payment was declined"), ("out_of_stock", "an item is out of stock")],
)
def test_a_cancelled_order_explains_why(reason: str, explanation: str) -> None:
    text = compose(ORDER_CANCELLED, order_id=ORDER, total_cents=1250, currency="EUR", reason=reason)
    assert text == f"Your order 9a59fb67 (12.50 EUR) was cancelled: {explanation}."


def test_a_cancellation_without_a_known_reason_is_refused() -> None:
    with pytest.raises(UnknownReason):
        compose(ORDER_CANCELLED, order_id=ORDER, total_cents=1, currency="EUR", reason="bored")


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown notification kind"):
        compose("order_shipped", order_id=ORDER, total_cents=1, currency="EUR")
