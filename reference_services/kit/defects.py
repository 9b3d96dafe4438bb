"""Switchable, documented defects: each plants one bug a harness suite exists to catch.

Off by default. ``{PREFIX}DEFECTS=name[,name]`` turns them on for one service (the
embedded stack: ``harness up --defect service:name``). They prove the suites can fail:
tests/e2e/test_e2e_defects.py runs each and checks that the right suite fails for the
right reason. See docs/defects.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Defect:
    service: str
    does: str
    caught_by: str


DEFECTS: dict[str, Defect] = {
    "undocumented-field": Defect(
        "products",
        "GET /products/{product_id} answers with `warehouse_code`, a field the contract "
        "does not have (the served OpenAPI shows it too)",
        "fuzz (response schema conformance) and drift",
    ),
    "boundary-500": Defect(
        "products",
        "GET /products answers 500 when `limit` is its documented maximum, 100",
        "fuzz (not a server error)",
    ),
    "renamed-event-field": Defect(
        "orders",
        "order.created carries `amount_cents` instead of `total_cents`",
        "events (AsyncAPI validation) and the message pacts",
    ),
    "no-breaker": Defect(
        "orders",
        "the HTTP clients to users and products have no circuit breaker: every call waits "
        "for its timeout and retries, however long the dependency stays down",
        "chaos (experiment latency-orders-products: fail fast)",
    ),
    "outbox-bypass": Defect(
        "orders",
        "events are sent straight to Kafka after the commit instead of through the outbox, "
        "and dropped when the broker is unreachable (the dual-write bug)",
        "chaos (experiment kafka-down: every accepted order converges)",
    ),
    "no-compensation": Defect(
        "payments",
        "inventory.rejected no longer refunds the payment (no payment.refunded)",
        "events (saga flow)",
    ),
    "crash-on-poison": Defect(
        "inventory",
        "the consumer crashes on a record it cannot decode instead of dead-lettering it, "
        "and crashes again on the same record after every restart",
        "events (consumer robustness)",
    ),
}


def parse_defects(value: Any, *, service: str) -> frozenset[str]:
    """``"a,b"`` (or a list) -> names, each checked to be a defect of ``service``."""
    if isinstance(value, str):
        names = [n.strip() for n in value.split(",") if n.strip()]
    else:
        names = [str(n) for n in value or ()]
    own = sorted(n for n, d in DEFECTS.items() if d.service == service)
    wrong = [n for n in names if n not in own]
    if wrong:
        known = ", ".join(own) or "none"
        raise ValueError(f"unknown defect(s) {wrong} for {service}; its defects: {known}")
    return frozenset(names)


def planted_payload(
    defects: frozenset[str], event_type: str, payload: dict[str, Any]
) -> dict[str, Any]:
    """The payload as a defective producer would publish it."""
    if "renamed-event-field" in defects and event_type == "order.created":
        renamed = {k: v for k, v in payload.items() if k != "total_cents"}
        return {**renamed, "amount_cents": payload["total_cents"]}
    return payload
