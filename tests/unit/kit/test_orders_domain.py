import pytest

from reference_services.orders.domain import (
    CANCELLED,
    COMPLETED,
    PENDING,
    IllegalTransition,
    Line,
    next_status,
    order_total,
)
from reference_services.users.passwords import hash_password, verify_password


def test_total_is_the_sum_of_lines() -> None:
    assert order_total([Line("a", 2, 1250), Line("b", 1, 4900)]) == 7400


def test_pending_moves_to_either_outcome_once() -> None:
    assert next_status(PENDING, COMPLETED) == COMPLETED
    assert next_status(PENDING, CANCELLED) == CANCELLED
    assert next_status(COMPLETED, COMPLETED) is None, "a redelivery changes nothing"


def test_a_settled_order_never_changes_outcome() -> None:
    with pytest.raises(IllegalTransition):
        next_status(CANCELLED, COMPLETED)
    with pytest.raises(IllegalTransition):
        next_status(COMPLETED, CANCELLED)


def test_passwords_are_salted_and_verified() -> None:
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first != second and first.startswith("scrypt$")
    assert verify_password("correct horse", first)
    assert not verify_password("wrong horse", first)
    assert not verify_password("x", "not-a-hash")
