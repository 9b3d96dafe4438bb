"""Notification rules (pure): which kind an order event makes and the text the user reads.

- ``order.completed`` -> kind ``order_completed``:
  "Your order 9a59fb67 (74.99 EUR) is complete."
- ``order.cancelled`` -> kind ``order_cancelled``, with the reason explained:
  "Your order 9a59fb67 (74.99 EUR) was cancelled: the payment was declined."

An order gets at most one notification of each kind (the service enforces it).
"""

from __future__ import annotations

ORDER_COMPLETED, ORDER_CANCELLED = "order_completed", "order_cancelled"
KINDS = frozenset({ORDER_COMPLETED, ORDER_CANCELLED})
CANCEL_EXPLANATIONS = {
    "payment_declined": "the payment was declined",
    "out_of_stock": "an item is out of stock",
}


class UnknownReason(ValueError):
    pass


def format_money(cents: int, currency: str) -> str:
    """Integer cents as a decimal amount, e.g. 7499 EUR -> '74.99 EUR'."""
    units, rest = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    return f"{sign}{units}.{rest:02d} {currency}"


def short_id(order_id: str) -> str:
    """The first block of a UUID: enough for a person to recognise the order."""
    return order_id.split("-", 1)[0]


def compose(
    kind: str, *, order_id: str, total_cents: int, currency: str, reason: str | None = None
) -> str:
    """The message text for an order outcome."""
    order = f"Your order {short_id(order_id)} ({format_money(total_cents, currency)})"
    if kind == ORDER_COMPLETED:
        return f"{order} is complete."
    if kind == ORDER_CANCELLED:
        if reason not in CANCEL_EXPLANATIONS:
            raise UnknownReason(f"no explanation for cancel reason {reason!r}")
        return f"{order} was cancelled: {CANCEL_EXPLANATIONS[reason]}."
    raise ValueError(f"unknown notification kind {kind!r}; expected one of {sorted(KINDS)}")
