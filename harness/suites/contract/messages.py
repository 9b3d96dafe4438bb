"""Message pacts: what each event consumer reads, and handing it a pact message.

Each expectation is consumer-driven: the body lists the fields the consumer's own model
reads (payments and notifications forbid unknown fields and need every field; orders
reads only the order and user ids). The consumer side decodes the message with the kit's
record decoder, as the consumer loop does, and runs the consumer's real handler; the
handler's call into its use case is recorded instead of touching a database.
"""

from __future__ import annotations

import asyncio
import importlib
from dataclasses import dataclass, field
from types import ModuleType, SimpleNamespace
from typing import Any

from pact import match

from harness.suites.contract import examples as ex
from reference_services.kit.events import IncomingEvent, decode_record

EVENT_ID = "8fccaa80-5605-4161-a846-0f68e40f60a1"
PAYMENT_ID = "99677fa1-77ea-40c3-8b10-02131e138f7f"
RESERVATION_ID = "4d3c2b1a-0f9e-4d8c-8b7a-6f5e4d3c2b1a"
METADATA_ONLY = "contentType"  # pact's own metadata key; not a Kafka header

IDS = {"order_id": ex.uuid(ex.ORDER_ID), "user_id": ex.uuid(ex.CUSTOMER_ID)}
STOCK_LINES = match.each_like({"product_id": ex.uuid(ex.PRODUCT_ID), "quantity": match.int(2)})
MONEY = {"currency": ex.one_of("EUR")}


@dataclass(frozen=True)
class Expectation:
    consumer: str
    provider: str
    event_type: str
    state: str
    body: dict[str, Any]
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.consumer}<-{self.event_type}"


EXPECTATIONS = (
    Expectation(
        "payments",
        "orders",
        "order.created",
        "an order is placed",
        {
            **IDS,
            "items": match.each_like(
                {
                    "product_id": ex.uuid(ex.PRODUCT_ID),
                    "quantity": match.int(2),
                    "unit_price_cents": match.int(ex.PRICE_CENTS),
                }
            ),
            "total_cents": match.int(2 * ex.PRICE_CENTS),
            **MONEY,
            "payment_token": match.str("tok_visa"),
        },
    ),
    Expectation(
        "payments",
        "inventory",
        "inventory.rejected",
        "stock is short for a paid order",
        {
            **IDS,
            "reason": ex.one_of("out_of_stock", "unknown_product"),
            "items": STOCK_LINES,
        },
    ),
    Expectation(
        "inventory",
        "payments",
        "payment.processed",
        "an order's payment is captured",
        {
            "payment_id": ex.uuid(PAYMENT_ID),
            **IDS,
            "amount_cents": match.int(2 * ex.PRICE_CENTS),
            **MONEY,
            "items": STOCK_LINES,
        },
    ),
    Expectation("orders", "payments", "payment.failed", "an order's payment is declined", IDS),
    Expectation(
        "orders", "inventory", "inventory.reserved", "stock is reserved for a paid order", IDS
    ),
    Expectation(
        "orders", "inventory", "inventory.rejected", "stock is short for a paid order", IDS
    ),
    Expectation(
        "notifications",
        "orders",
        "order.completed",
        "an order is completed",
        {**IDS, "total_cents": match.int(2 * ex.PRICE_CENTS), **MONEY},
    ),
    Expectation(
        "notifications",
        "orders",
        "order.cancelled",
        "an order is cancelled",
        {
            **IDS,
            "total_cents": match.int(2 * ex.PRICE_CENTS),
            **MONEY,
            "reason": ex.one_of("out_of_stock", "payment_declined"),
        },
        {"reason": "out_of_stock"},
    ),
)


def metadata_of(event_type: str) -> dict[str, object]:
    """The Kafka headers a consumer relies on (docs/runtime-contract.md)."""
    return {
        "event-id": ex.uuid(EVENT_ID),
        "event-type": event_type,
        "correlation-id": ex.uuid(ex.ORDER_ID),
        "content-type": ex.JSON,
    }


def as_record(
    event_type: str, body: str | bytes | None, metadata: dict[str, object]
) -> IncomingEvent:
    """The pact message as the consumer loop would decode it from a Kafka record."""
    value = body.encode() if isinstance(body, str) else body
    headers = [(k, str(v).encode()) for k, v in metadata.items() if k != METADATA_ONLY]
    key = str(metadata.get("correlation-id", "")).encode()
    return decode_record(
        topic=event_type, partition=0, offset=0, key=key, value=value, headers=headers
    )


@dataclass
class UseCaseCall:
    name: str
    kwargs: dict[str, Any]


class UseCaseRecorder:
    """Stands in for a consumer's ``service`` module: records which use case its handler
    calls, and with what, instead of running it against a database."""

    def __init__(self) -> None:
        self.calls: list[UseCaseCall] = []

    def __getattr__(self, name: str) -> Any:
        async def use_case(_uow: object, **kwargs: Any) -> None:
            self.calls.append(UseCaseCall(name, kwargs))

        return use_case


def consumer_module(consumer: str) -> ModuleType:
    return importlib.import_module(f"reference_services.{consumer}.consumer")


def handle(module: ModuleType, event: IncomingEvent) -> None:
    """Run the consumer's handler for the event's topic, no planted defect switched on."""
    settings = SimpleNamespace(has_defect=lambda _name: False)
    uow = SimpleNamespace(settings=settings)
    asyncio.run(module.HANDLERS[event.topic](uow, event))
