"""What the end-to-end tests do to the running system: HTTP through the gateway, records
straight on the bus, and the services' own metrics."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.structs import ConsumerRecord
from prometheus_client.parser import text_string_to_metric_families

from harness.demo import Demo
from harness.stack.embedded import EmbeddedStack

INJECTED = ("test-injected", b"e2e")  # marks records a test put on the bus itself


@dataclass
class Shop:
    stack: EmbeddedStack
    demo: Demo

    @classmethod
    def open(cls, stack: EmbeddedStack) -> Shop:
        secrets_ = stack.secrets
        demo = Demo(stack.url("gateway"), secrets_.admin_email, secrets_.admin_password, print)
        return cls(stack, demo)

    def admin(self) -> str:
        return self.demo.login(self.demo.admin_email, self.demo.admin_password)

    def customer(self) -> str:
        email, password = f"c-{secrets.token_hex(4)}@example.com", secrets.token_urlsafe(12)
        body = {"email": email, "password": password, "name": "Customer"}
        self.demo.call("POST", "/api/users/register", expect=201, json=body)
        return self.demo.login(email, password)

    def product(self, *, stock: int, price_cents: int = 1000) -> str:
        admin = self.admin()
        sku = f"E2E-{secrets.token_hex(4).upper()}"
        body = {"sku": sku, "name": "Test item", "price_cents": price_cents}
        product = self.demo.call("POST", "/api/products", expect=201, token=admin, json=body)
        self.demo.call(
            "POST",
            f"/api/inventory/{product['id']}/restock",
            expect=200,
            token=admin,
            json={"quantity": stock},
        )
        return str(product["id"])

    def order_request(
        self, token: str, product_id: str, quantity: int = 1, card: str = "tok_visa", **kw: Any
    ) -> httpx.Response:
        headers = {"authorization": f"Bearer {token}", **kw.pop("headers", {})}
        body = {"items": [{"product_id": product_id, "quantity": quantity}], "payment_token": card}
        return self.demo.http.post("/api/orders", headers=headers, json=body)

    def place(self, token: str, product_id: str, quantity: int = 1, card: str = "tok_visa") -> str:
        response = self.order_request(token, product_id, quantity, card)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def outcome(self, token: str, order_id: str) -> dict[str, Any]:
        return self.demo.wait_for_outcome(token, order_id)

    def get(self, path: str, token: str, **params: Any) -> Any:
        return self.demo.call("GET", path, expect=200, token=token, params=params)

    def stock(self, product_id: str) -> dict[str, Any]:
        stock: dict[str, Any] = self.get(f"/api/inventory/{product_id}", self.admin())
        return stock

    def metric(self, service: str, name: str, **labels: str) -> float:
        text = httpx.get(f"{self.stack.url(service)}/metrics", timeout=5).text
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name == name and all(
                    sample.labels.get(k) == v for k, v in labels.items()
                ):
                    return float(sample.value)
        return 0.0

    def ready(self, service: str) -> httpx.Response:
        return httpx.get(f"{self.stack.url(service)}/health/ready", timeout=5)


def wait_for(condition: Any, *, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.1)
    return result


async def read_topics(bootstrap: str, topics: list[str]) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record now on ``topics``, read from the start (no consumer group)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        known = await consumer.topics()  # also refreshes the partition metadata
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            if topic in known
            for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        records: list[ConsumerRecord[bytes, bytes]] = []
        while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
            batch = await consumer.getmany(timeout_ms=500)
            for chunk in batch.values():
                records.extend(chunk)
        return records
    finally:
        await consumer.stop()


async def inject(
    bootstrap: str, topic: str, value: bytes, *, key: bytes, headers: list[tuple[str, bytes]]
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, value, key=key, headers=[*headers, INJECTED])
    finally:
        await producer.stop()
