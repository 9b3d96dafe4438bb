"""Saga services in-process on SQLite against a real Tansu broker, and a bus to watch.

Each service app runs in the test's event loop: its lifespan is entered (database,
producer, outbox relay, consumer loop) and its API is called through httpx's ASGI
transport. ``Bus`` publishes records built to docs/runtime-contract.md and records
everything that appears on the saga's topics and their dead-letter topics.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from fastapi import FastAPI

from harness.contracts import ContractIndex, load_asyncapi, validate_record
from reference_services.inventory.config import InventorySettings
from reference_services.inventory.main import create_app as create_inventory
from reference_services.kit.auth import issue_token
from reference_services.kit.kafka import TOPIC_PARTITIONS, dlq_topic, ensure_topics
from reference_services.kit.runtime import Runtime
from reference_services.kit.settings import DEV_JWT_SECRET
from reference_services.notifications.config import NotificationsSettings
from reference_services.notifications.main import create_app as create_notifications
from reference_services.payments.config import PaymentsSettings
from reference_services.payments.main import create_app as create_payments

T = TypeVar("T")
POSTGRES_ADMIN_URL = os.environ.get(
    "HARNESS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
EVENT_TYPES = (
    "order.created",
    "payment.processed",
    "payment.failed",
    "payment.refunded",
    "inventory.reserved",
    "inventory.rejected",
    "order.completed",
    "order.cancelled",
)
TOPICS = (*EVENT_TYPES, *(dlq_topic(t) for t in EVENT_TYPES))
EVENTS_CONTRACT = Path(__file__).resolve().parents[3] / "contracts" / "asyncapi" / "events.yaml"
SERVICES_UNDER_TEST = ("payments", "inventory", "notifications")


async def eventually(
    check: Callable[[], Awaitable[T | None]],
    *,
    what: str,
    timeout: float = 20.0,
    interval: float = 0.05,
) -> T:
    """Await ``check`` until it returns something truthy (an AssertionError counts as
    not yet); fail with ``what`` and the last assertion once ``timeout`` has passed."""
    deadline = time.monotonic() + timeout
    last: AssertionError | None = None
    while True:
        try:
            result = await check()
            if result:
                return result
        except AssertionError as exc:
            last = exc
        if time.monotonic() > deadline:
            detail = f": {last}" if last else ""
            raise AssertionError(f"timed out after {timeout}s waiting for {what}{detail}")
        await asyncio.sleep(interval)


def new_id() -> str:
    return str(uuid.uuid4())


def token(user_id: str, *, role: str = "customer") -> dict[str, str]:
    """Authorization headers for a user, signed with the test-mode secret."""
    return {"authorization": f"Bearer {issue_token(DEV_JWT_SECRET, user_id=user_id, role=role)}"}


def contract_headers(
    event_type: str, *, order_id: str, event_id: str, producer: str
) -> list[tuple[str, bytes]]:
    """The headers docs/runtime-contract.md requires on every event."""
    headers = {
        "event-id": event_id,
        "event-type": event_type,
        "correlation-id": order_id,
        "traceparent": f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-01",
        "occurred-at": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "producer": producer,
        "content-type": "application/json",
    }
    return [(name, value.encode()) for name, value in headers.items()]


@dataclass(frozen=True)
class Seen:
    """A record read back from the broker."""

    topic: str
    partition: int
    offset: int
    key: str | None
    headers: dict[str, str]
    value: bytes

    @property
    def payload(self) -> Any:
        return json.loads(self.value)


@dataclass
class Bus:
    bootstrap: str
    producer: AIOKafkaProducer
    seen: dict[str, list[Seen]] = field(default_factory=dict)
    sent: set[str] = field(default_factory=set)  # event ids the test itself published

    async def publish(
        self,
        event_type: str,
        payload: dict[str, Any],
        *,
        event_id: str | None = None,
        producer: str = "orders",
    ) -> str:
        """Publish an event as its producer would; returns its event id."""
        event_id = event_id or new_id()
        order_id = str(payload.get("order_id", ""))
        await self.publish_raw(
            event_type,
            json.dumps(payload).encode(),
            key=order_id,
            headers=contract_headers(
                event_type, order_id=order_id, event_id=event_id, producer=producer
            ),
        )
        return event_id

    async def publish_raw(
        self, topic: str, value: bytes, *, key: str, headers: list[tuple[str, bytes]]
    ) -> None:
        self.sent.update(v.decode() for name, v in headers if name == "event-id")
        await self.producer.send_and_wait(topic, value=value, key=key.encode(), headers=headers)

    def on(self, topic: str, *, order_id: str | None = None) -> list[Seen]:
        """Records seen so far on a topic, optionally only those keyed by one order."""
        records = self.seen.get(topic, [])
        return [r for r in records if order_id is None or r.key == order_id]

    async def next_on(self, topic: str, *, order_id: str) -> Seen:
        """The first record of an order on a topic, waiting for it to appear."""

        async def first() -> Seen | None:
            found = self.on(topic, order_id=order_id)
            return found[0] if found else None

        return await eventually(first, what=f"{topic} for order {order_id}")

    def violations(self, contract: ContractIndex) -> list[str]:
        """Contract violations of every record the services under test wrote: the
        events they published and the records they dead-lettered."""
        problems = []
        for records in self.seen.values():
            for r in records:
                if "dlq-consumer" in r.headers:
                    writer = r.headers["dlq-consumer"]
                elif r.headers.get("event-id") in self.sent:
                    continue  # the test's own input (some of it invalid on purpose)
                else:
                    writer = r.headers.get("producer", "")
                if writer not in SERVICES_UNDER_TEST:
                    continue
                key = r.key.encode() if r.key is not None else None
                headers = [(name, value.encode()) for name, value in r.headers.items()]
                found = validate_record(contract, r.topic, key, r.value, headers)
                problems += [f"{r.topic}@{r.partition}:{r.offset} {v}" for v in found]
        return problems


async def _collect(consumer: AIOKafkaConsumer, bus: Bus) -> None:
    while True:
        batch = await consumer.getmany(timeout_ms=200)
        for records in batch.values():
            for r in records:
                seen = Seen(
                    topic=r.topic,
                    partition=r.partition,
                    offset=r.offset,
                    key=r.key.decode() if r.key is not None else None,
                    headers={name: raw.decode(errors="replace") for name, raw in r.headers},
                    value=r.value or b"",
                )
                bus.seen.setdefault(r.topic, []).append(seen)


@pytest.fixture(scope="session")
def event_contract() -> ContractIndex:
    return load_asyncapi(EVENTS_CONTRACT)


@pytest.fixture
async def bus(kafka_broker: str, event_contract: ContractIndex) -> AsyncIterator[Bus]:
    """Creates every saga topic (and its .dlq), then watches them all from the start.

    When the test passed, every record the services wrote must match the AsyncAPI
    contract (contracts/asyncapi/events.yaml)."""
    await ensure_topics(kafka_broker, TOPICS, client_id="test-bus")
    producer = AIOKafkaProducer(bootstrap_servers=kafka_broker, acks="all")
    consumer = AIOKafkaConsumer(
        bootstrap_servers=kafka_broker, group_id=None, auto_offset_reset="earliest"
    )
    await producer.start()
    await consumer.start()
    consumer.assign([TopicPartition(t, p) for t in TOPICS for p in range(TOPIC_PARTITIONS)])
    bus = Bus(kafka_broker, producer)
    collector = asyncio.create_task(_collect(consumer, bus), name="test-bus-collector")
    try:
        yield bus
        problems = bus.violations(event_contract)
        assert not problems, "records break the events contract:\n" + "\n".join(problems)
    finally:
        collector.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await collector
        await consumer.stop()
        await producer.stop()


@dataclass
class RunningService:
    app: FastAPI
    http: httpx.AsyncClient

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime

    def consumed(self, topic: str, outcome: str) -> int:
        """How many records of a topic the consumer finished with this outcome
        (processed, duplicate, dead_lettered), from the service's own metrics."""
        value = self.runtime.metrics.registry.get_sample_value(
            "events_consumed_total", {"topic": topic, "outcome": outcome}
        )
        return int(value or 0)

    async def wait_consumed(self, topic: str, outcome: str, count: int) -> None:
        async def reached() -> bool:
            return self.consumed(topic, outcome) >= count

        await eventually(reached, what=f"{count} {topic} record(s) {outcome}")

    async def wait_outbox_empty(self) -> None:
        async def drained() -> bool:
            return self.runtime.relay is not None and await self.runtime.outbox_backlog() == 0

        await eventually(drained, what="the outbox to be relayed to Kafka")


@contextlib.asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[RunningService]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as http:
            yield RunningService(app, http)


def _settings(tmp_path: Path, bootstrap: str) -> dict[str, Any]:
    return {"test_mode": True, "data_dir": tmp_path, "kafka_bootstrap": bootstrap}


@pytest.fixture
async def payments(kafka_broker: str, tmp_path: Path, bus: Bus) -> AsyncIterator[RunningService]:
    app = create_payments(PaymentsSettings(**_settings(tmp_path, kafka_broker)))
    async with running(app) as service:
        yield service


@pytest.fixture
async def inventory(kafka_broker: str, tmp_path: Path, bus: Bus) -> AsyncIterator[RunningService]:
    app = create_inventory(InventorySettings(**_settings(tmp_path, kafka_broker)))
    async with running(app) as service:
        yield service


@pytest.fixture
async def notifications(
    kafka_broker: str, tmp_path: Path, bus: Bus
) -> AsyncIterator[RunningService]:
    app = create_notifications(NotificationsSettings(**_settings(tmp_path, kafka_broker)))
    async with running(app) as service:
        yield service


@contextlib.asynccontextmanager
async def running_service(
    create: Callable[[Any], FastAPI], settings: Any
) -> AsyncIterator[RunningService]:
    async with running(create(settings)) as service:
        yield service


@pytest.fixture
async def postgres_databases() -> AsyncIterator[Callable[[], Awaitable[str]]]:
    """Makes throwaway PostgreSQL databases (one per service: each owns its data and
    its outbox); all dropped afterwards. Skips when PostgreSQL is not reachable."""
    import asyncpg

    try:
        admin = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=3)
    except (OSError, asyncpg.PostgresError) as exc:
        if os.environ.get("HARNESS_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {exc}")
    names: list[str] = []

    async def create() -> str:
        name = f"harness_saga_{secrets.token_hex(6)}"
        await admin.execute(f'CREATE DATABASE "{name}"')
        names.append(name)
        return f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}"

    try:
        yield create
    finally:
        for name in names:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
