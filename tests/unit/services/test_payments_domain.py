"""The payment rules: every decline rule, its boundary, and when a refund happens."""

from __future__ import annotations

from typing import Any

import pytest

from reference_services.payments import messages
from reference_services.payments.domain import (
    AMOUNT_LIMIT_CENTS,
    AMOUNT_LIMIT_EXCEEDED,
    CAPTURED,
    CARD_DECLINED,
    DECLINED,
    REFUNDED,
    ChargeDecision,
    Line,
    NotRefundable,
    decide_charge,
    refund_due,
)


def test_an_ordinary_card_within_the_limit_is_captured() -> None:
    decision = decide_charge(payment_token="tok_visa", amount_cents=7499)
    assert decision == ChargeDecision(CAPTURED, None)
    assert decision.captured


@pytest.mark.parametrize("token", ["tok_decline", "tok_decline_insufficient_funds", "tok_declined"])
def test_a_decline_token_is_declined_as_card_declined(token: str) -> None:
    assert decide_charge(payment_token=token, amount_cents=100) == ChargeDecision(
        DECLINED, CARD_DECLINED
    )


@pytest.mark.parametrize("token", ["tok_visa_decline", "tok_declin", "TOK_DECLINE", "decline"])
def test_only_the_decline_prefix_declines(token: str) -> None:
    assert decide_charge(payment_token=token, amount_cents=100).captured


def test_the_amount_limit_is_inclusive() -> None:
    assert AMOUNT_LIMIT_CENTS == 1_000_000, "10,000.00 EUR, as documented"
    at_limit = decide_charge(payment_token="tok_visa", amount_cents=AMOUNT_LIMIT_CENTS)
    over = decide_charge(payment_token="tok_visa", amount_cents=AMOUNT_LIMIT_CENTS + 1)
    assert at_limit.captured
    assert over == ChargeDecision(DECLINED, AMOUNT_LIMIT_EXCEEDED)
    assert not over.captured


def test_a_free_order_is_captured() -> None:
    assert decide_charge(payment_token="tok_visa", amount_cents=0).captured


def test_a_declined_card_wins_over_the_amount_limit() -> None:
    decision = decide_charge(payment_token="tok_decline", amount_cents=AMOUNT_LIMIT_CENTS + 1)
    assert decision.decline_reason == CARD_DECLINED


def test_a_captured_payment_is_refunded_once() -> None:
    assert refund_due(CAPTURED) is True
    assert refund_due(REFUNDED) is False, "a repeated compensation changes nothing"


def test_a_declined_payment_cannot_be_refunded() -> None:
    with pytest.raises(NotRefundable, match="never captured"):
        refund_due(DECLINED)


def test_payloads_carry_exactly_the_contract_fields() -> None:
    common: dict[str, Any] = {
        "payment_id": "p",
        "order_id": "o",
        "user_id": "u",
        "amount_cents": 250,
        "currency": "EUR",
    }
    processed = messages.payment_processed(**common, items=[Line("a", 2)])
    failed = messages.payment_failed(**common, reason=CARD_DECLINED)
    refunded = messages.payment_refunded(**common, reason="inventory_rejected")
    assert processed == {**common, "items": [{"product_id": "a", "quantity": 2}]}
    assert failed == {**common, "reason": "card_declined"}
    assert refunded == {**common, "reason": "inventory_rejected"}
