"""The suite's Kafka edge: read topics without a consumer group, send marked records.

aiokafka errors are translated here into ``BusError`` (a ``HarnessError``) naming the
broker, so a suite failure says "the broker at X did not answer", not a bare trace.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Iterable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import KafkaError
from aiokafka.structs import ConsumerRecord

from harness.errors import HarnessError
from harness.suites.events.records import INJECTED_BY, INJECTED_HEADER, BusRecord
from harness.suites.events.samples import Draft, Sent

# Large enough for the oversized poison records (the producer's default is 1 MiB).
MAX_REQUEST_BYTES = 4 * 1024 * 1024
# Kafka's default message.max.bytes: a broker may refuse records past it, and then the
# consumers never see them (a note in the report, not a failure).
BROKER_DEFAULT_MAX_BYTES = 1024 * 1024
POLL_MS = 200
CLIENT_TIMEOUT_MS = 10_000


class BusError(HarnessError):
    """The broker could not be reached or refused what the suite asked."""


@contextlib.asynccontextmanager
async def _translated(bootstrap: str, doing: str) -> AsyncIterator[None]:
    try:
        yield
    except KafkaError as exc:
        raise BusError(f"Kafka at {bootstrap}: {doing} failed: {exc!r}") from exc


def _record(raw: ConsumerRecord[bytes, bytes]) -> BusRecord:
    return BusRecord(
        topic=raw.topic,
        partition=raw.partition,
        offset=raw.offset,
        key=raw.key,
        value=raw.value,
        headers=tuple((name, bytes(value or b"")) for name, value in raw.headers),
        timestamp_ms=raw.timestamp,
    )


class BusReader:
    """A group-less consumer: assigned partitions, read from the start or the end."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self.consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap,
            enable_auto_commit=False,
            request_timeout_ms=CLIENT_TIMEOUT_MS,
            fetch_max_bytes=MAX_REQUEST_BYTES * 4,
        )
        self.assigned: set[TopicPartition] = set()

    async def __aenter__(self) -> BusReader:
        async with _translated(self.bootstrap, "connecting"):
            await self.consumer.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.consumer.stop()

    async def topics(self) -> set[str]:
        """Every topic the broker has, the broker's own (``__*``) left out."""
        async with _translated(self.bootstrap, "listing topics"):
            return {t for t in await self.consumer.topics() if not t.startswith("__")}

    async def follow(self, topics: Iterable[str], *, from_end: bool = False) -> None:
        """Add the partitions of ``topics`` that exist now, from their start (or end)."""
        known = await self.topics()
        added = [
            TopicPartition(topic, partition)
            for topic in sorted(set(topics) & known)
            for partition in sorted(self.consumer.partitions_for_topic(topic) or ())
            if TopicPartition(topic, partition) not in self.assigned
        ]
        if not added:
            return
        self.assigned.update(added)
        self.consumer.assign(sorted(self.assigned))
        async with _translated(self.bootstrap, "seeking"):
            if from_end:
                await self.consumer.seek_to_end(*added)
            else:
                await self.consumer.seek_to_beginning(*added)
            for tp in added:  # resolve the position now, not at the first fetch
                await self.consumer.position(tp)

    async def poll(self, timeout_ms: int = POLL_MS) -> list[BusRecord]:
        async with _translated(self.bootstrap, "reading"):
            batch = await self.consumer.getmany(timeout_ms=timeout_ms)
        return [_record(raw) for chunk in batch.values() for raw in chunk]

    async def read_to_end(self, *, timeout_s: float = 60.0) -> list[BusRecord]:
        """Every record up to the end offsets as they are now."""
        async with _translated(self.bootstrap, "reading end offsets"):
            ends = await self.consumer.end_offsets(sorted(self.assigned))
        records: list[BusRecord] = []
        deadline = time.monotonic() + timeout_s
        while await self._behind(ends):
            if time.monotonic() > deadline:
                raise BusError(f"Kafka at {self.bootstrap}: reading took over {timeout_s} s")
            records += await self.poll()
        return records

    async def _behind(self, ends: dict[TopicPartition, int]) -> bool:
        for tp, end in ends.items():
            if await self.consumer.position(tp) < end:
                return True
        return False


async def read_everything(bootstrap: str, topics: Iterable[str] | None = None) -> list[BusRecord]:
    """Every record on ``topics`` (all topics when None), from the beginning."""
    async with BusReader(bootstrap) as reader:
        await reader.follow(await reader.topics() if topics is None else topics)
        return await reader.read_to_end()


class Injector:
    """Sends drafts one by one (so their order on a partition is the order given),
    each marked with the ``test-injected`` header."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self.producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap,
            acks="all",
            max_request_size=MAX_REQUEST_BYTES,
            request_timeout_ms=CLIENT_TIMEOUT_MS,
        )

    async def __aenter__(self) -> Injector:
        async with _translated(self.bootstrap, "connecting the producer"):
            await self.producer.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.producer.stop()

    async def send(self, draft: Draft, *, partition: int | None = None) -> Sent:
        headers = [*draft.headers, (INJECTED_HEADER, INJECTED_BY)]
        try:
            meta = await self.producer.send_and_wait(
                draft.topic, draft.value, key=draft.key, headers=headers, partition=partition
            )
        except KafkaError as exc:
            if len(draft.value or b"") > BROKER_DEFAULT_MAX_BYTES:
                return Sent(draft, refused=f"the broker refused {draft.label}: {exc!r}")
            failed = f"Kafka at {self.bootstrap}: sending {draft.label} failed: {exc!r}"
            raise BusError(failed) from exc
        return Sent(draft, meta.partition, meta.offset)
