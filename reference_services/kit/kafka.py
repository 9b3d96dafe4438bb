"""Kafka plumbing: client settings suited to the broker, topic creation, a protocol ping."""

from __future__ import annotations

import asyncio
import contextlib
import struct
from collections.abc import Iterable

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

TOPIC_PARTITIONS = 3
# Tansu (0.6) completes a group join only after about half the session timeout (measured
# with aiokafka: 6 s -> 3.0 s, 4 s and 3 s -> 2.0 s, 2 s -> 1.1 s) and forgets a departed
# member only when its session times out: a 2 s session keeps joins near 1 s, and
# heartbeats every 0.5 s leave a member three chances before it is dropped.
CONSUMER_TIMEOUTS = {
    "session_timeout_ms": 2000,
    "heartbeat_interval_ms": 500,
    "rebalance_timeout_ms": 1000,
}
REQUEST_TIMEOUT_MS = 5000


def dlq_topic(topic: str) -> str:
    return f"{topic}.dlq"


def new_producer(bootstrap: str, *, client_id: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        acks="all",
        request_timeout_ms=REQUEST_TIMEOUT_MS,
        retry_backoff_ms=200,
        max_request_size=16 * 1024 * 1024,  # dead letters: whatever a consumer got (1 MiB default)
    )


async def ensure_topics(bootstrap: str, topics: Iterable[str], *, client_id: str) -> None:
    """Create the topics a service uses (idempotent; the broker may have lost them)."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        request_timeout_ms=REQUEST_TIMEOUT_MS,
    )
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = sorted(set(topics) - existing)
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics([NewTopic(t, TOPIC_PARTITIONS, 1) for t in missing])
    finally:
        await admin.close()


async def broker_ping(bootstrap: str, *, timeout: float = 1.5) -> None:
    """Send a Kafka ApiVersions request to the first bootstrap address and read the reply.

    A real protocol exchange, so a link that accepts connections but drops data
    (a black hole) counts as down, not just a refused connection.
    """
    host, _, port = bootstrap.split(",")[0].strip().rpartition(":")
    client_id = b"readiness"
    body = struct.pack(">hhih", 18, 0, 7, len(client_id)) + client_id
    async with asyncio.timeout(timeout):
        reader, writer = await asyncio.open_connection(host or "127.0.0.1", int(port))
        try:
            writer.write(struct.pack(">i", len(body)) + body)
            await writer.drain()
            size = struct.unpack(">i", await reader.readexactly(4))[0]
            reply = await reader.readexactly(size)
        finally:
            writer.close()
    correlation, error_code = struct.unpack(">ih", reply[:6])
    if correlation != 7 or error_code != 0:
        raise ConnectionError(f"broker answered ApiVersions with error code {error_code}")
