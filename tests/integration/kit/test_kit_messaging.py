"""Outbox -> Kafka -> idempotent consumer -> dead letters, on a real broker and database."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import Column, MetaData, String, Table, func, select

from reference_services.kit.events import IncomingEvent, PoisonMessage
from reference_services.kit.runtime import Runtime, ServiceDefinition, UnitOfWork
from reference_services.kit.settings import ServiceSettings
from tests.helpers import wait_until_async

pytestmark = pytest.mark.integration
TOPIC = "demo.noted"


def definition(database_url: str, bootstrap: str, tmp_path: Path) -> ServiceDefinition:
    metadata = MetaData()
    seen = Table("seen", metadata, Column("note", String(100), primary_key=True))

    async def on_noted(uow: UnitOfWork, event: IncomingEvent) -> None:
        if "note" not in event.payload:
            raise PoisonMessage("payload has no 'note'")
        await uow.conn.execute(seen.insert().values(note=event.payload["note"]))

    settings = ServiceSettings(
        service_name="demo",
        test_mode=True,
        data_dir=tmp_path,
        database_url=database_url,
        kafka_bootstrap=bootstrap,
    )
    return ServiceDefinition(
        settings=settings, metadata=metadata, produces=(TOPIC,), consumes={TOPIC: on_noted}
    )


@pytest.fixture(params=["sqlite", "postgres"])
async def runtime(
    request: pytest.FixtureRequest, kafka_broker: str, tmp_path: Path
) -> AsyncIterator[Runtime]:
    url = "" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    rt = Runtime(definition(url, kafka_broker, tmp_path))
    await rt.start()
    yield rt
    await rt.stop()


async def count_seen(rt: Runtime) -> int:
    table = rt.definition.metadata.tables["seen"]  # type: ignore[union-attr]
    async with rt.db_reading() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


async def read_topic(bootstrap: str, topic: str, count: int) -> list[Any]:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    records: list[Any] = []
    try:

        async def enough() -> bool:
            batch = await consumer.getmany(timeout_ms=200)
            records.extend(r for rs in batch.values() for r in rs)
            return len(records) >= count

        await wait_until_async(enough, timeout=20, what=f"{count} record(s) on {topic}")
    finally:
        await consumer.stop()
    return records


async def test_published_event_reaches_kafka_with_headers_and_is_consumed_once(
    runtime: Runtime,
    kafka_broker: str,
) -> None:
    async with runtime.unit_of_work() as uow:
        await uow.publish(TOPIC, key="order-1", payload={"note": "hello"})
    await wait_until_async(lambda: _at_least(runtime, 1), timeout=20, what="event consumed")
    [record] = await read_topic(kafka_broker, TOPIC, 1)
    headers = {k: v.decode() for k, v in record.headers}
    assert record.key == b"order-1" and json.loads(record.value) == {"note": "hello"}
    assert headers["event-type"] == TOPIC and headers["producer"] == "demo"
    assert await runtime.outbox_backlog() == 0

    producer = AIOKafkaProducer(bootstrap_servers=kafka_broker)
    await producer.start()
    await producer.send_and_wait(TOPIC, record.value, key=record.key, headers=list(record.headers))
    await producer.send_and_wait(
        TOPIC,
        b"\x00garbage",
        key=b"order-2",
        headers=[("event-id", b"e-2"), ("event-type", TOPIC.encode())],
    )
    await producer.send_and_wait(
        TOPIC,
        b'{"note": "after"}',
        key=b"order-3",
        headers=[("event-id", b"e-3"), ("event-type", TOPIC.encode())],
    )
    await producer.stop()
    await wait_until_async(
        lambda: _at_least(runtime, 2), timeout=20, what="valid event after poison"
    )
    assert await count_seen(runtime) == 2, "the redelivered event had no second effect"
    [dead] = await read_topic(kafka_broker, f"{TOPIC}.dlq", 1)
    dlq = {k: v.decode() for k, v in dead.headers}
    assert dead.value == b"\x00garbage"
    assert "not JSON" in dlq["dlq-reason"] and dlq["dlq-consumer"] == "demo"
    assert dlq["dlq-original-topic"] == TOPIC


async def test_rollback_writes_neither_state_nor_event(runtime: Runtime) -> None:
    with pytest.raises(RuntimeError):
        async with runtime.unit_of_work() as uow:
            await uow.publish(TOPIC, key="order-9", payload={"note": "never"})
            raise RuntimeError("the use case failed")
    assert runtime.db is not None
    async with runtime.db_reading() as conn:
        rows = (await conn.execute(select(func.count()).select_from(runtime.outbox))).scalar_one()
    assert rows == 0


async def _at_least(rt: Runtime, n: int) -> bool:
    return await count_seen(rt) >= n


async def test_a_dead_letter_the_broker_refuses_goes_without_its_value(
    runtime: Runtime, kafka_broker: str
) -> None:
    """A poison record larger than the service's producer may send (16 MiB) is
    dead-lettered as a stand-in that says where the original lies, and the consumer goes
    on (it used to retry the refused send forever)."""
    huge = b"\x00" + b"x" * (17 * 1024 * 1024)
    producer = AIOKafkaProducer(bootstrap_servers=kafka_broker, max_request_size=32 * 1024**2)
    await producer.start()
    try:
        headers = [("event-id", b"e-huge"), ("event-type", TOPIC.encode())]
        await producer.send_and_wait(TOPIC, huge, key=b"order-9", headers=headers)
    finally:
        await producer.stop()
    async with runtime.unit_of_work() as uow:
        await uow.publish(TOPIC, key="order-10", payload={"note": "after the huge one"})
    await wait_until_async(lambda: _at_least(runtime, 1), timeout=30, what="consumer went on")
    [dead] = await read_topic(kafka_broker, f"{TOPIC}.dlq", 1)
    dlq = {k: v.decode() for k, v in dead.headers}
    assert dead.value is None and dead.key == b"order-9"
    assert dlq["dlq-original-size"] == str(len(huge))
    assert "MessageSizeTooLarge" in dlq["dlq-value-dropped"]
    assert dlq["dlq-original-topic"] == TOPIC and "not JSON" in dlq["dlq-reason"]


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_records_fetched_together_are_each_handled_once(
    database: str,
    kafka_broker: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Records waiting on one partition arrive in one fetch and are first tried in one
    transaction. A poison record among them rolls that back; each record is then handled
    on its own: every valid one takes effect once, a repeat of an event id has no second
    effect, and the poison one is dead-lettered."""

    def record(event_id: str, payload: dict[str, str]) -> tuple[bytes, list[tuple[str, bytes]]]:
        return json.dumps(payload).encode(), [
            ("event-id", event_id.encode()),
            ("event-type", TOPIC.encode()),
        ]

    waiting = [
        record("e-a", {"note": "a"}),
        record("e-b", {"note": "b"}),
        record("e-a", {"note": "a"}),  # redelivered: same event id
        record("e-poison", {"nothing": "to note"}),
        record("e-c", {"note": "c"}),
    ]
    producer = AIOKafkaProducer(bootstrap_servers=kafka_broker)
    await producer.start()
    try:
        for value, headers in waiting:
            await producer.send_and_wait(TOPIC, value, key=b"k", partition=0, headers=headers)
    finally:
        await producer.stop()
    url = "" if database == "sqlite" else request.getfixturevalue("postgres_url")
    rt = Runtime(definition(url, kafka_broker, tmp_path))
    caplog.set_level("INFO", logger="reference_services.kit.consumer")
    await rt.start()
    try:
        [dead] = await read_topic(kafka_broker, f"{TOPIC}.dlq", 1)
        await wait_until_async(lambda: _at_least(rt, 3), timeout=20, what="a, b and c noted")
        assert await count_seen(rt) == 3
        assert dict(dead.headers)["event-id"] == b"e-poison"
        assert "batch handled one by one" in caplog.text, "the records came in one fetch"
    finally:
        await rt.stop()


async def test_a_clean_batch_commits_in_one_transaction(
    kafka_broker: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka_broker)
    await producer.start()
    try:
        for n in range(20):
            headers = [("event-id", f"e-{n % 10}".encode()), ("event-type", TOPIC.encode())]
            value = json.dumps({"note": f"n{n % 10}"}).encode()
            await producer.send_and_wait(TOPIC, value, key=b"k", partition=0, headers=headers)
    finally:
        await producer.stop()
    rt = Runtime(definition("", kafka_broker, tmp_path))
    caplog.set_level("INFO", logger="reference_services.kit.consumer")
    await rt.start()
    try:
        await wait_until_async(lambda: _at_least(rt, 10), timeout=20, what="ten notes")
        consumed = rt.metrics.events_consumed

        async def all_handled() -> bool:
            outcomes = ("processed", "duplicate")
            return sum(consumed.labels(TOPIC, o)._value.get() for o in outcomes) == 20

        await wait_until_async(all_handled, timeout=10, what="20 records handled")
        assert consumed.labels(TOPIC, "duplicate")._value.get() == 10
        assert await count_seen(rt) == 10
        assert "one by one" not in caplog.text
    finally:
        await rt.stop()
