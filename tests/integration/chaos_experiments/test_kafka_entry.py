"""payments' own Kafka link: Tansu's proxy behind the ``payments-kafka`` link forwards
the real Kafka protocol (produce, fetch, consumer groups, commits) and advertises the
link, so every connection crosses it; a black hole on the link stalls the client, and
the client carries on once the black hole is gone."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import KafkaError

from harness.stack.embedded import resolve_broker_bin
from harness.stack.kafka_entry import entry_spec
from harness.stack.links import link_address, populate_links
from harness.stack.ports import pick_free_port_base
from harness.stack.specs import broker_spec, proxy_spec
from harness.stack.supervisor import Supervisor
from harness.stack.topology import Link, Topology
from reference_services.kit.kafka import CONSUMER_TIMEOUTS, broker_ping
from tests.helpers import run_in_thread

pytestmark = pytest.mark.integration


class Parts:
    def __init__(self, topology: Topology, proxy: str, link: Link) -> None:
        self.topology, self.proxy, self.link = topology, proxy, link
        self.bootstrap = str(link_address(topology, link, routed=True))

    def toxic(self, stream: str) -> None:
        body = {
            "name": f"hole-{stream}",
            "type": "timeout",
            "stream": stream,
            "attributes": {"timeout": 0},
        }
        url = f"{self.proxy}/proxies/{self.link.name}/toxics"
        httpx.post(url, json=body, timeout=5).raise_for_status()

    def heal(self) -> None:
        for stream in ("upstream", "downstream"):
            url = f"{self.proxy}/proxies/{self.link.name}/toxics/hole-{stream}"
            httpx.delete(url, timeout=5).raise_for_status()


@pytest.fixture
def parts(tmp_path: Path) -> Iterator[Parts]:
    topology = Topology(port_base=pick_free_port_base())
    (link,) = topology.kafka_entry_links()
    supervisor = Supervisor(tmp_path / "logs")
    broker_bin = resolve_broker_bin()
    specs = [
        proxy_spec(topology),
        broker_spec(topology, broker_bin, routed=True),
        entry_spec(topology, link, broker_bin),
    ]
    try:
        for spec in specs:
            supervisor.start(spec)
            supervisor.wait_ready([spec.name], timeout=30)
        populate_links(specs[0].url, topology, [link])
        yield Parts(topology, specs[0].url, link)
    finally:
        supervisor.stop([s.name for s in reversed(specs)], timeout=5)


async def round_trip(bootstrap: str, topic: str, group: str, count: int) -> list[bytes]:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        **CONSUMER_TIMEOUTS,
    )
    await producer.start()
    await consumer.start()
    try:
        advertised = {f"{b.host}:{b.port}" for b in producer.client.cluster.brokers()}
        assert advertised == {bootstrap}  # the link, not the broker or the entry proxy
        for index in range(count):
            await producer.send_and_wait(topic, f"m{index}".encode())
        got: list[bytes] = []
        async with asyncio.timeout(30):
            while len(got) < count:
                batch = await consumer.getmany(timeout_ms=500)
                got += [r.value for records in batch.values() for r in records if r.value]
                await consumer.commit()
        committed = [await consumer.committed(tp) for tp in consumer.assignment()]
        assert sum(c or 0 for c in committed) == count
        return got
    finally:
        await consumer.stop()
        await producer.stop()


def test_the_entry_proxy_carries_produce_fetch_and_consumer_groups(parts: Parts) -> None:
    got = run_in_thread(lambda: round_trip(parts.bootstrap, "entry.check", "checkers", 20))
    assert sorted(got) == sorted(f"m{i}".encode() for i in range(20))


async def stalls_then_recovers(parts: Parts) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=parts.bootstrap, acks="all", request_timeout_ms=2000
    )
    await producer.start()
    try:
        await producer.send_and_wait("entry.hole", b"before")
        parts.toxic("downstream")
        parts.toxic("upstream")
        with pytest.raises((TimeoutError, OSError)):
            await broker_ping(parts.bootstrap)
        with pytest.raises(KafkaError):
            await producer.send_and_wait("entry.hole", b"lost in the hole")
        parts.heal()
        await broker_ping(parts.bootstrap)
        async with asyncio.timeout(30):
            while True:  # the producer reconnects by itself; retry until it has
                try:
                    await producer.send_and_wait("entry.hole", b"after")
                    return
                except KafkaError:
                    continue
    finally:
        await producer.stop()


def test_a_black_hole_on_the_link_stalls_the_client_until_it_is_removed(parts: Parts) -> None:
    run_in_thread(lambda: stalls_then_recovers(parts))
