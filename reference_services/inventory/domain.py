"""Stock rules (pure): all-or-nothing reservation for a paid order, and restocking.

A paid order (``payment.processed``) reserves every line or none:

1. If any product has no stock row -> rejected, reason ``unknown_product``.
2. Else if any product has ``available`` below the quantity asked for it (lines naming
   the same product are added up) -> rejected, reason ``out_of_stock``.
3. Otherwise each product's quantity moves from ``available`` to ``reserved``.

A rejection changes no stock. Each order is decided once: a later delivery of the same
order's payment gets no second decision (the service keeps the first).

Restocking adds 1..1_000_000 units to ``available``, creating the stock row if absent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

OUT_OF_STOCK, UNKNOWN_PRODUCT = "out_of_stock", "unknown_product"
MAX_RESTOCK = 1_000_000


class InvalidQuantity(ValueError):
    pass


@dataclass(frozen=True)
class Line:
    product_id: str
    quantity: int


@dataclass(frozen=True)
class Stock:
    product_id: str
    available: int
    reserved: int = 0


@dataclass(frozen=True)
class Reserved:
    """The stock levels to write: one per product of the order."""

    levels: tuple[Stock, ...]


@dataclass(frozen=True)
class Rejected:
    reason: str


def requested(lines: Iterable[Line]) -> dict[str, int]:
    """Quantity asked per product, lines of one product added up."""
    totals: dict[str, int] = {}
    for line in lines:
        if line.quantity < 1:
            raise InvalidQuantity(f"quantity of {line.product_id} must be at least 1")
        totals[line.product_id] = totals.get(line.product_id, 0) + line.quantity
    return totals


def plan_reservation(stock: Mapping[str, Stock], lines: Iterable[Line]) -> Reserved | Rejected:
    """Decide an order against the current stock by the rules of the module docstring."""
    wanted = requested(lines)
    if any(product_id not in stock for product_id in wanted):
        return Rejected(UNKNOWN_PRODUCT)
    if any(stock[product_id].available < qty for product_id, qty in wanted.items()):
        return Rejected(OUT_OF_STOCK)
    return Reserved(
        tuple(
            Stock(product_id, stock[product_id].available - qty, stock[product_id].reserved + qty)
            for product_id, qty in sorted(wanted.items())
        )
    )


def restock(current: Stock | None, *, product_id: str, quantity: int) -> Stock:
    """The product's stock after adding ``quantity`` units to what is available."""
    if not 1 <= quantity <= MAX_RESTOCK:
        raise InvalidQuantity(f"restock quantity must be 1..{MAX_RESTOCK}, got {quantity}")
    if current is None:
        return Stock(product_id, quantity, 0)
    return Stock(product_id, current.available + quantity, current.reserved)
