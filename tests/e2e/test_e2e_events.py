"""The bus end to end: redelivery has no second effect, poison goes to the DLQ and the
consumer keeps going, and every event the services publish keeps the AsyncAPI contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.contracts.asyncapi import load_asyncapi
from harness.contracts.event_validation import validate_record
from tests.e2e.shop import INJECTED, Shop, inject, read_topics, wait_for
from tests.integration.services.conftest import EVENT_TYPES

pytestmark = pytest.mark.e2e

ASYNCAPI = Path(__file__).resolve().parents[2] / "contracts" / "asyncapi" / "events.yaml"
SAGA_EVENTS = set(EVENT_TYPES)


async def test_a_redelivered_event_has_no_second_effect(shop: Shop) -> None:
    product, token = shop.product(stock=5), shop.customer()
    order = shop.outcome(token, shop.place(token, product))
    assert order["status"] == "COMPLETED"
    records = await read_topics(shop.stack.kafka_bootstrap, ["payment.processed"])
    [original] = [r for r in records if r.key == order["id"].encode()]
    duplicates = shop.metric(
        "inventory", "events_consumed_total", topic="payment.processed", outcome="duplicate"
    )

    await inject(
        shop.stack.kafka_bootstrap,
        "payment.processed",
        original.value,
        key=original.key,
        headers=list(original.headers),
    )

    wait_for(
        lambda: (
            shop.metric(
                "inventory", "events_consumed_total", topic="payment.processed", outcome="duplicate"
            )
            > duplicates
        ),
        timeout=30,
        what="inventory to see the redelivered payment.processed",
    )
    assert shop.stock(product)["available"] == 4  # reserved once, not twice
    reserved = await read_topics(shop.stack.kafka_bootstrap, ["inventory.reserved"])
    assert len([r for r in reserved if r.key == order["id"].encode()]) == 1


async def test_a_poison_message_goes_to_the_dlq_and_the_consumer_keeps_going(
    shop: Shop,
) -> None:
    poison = b'{"this is": "not an order event'
    await inject(shop.stack.kafka_bootstrap, "order.created", poison, key=b"poison", headers=[])

    def dead_lettered() -> bool:
        return (
            shop.metric(
                "payments", "events_consumed_total", topic="order.created", outcome="dead_lettered"
            )
            >= 1
        )

    wait_for(dead_lettered, timeout=30, what="payments to dead-letter the poison message")
    [dead] = [
        r
        for r in await read_topics(shop.stack.kafka_bootstrap, ["order.created.dlq"])
        if r.value == poison
    ]
    headers = {k: v.decode() for k, v in dead.headers}
    assert dead.key == b"poison"
    assert headers["dlq-original-topic"] == "order.created"
    assert headers["dlq-consumer"] == "payments"
    assert headers["dlq-reason"]

    product, token = shop.product(stock=5), shop.customer()
    assert shop.outcome(token, shop.place(token, product))["status"] == "COMPLETED"


async def test_every_published_event_keeps_the_asyncapi_contract(shop: Shop) -> None:
    shop.demo.run()  # all three saga outcomes, so every event type is on the bus
    index = load_asyncapi(ASYNCAPI)
    records = await read_topics(shop.stack.kafka_bootstrap, sorted(SAGA_EVENTS))
    published = [r for r in records if INJECTED not in r.headers]
    assert {r.topic for r in published} == SAGA_EVENTS
    problems = [
        f"{r.topic}@{r.partition}:{r.offset}: {v}"
        for r in published
        for v in validate_record(index, r.topic, r.key, r.value, r.headers)
    ]
    assert problems == [], "\n".join(problems)
    assert all(json.loads(r.value) for r in published)


async def test_request_id_and_trace_travel_from_the_gateway_to_the_bus_and_logs(
    shop: Shop,
) -> None:
    product, token = shop.product(stock=5), shop.customer()
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    sent = {
        "x-request-id": "e2e-trace-check-1",
        "traceparent": f"00-{trace_id}-00f067aa0ba902b7-01",
    }
    response = shop.order_request(token, product, headers=sent)
    assert response.status_code == 201
    assert response.headers["x-request-id"] == "e2e-trace-check-1"
    assert response.headers["traceparent"].split("-")[1] == trace_id
    order_id = response.json()["id"]
    shop.outcome(token, order_id)

    records = await read_topics(shop.stack.kafka_bootstrap, sorted(SAGA_EVENTS))
    traced = {
        r.topic
        for r in records
        if r.key == order_id.encode()
        and dict(r.headers)["traceparent"].split(b"-")[1] == trace_id.encode()
    }
    assert traced >= {"order.created", "payment.processed", "inventory.reserved", "order.completed"}
    for service in ("gateway", "orders"):
        lines = shop.stack.log_path(service).read_text().splitlines()
        assert any("e2e-trace-check-1" in line and trace_id in line for line in lines), service
