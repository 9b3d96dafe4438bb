"""The real Tansu broker under the stack: Kafka clients work, a restart is a real one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from harness.stack.embedded import EmbeddedStack
from harness.stack.probes import KafkaProbe
from harness.stack.status import stack_status
from tests.helpers import wait_until

pytestmark = pytest.mark.integration

MakeStack = Callable[..., EmbeddedStack]
TOPIC = "stack.smoke"


async def round_trip(bootstrap: str, value: bytes) -> bytes:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(TOPIC, value)
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        TOPIC, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    try:
        record = await consumer.getone()
    finally:
        await consumer.stop()
    return record.value


async def topics(bootstrap: str) -> set[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()


def readiness(stack: EmbeddedStack) -> dict[str, bool]:
    return {p.name: p.ready for p in stack_status(stack.state_dir).processes}


async def test_kafka_clients_talk_to_the_embedded_broker(make_stack: MakeStack) -> None:
    stack = make_stack(services=("orders",))
    stack.start()
    assert await round_trip(stack.kafka_bootstrap, b"hello") == b"hello"


async def test_broker_restart_on_the_same_port_loses_memory_state(
    make_stack: MakeStack,
) -> None:
    stack = make_stack(services=("orders",))
    stack.start()
    await round_trip(stack.kafka_bootstrap, b"before")
    assert TOPIC in await topics(stack.kafka_bootstrap)
    old_pid = stack.pid("kafka")

    stack.stop_broker()
    host, port = stack.kafka_bootstrap.split(":")
    assert not KafkaProbe(host, int(port)).check().ready
    wait_until(
        lambda: readiness(stack) == {"kafka": False, "orders": False},
        timeout=10,
        what="orders not ready while the broker is down",
    )

    stack.start_broker()
    assert stack.pid("kafka") != old_pid
    assert TOPIC not in await topics(stack.kafka_bootstrap)
    wait_until(lambda: all(readiness(stack).values()), timeout=10, what="all ready again")
    assert stack.log_path("kafka").read_text().count("--- harness: starting kafka") == 2
