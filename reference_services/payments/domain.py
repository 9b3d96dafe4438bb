"""Payment rules (pure): deterministic charge decisions and the refund rule.

Charging an order (``order.created``) applies these rules in this order; the first that
matches decides:

1. ``payment_token`` is ``tok_decline`` or starts with ``tok_decline`` (for example
   ``tok_decline_insufficient_funds``) -> DECLINED, reason ``card_declined``.
2. ``amount_cents`` is above ``AMOUNT_LIMIT_CENTS`` = 1_000_000 (10,000.00 EUR)
   -> DECLINED, reason ``amount_limit_exceeded``. Exactly 1_000_000 is captured.
3. Otherwise -> CAPTURED.

So a declined token over the limit is ``card_declined``. No randomness, no clock: the
same order always gets the same answer, which is what the saga's tests rely on.

Refunding (compensation for ``inventory.rejected``):

- CAPTURED -> REFUNDED, reason ``inventory_rejected``, announced once.
- REFUNDED -> nothing happens (the compensation was delivered again).
- DECLINED (or no payment at all) -> ``NotRefundable``: nothing was ever charged, so the
  message contradicts this service's records and can never be processed.
"""

from __future__ import annotations

from dataclasses import dataclass

CAPTURED, DECLINED, REFUNDED = "CAPTURED", "DECLINED", "REFUNDED"
CARD_DECLINED, AMOUNT_LIMIT_EXCEEDED = "card_declined", "amount_limit_exceeded"
INVENTORY_REJECTED = "inventory_rejected"
DECLINE_TOKEN_PREFIX = "tok_decline"
AMOUNT_LIMIT_CENTS = 1_000_000


class NotRefundable(Exception):
    """The payment is in a state a refund cannot start from."""


@dataclass(frozen=True)
class Line:
    """One product of the order and how many of it (what inventory needs)."""

    product_id: str
    quantity: int


@dataclass(frozen=True)
class ChargeDecision:
    status: str
    decline_reason: str | None = None

    @property
    def captured(self) -> bool:
        return self.status == CAPTURED


def decide_charge(*, payment_token: str, amount_cents: int) -> ChargeDecision:
    """Apply the decline rules of the module docstring, first match wins."""
    if payment_token.startswith(DECLINE_TOKEN_PREFIX):
        return ChargeDecision(DECLINED, CARD_DECLINED)
    if amount_cents > AMOUNT_LIMIT_CENTS:
        return ChargeDecision(DECLINED, AMOUNT_LIMIT_EXCEEDED)
    return ChargeDecision(CAPTURED)


def refund_due(status: str) -> bool:
    """True: refund now. False: already refunded (a redelivery). Raises NotRefundable."""
    if status == CAPTURED:
        return True
    if status == REFUNDED:
        return False
    raise NotRefundable(f"the payment is {status}: it was never captured, so nothing to refund")
