"""Event names: what is accepted, and the names derived for contract and code."""

from __future__ import annotations

import pytest

from harness.scaffold.event_names import EventNames, name_problem


@pytest.mark.parametrize("name", ["order.shipped", "stock_level.changed", "a.b.c", "v2.done"])
def test_dotted_lowercase_words_are_accepted(name: str) -> None:
    assert name_problem(name) is None


@pytest.mark.parametrize(
    "name",
    ["shipped", "Order.Shipped", "order-shipped", "order..shipped", "order.shipped.dlq",
     ".order", "order.", "order.2shipped", "o." + "x" * 60, "order.shipped "],
)  # fmt: skip
def test_other_names_are_refused_with_the_pattern(name: str) -> None:
    problem = name_problem(name)
    assert problem is not None and "thing.happened" in problem and repr(name) in problem


def test_names_for_contract_and_code() -> None:
    n = EventNames("stock_level.changed")
    assert (n.pascal, n.camel, n.snake) == (
        "StockLevelChanged",
        "stockLevelChanged",
        "stock_level_changed",
    )
    assert (n.channel, n.dlq_channel, n.dlq) == (
        "stockLevelChanged",
        "stockLevelChangedDlq",
        "stock_level.changed.dlq",
    )
    assert n.publish_operation("inventory") == "inventory.publishStockLevelChanged"
    assert n.receive_operation("orders") == "orders.onStockLevelChanged"
    assert n.dead_letter_operation("orders") == "orders.deadLetterStockLevelChanged"
    assert (n.builder, n.publisher, n.handler) == (
        "stock_level_changed",
        "publish_stock_level_changed",
        "on_stock_level_changed",
    )
