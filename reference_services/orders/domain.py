"""Order rules (pure): totals and the state machine PENDING -> COMPLETED | CANCELLED."""

from __future__ import annotations

from dataclasses import dataclass

PENDING, COMPLETED, CANCELLED = "PENDING", "COMPLETED", "CANCELLED"
TERMINAL = frozenset({COMPLETED, CANCELLED})
CANCEL_REASONS = frozenset({"payment_declined", "out_of_stock"})


class IllegalTransition(Exception):
    pass


@dataclass(frozen=True)
class Line:
    product_id: str
    quantity: int
    unit_price_cents: int

    @property
    def total_cents(self) -> int:
        return self.quantity * self.unit_price_cents


def order_total(lines: list[Line]) -> int:
    return sum(line.total_cents for line in lines)


def next_status(current: str, target: str) -> str | None:
    """The status to move to, or None when the order is already there (a redelivery).

    Raises IllegalTransition for a move out of a terminal state into another one.
    """
    if current == target:
        return None
    if current == PENDING and target in TERMINAL:
        return target
    raise IllegalTransition(f"an order in {current} cannot become {target}")
