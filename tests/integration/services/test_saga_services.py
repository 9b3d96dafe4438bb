"""payments, inventory and notifications on a real broker: each reacts to its events,
publishes the contract's events through its outbox, does one thing per event however
often it arrives, and dead-letters what it can never process without stopping."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from reference_services.inventory.config import InventorySettings
from reference_services.inventory.main import create_app as create_inventory
from reference_services.notifications.config import NotificationsSettings
from reference_services.notifications.main import create_app as create_notifications
from reference_services.payments.config import PaymentsSettings
from reference_services.payments.main import create_app as create_payments
from tests.integration.services.conftest import (
    Bus,
    RunningService,
    Seen,
    eventually,
    new_id,
    running_service,
    token,
)

pytestmark = pytest.mark.integration
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")
ADMIN = token(new_id(), role="admin")


def order_created(
    *, user_id: str, lines: list[tuple[str, int, int]], payment_token: str = "tok_visa"
) -> dict[str, Any]:
    items = [{"product_id": p, "quantity": q, "unit_price_cents": c} for p, q, c in lines]
    return {
        "order_id": new_id(),
        "user_id": user_id,
        "items": items,
        "total_cents": sum(q * c for _, q, c in lines),
        "currency": "EUR",
        "payment_token": payment_token,
    }


def payment_processed(*, user_id: str, lines: list[tuple[str, int]]) -> dict[str, Any]:
    return {
        "payment_id": new_id(),
        "order_id": new_id(),
        "user_id": user_id,
        "amount_cents": 1000,
        "currency": "EUR",
        "items": [{"product_id": p, "quantity": q} for p, q in lines],
    }


def assert_contract_envelope(record: Seen, *, producer: str, order_id: str) -> None:
    """Key and headers as docs/runtime-contract.md requires."""
    headers = record.headers
    assert record.key == order_id
    assert UUID.match(headers["event-id"])
    assert headers["event-type"] == record.topic
    assert headers["correlation-id"] == order_id
    assert TRACEPARENT.match(headers["traceparent"])
    assert headers["occurred-at"].endswith("Z")
    assert headers["producer"] == producer
    assert headers["content-type"] == "application/json"


def trace_id(record: Seen) -> str:
    match = TRACEPARENT.match(record.headers["traceparent"])
    assert match, record.headers
    return match.group(1)


async def test_orders_are_charged_or_declined_by_the_rules(
    bus: Bus, payments: RunningService
) -> None:
    user = new_id()
    mug, lamp = new_id(), new_id()
    ok = order_created(user_id=user, lines=[(mug, 2, 1250), (lamp, 1, 4900)])
    declined = order_created(user_id=user, lines=[(mug, 1, 1250)], payment_token="tok_decline")
    too_big = order_created(user_id=user, lines=[(lamp, 1, 1_000_001)])
    for order in (ok, declined, too_big):
        await bus.publish("order.created", order)

    processed = await bus.next_on("payment.processed", order_id=ok["order_id"])
    assert_contract_envelope(processed, producer="payments", order_id=ok["order_id"])
    payload = processed.payload
    assert UUID.match(payload.pop("payment_id"))
    assert payload == {
        "order_id": ok["order_id"],
        "user_id": user,
        "amount_cents": 7400,
        "currency": "EUR",
        "items": [{"product_id": mug, "quantity": 2}, {"product_id": lamp, "quantity": 1}],
    }
    incoming = bus.on("order.created", order_id=ok["order_id"])[0]
    assert trace_id(processed) == trace_id(incoming), "the trace continues across the hop"

    failed = await bus.next_on("payment.failed", order_id=declined["order_id"])
    assert_contract_envelope(failed, producer="payments", order_id=declined["order_id"])
    assert failed.payload["reason"] == "card_declined"
    assert set(failed.payload) == {
        "payment_id",
        "order_id",
        "user_id",
        "amount_cents",
        "currency",
        "reason",
    }
    over = await bus.next_on("payment.failed", order_id=too_big["order_id"])
    assert over.payload["reason"] == "amount_limit_exceeded"

    mine = await payments.http.get(
        "/payments", params={"order_id": ok["order_id"]}, headers=token(user)
    )
    assert mine.status_code == 200
    [payment] = mine.json()
    assert payment["id"] == processed.payload["payment_id"]
    assert (payment["status"], payment["amount_cents"], payment["currency"]) == (
        "CAPTURED",
        7400,
        "EUR",
    )
    assert payment["created_at"].endswith(("Z", "+00:00"))
    one = await payments.http.get(f"/payments/{payment['id']}", headers=token(user))
    assert one.json() == payment
    refused = await payments.http.get(
        "/payments", params={"order_id": declined["order_id"]}, headers=token(user)
    )
    assert [(p["status"], p["decline_reason"]) for p in refused.json()] == [
        ("DECLINED", "card_declined")
    ]


async def test_payments_are_private_to_their_owner(bus: Bus, payments: RunningService) -> None:
    user, stranger = new_id(), new_id()
    order = order_created(user_id=user, lines=[(new_id(), 1, 500)])
    await bus.publish("order.created", order)
    processed = await bus.next_on("payment.processed", order_id=order["order_id"])
    payment_id = processed.payload["payment_id"]
    path, query = f"/payments/{payment_id}", {"order_id": order["order_id"]}

    hidden = await payments.http.get(path, headers=token(stranger))
    assert hidden.status_code == 404
    assert hidden.headers["content-type"] == "application/problem+json"
    theirs = await payments.http.get("/payments", params=query, headers=token(stranger))
    assert theirs.json() == []
    assert (await payments.http.get(path, headers=ADMIN)).status_code == 200
    assert len((await payments.http.get("/payments", params=query, headers=ADMIN)).json()) == 1
    assert (await payments.http.get(path)).status_code == 401
    bad = await payments.http.get("/payments", params={"order_id": "x"}, headers=token(user))
    assert bad.status_code == 422
    missing = await payments.http.get(f"/payments/{new_id()}", headers=token(user))
    assert missing.status_code == 404


async def test_a_redelivered_order_is_charged_once(bus: Bus, payments: RunningService) -> None:
    user = new_id()
    order = order_created(user_id=user, lines=[(new_id(), 3, 100)])
    event_id = await bus.publish("order.created", order)
    await bus.publish("order.created", order, event_id=event_id)  # the same event again
    await bus.publish("order.created", order)  # the same order, published anew
    await bus.publish("order.created", {**order, "total_cents": 1})  # contradicts the first

    await payments.wait_consumed("order.created", "duplicate", 1)
    await payments.wait_consumed("order.created", "processed", 2)
    dead = await bus.next_on("order.created.dlq", order_id=order["order_id"])
    assert "already charged" in dead.headers["dlq-reason"]
    await payments.wait_outbox_empty()
    await bus.next_on("payment.processed", order_id=order["order_id"])
    assert len(bus.on("payment.processed", order_id=order["order_id"])) == 1
    listed = await payments.http.get(
        "/payments", params={"order_id": order["order_id"]}, headers=token(user)
    )
    assert len(listed.json()) == 1


async def test_a_paid_order_reserves_all_its_stock_or_none(
    bus: Bus, inventory: RunningService
) -> None:
    user, mug, lamp, ghost = new_id(), new_id(), new_id(), new_id()
    for product, quantity in ((mug, 5), (lamp, 1)):
        response = await inventory.http.post(
            f"/inventory/{product}/restock", json={"quantity": quantity}, headers=ADMIN
        )
        assert response.status_code == 200
        assert response.json() == {"product_id": product, "available": quantity, "reserved": 0}

    fits = payment_processed(user_id=user, lines=[(mug, 2), (lamp, 1)])
    short = payment_processed(user_id=user, lines=[(mug, 1), (lamp, 1)])
    unknown = payment_processed(user_id=user, lines=[(mug, 1), (ghost, 1)])
    await bus.publish("payment.processed", fits, producer="payments")
    reserved = await bus.next_on("inventory.reserved", order_id=fits["order_id"])
    assert_contract_envelope(reserved, producer="inventory", order_id=fits["order_id"])
    body = reserved.payload
    assert UUID.match(body.pop("reservation_id"))
    assert body == {
        "order_id": fits["order_id"],
        "user_id": user,
        "items": fits["items"],
    }

    for order in (short, unknown):
        await bus.publish("payment.processed", order, producer="payments")
    out = await bus.next_on("inventory.rejected", order_id=short["order_id"])
    assert_contract_envelope(out, producer="inventory", order_id=short["order_id"])
    assert out.payload == {
        "order_id": short["order_id"],
        "user_id": user,
        "reason": "out_of_stock",
        "items": short["items"],
    }
    nowhere = await bus.next_on("inventory.rejected", order_id=unknown["order_id"])
    assert nowhere.payload["reason"] == "unknown_product"

    async def level(product: str) -> tuple[int, int]:
        body = (await inventory.http.get(f"/inventory/{product}", headers=token(user))).json()
        return body["available"], body["reserved"]

    assert await level(mug) == (3, 2), "rejections changed no stock"
    assert await level(lamp) == (0, 1)
    assert (await inventory.http.get(f"/inventory/{ghost}", headers=token(user))).status_code == 404


async def test_restocking_is_for_admins_and_adds_up(bus: Bus, inventory: RunningService) -> None:
    product = new_id()
    path = f"/inventory/{product}/restock"
    forbidden = await inventory.http.post(path, json={"quantity": 1}, headers=token(new_id()))
    assert forbidden.status_code == 403
    assert (await inventory.http.post(path, json={"quantity": 1})).status_code == 401
    for bad in ({"quantity": 0}, {"quantity": 1_000_001}, {"quantity": 1, "extra": 1}, {}):
        assert (await inventory.http.post(path, json=bad, headers=ADMIN)).status_code == 422
    await inventory.http.post(path, json={"quantity": 4}, headers=ADMIN)
    again = await inventory.http.post(path, json={"quantity": 1_000_000}, headers=ADMIN)
    assert again.json() == {"product_id": product, "available": 1_000_004, "reserved": 0}
    assert (await inventory.http.get(f"/inventory/{product}")).status_code == 401


async def test_a_stock_rejection_refunds_the_captured_payment_once(
    bus: Bus, payments: RunningService, inventory: RunningService
) -> None:
    """order.created -> payment.processed -> inventory.rejected -> payment.refunded."""
    user = new_id()
    order = order_created(user_id=user, lines=[(new_id(), 1, 2500)])  # no stock row
    await bus.publish("order.created", order)
    order_id = order["order_id"]
    processed = await bus.next_on("payment.processed", order_id=order_id)
    rejected = await bus.next_on("inventory.rejected", order_id=order_id)
    assert rejected.payload["reason"] == "unknown_product"
    refunded = await bus.next_on("payment.refunded", order_id=order_id)
    assert_contract_envelope(refunded, producer="payments", order_id=order_id)
    assert refunded.payload == {
        "payment_id": processed.payload["payment_id"],
        "order_id": order_id,
        "user_id": user,
        "amount_cents": 2500,
        "currency": "EUR",
        "reason": "inventory_rejected",
    }
    query = {"order_id": order_id}
    listed = await payments.http.get("/payments", params=query, headers=token(user))
    [payment] = listed.json()
    assert (payment["status"], payment["refund_reason"]) == ("REFUNDED", "inventory_rejected")

    # The rejection again (same event) and once more under a new event id: no second refund.
    again = {name: value.encode() for name, value in rejected.headers.items()}
    await bus.publish_raw(
        "inventory.rejected", rejected.value, key=order_id, headers=list(again.items())
    )
    await bus.publish("inventory.rejected", rejected.payload, producer="inventory")
    await payments.wait_consumed("inventory.rejected", "duplicate", 1)
    await payments.wait_consumed("inventory.rejected", "processed", 2)
    await payments.wait_outbox_empty()
    assert len(bus.on("payment.refunded", order_id=order_id)) == 1


async def test_a_rejection_without_a_captured_payment_is_dead_lettered(
    bus: Bus, payments: RunningService
) -> None:
    user = new_id()
    stray: dict[str, Any] = {
        "order_id": new_id(),
        "user_id": user,
        "reason": "out_of_stock",
        "items": [{"product_id": new_id(), "quantity": 1}],
    }
    await bus.publish("inventory.rejected", stray, producer="inventory")
    dead = await bus.next_on("inventory.rejected.dlq", order_id=stray["order_id"])
    assert "no payment for that order" in dead.headers["dlq-reason"]

    declined = order_created(user_id=user, lines=[(new_id(), 1, 10)], payment_token="tok_decline")
    await bus.publish("order.created", declined)
    await bus.next_on("payment.failed", order_id=declined["order_id"])
    await bus.publish(
        "inventory.rejected", {**stray, "order_id": declined["order_id"]}, producer="inventory"
    )
    dead = await bus.next_on("inventory.rejected.dlq", order_id=declined["order_id"])
    assert "never captured" in dead.headers["dlq-reason"]


async def test_poison_records_are_dead_lettered_and_the_consumer_goes_on(
    bus: Bus, payments: RunningService
) -> None:
    user = new_id()
    garbage_key = new_id()
    garbage_headers = [
        ("event-id", new_id().encode()),
        ("event-type", b"order.created"),
        ("correlation-id", garbage_key.encode()),
    ]
    await bus.publish_raw(
        "order.created", b"\xff\x00 not json", key=garbage_key, headers=garbage_headers
    )
    incomplete = order_created(user_id=user, lines=[(new_id(), 1, 100)])
    del incomplete["payment_token"]
    await bus.publish("order.created", incomplete)
    renamed = order_created(user_id=user, lines=[(new_id(), 1, 100)])
    renamed["amount_cents"] = renamed.pop("total_cents")
    await bus.publish("order.created", renamed)
    valid = order_created(user_id=user, lines=[(new_id(), 1, 100)])
    await bus.publish("order.created", valid)

    await bus.next_on("payment.processed", order_id=valid["order_id"])
    dead = await bus.next_on("order.created.dlq", order_id=garbage_key)
    assert dead.value == b"\xff\x00 not json", "the original value, byte for byte"
    assert "not JSON" in dead.headers["dlq-reason"]
    assert dead.headers["dlq-consumer"] == "payments"
    assert dead.headers["dlq-original-topic"] == "order.created"
    assert dead.headers["dlq-original-partition"].isdigit()
    assert dead.headers["dlq-original-offset"].isdigit()
    assert dead.headers["event-type"] == "order.created", "original headers are kept"
    missing = await bus.next_on("order.created.dlq", order_id=incomplete["order_id"])
    assert "payment_token" in missing.headers["dlq-reason"]
    extra = await bus.next_on("order.created.dlq", order_id=renamed["order_id"])
    assert "amount_cents" in extra.headers["dlq-reason"]
    assert "total_cents" in extra.headers["dlq-reason"]
    assert payments.consumed("order.created", "dead_lettered") == 3


async def test_an_invalid_paid_order_is_dead_lettered_by_inventory(
    bus: Bus, inventory: RunningService
) -> None:
    broken = payment_processed(user_id=new_id(), lines=[(new_id(), 0)])
    await bus.publish("payment.processed", broken, producer="payments")
    fine = payment_processed(user_id=new_id(), lines=[(new_id(), 1)])
    await bus.publish("payment.processed", fine, producer="payments")
    dead = await bus.next_on("payment.processed.dlq", order_id=broken["order_id"])
    assert "items.0.quantity" in dead.headers["dlq-reason"]
    assert dead.headers["dlq-consumer"] == "inventory"
    await bus.next_on("inventory.rejected", order_id=fine["order_id"])


async def test_order_outcomes_become_one_notification_each(
    bus: Bus, notifications: RunningService
) -> None:
    user, stranger = new_id(), new_id()
    completed: dict[str, Any] = {
        "order_id": new_id(),
        "user_id": user,
        "total_cents": 7499,
        "currency": "EUR",
    }
    cancelled: dict[str, Any] = {
        "order_id": new_id(),
        "user_id": user,
        "total_cents": 1250,
        "currency": "EUR",
        "reason": "out_of_stock",
    }
    event_id = await bus.publish("order.completed", completed)

    async def page(**params: int) -> dict[str, Any]:
        response = await notifications.http.get(
            "/notifications", params=params, headers=token(user)
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def listed(count: int) -> dict[str, Any] | None:
        body = await page()
        return body if body["total"] >= count else None

    first = await eventually(lambda: listed(1), what="the completed order's notification")
    [note] = first["items"]
    assert note["kind"] == "order_completed"
    assert note["order_id"] == completed["order_id"]
    assert note["message"] == f"Your order {completed['order_id'][:8]} (74.99 EUR) is complete."

    await bus.publish("order.completed", completed, event_id=event_id)  # the same event again
    await bus.publish("order.completed", completed)  # the same outcome, a new event id
    await bus.publish("order.cancelled", cancelled)
    await notifications.wait_consumed("order.completed", "duplicate", 1)
    await notifications.wait_consumed("order.completed", "processed", 2)
    both = await eventually(lambda: listed(2), what="the cancelled order's notification")
    assert both["total"] == 2
    assert [n["kind"] for n in both["items"]] == ["order_cancelled", "order_completed"]
    assert both["items"][0]["message"].endswith("was cancelled: an item is out of stock.")
    second = await page(limit=1, offset=1)
    assert [n["kind"] for n in second["items"]] == ["order_completed"]
    assert (second["total"], second["limit"], second["offset"]) == (2, 1, 1)

    theirs = await notifications.http.get("/notifications", headers=token(stranger))
    assert theirs.json()["items"] == []
    assert (await notifications.http.get("/notifications")).status_code == 401


async def test_notifications_dead_letter_what_they_cannot_explain(
    bus: Bus, notifications: RunningService
) -> None:
    user = new_id()
    odd: dict[str, Any] = {
        "order_id": new_id(),
        "user_id": user,
        "total_cents": 1,
        "currency": "EUR",
        "reason": "changed_mind",
    }
    await bus.publish("order.cancelled", odd)
    dead = await bus.next_on("order.cancelled.dlq", order_id=odd["order_id"])
    assert "reason" in dead.headers["dlq-reason"]
    assert dead.headers["dlq-consumer"] == "notifications"
    await bus.publish("order.cancelled", {**odd, "reason": "payment_declined"})

    async def one() -> bool:
        body = (await notifications.http.get("/notifications", headers=token(user))).json()
        return body["total"] == 1

    await eventually(one, what="the valid cancellation after the poison one")


@pytest.mark.postgres
async def test_the_saga_services_run_on_postgresql(
    bus: Bus,
    kafka_broker: str,
    tmp_path: Path,
    postgres_databases: Callable[[], Awaitable[str]],
) -> None:
    """The same choreography with each service on its own PostgreSQL database."""
    common: dict[str, Any] = {
        "test_mode": True,
        "data_dir": tmp_path,
        "kafka_bootstrap": kafka_broker,
    }
    user, mug = new_id(), new_id()
    async with (
        running_service(
            create_payments, PaymentsSettings(**common, database_url=await postgres_databases())
        ) as payments,
        running_service(
            create_inventory, InventorySettings(**common, database_url=await postgres_databases())
        ) as inventory,
        running_service(
            create_notifications,
            NotificationsSettings(**common, database_url=await postgres_databases()),
        ) as notifications,
    ):
        restocked = await inventory.http.post(
            f"/inventory/{mug}/restock", json={"quantity": 1}, headers=ADMIN
        )
        assert restocked.json()["available"] == 1
        first = order_created(user_id=user, lines=[(mug, 1, 1250)])
        second = order_created(user_id=user, lines=[(mug, 1, 1250)])
        await bus.publish("order.created", first)
        await bus.next_on("inventory.reserved", order_id=first["order_id"])
        await bus.publish("order.created", second)
        rejected = await bus.next_on("inventory.rejected", order_id=second["order_id"])
        assert rejected.payload["reason"] == "out_of_stock"
        await bus.next_on("payment.refunded", order_id=second["order_id"])
        await bus.publish("inventory.rejected", rejected.payload, producer="inventory")
        await payments.wait_consumed("inventory.rejected", "processed", 2)
        await payments.wait_outbox_empty()
        assert len(bus.on("payment.refunded", order_id=second["order_id"])) == 1
        stock = await inventory.http.get(f"/inventory/{mug}", headers=token(user))
        assert stock.json() == {"product_id": mug, "available": 0, "reserved": 1}

        done: dict[str, Any] = {"order_id": first["order_id"], "user_id": user, "total_cents": 1250}
        for _ in range(2):
            await bus.publish("order.completed", {**done, "currency": "EUR"})
        await notifications.wait_consumed("order.completed", "processed", 2)

        async def listed() -> dict[str, Any]:
            response = await notifications.http.get("/notifications", headers=token(user))
            body: dict[str, Any] = response.json()
            return body

        page = await eventually(listed, what="the notification")
        assert page["total"] == 1
        assert page["items"][0]["created_at"].endswith(("Z", "+00:00"))
