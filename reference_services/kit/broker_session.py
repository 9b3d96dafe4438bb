"""One session with the broker: producer, outbox relay and consumer, ended as a whole.

The embedded broker (Tansu) keeps its state in memory, so a restart loses topics, groups
and committed offsets, and clients that lived through it misbehave: an old producer's
writes fail with UnknownError, an old consumer's commits fail forever. So the runtime
ends the session when the broker is lost and opens a new one once it answers again:
topics created first (3 partitions, not the broker's auto-create default), then fresh
clients. Against a real Kafka cluster this costs one consumer-group rejoin.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from reference_services.kit.consumer import ConsumerLoop
from reference_services.kit.kafka import broker_ping, ensure_topics, new_producer
from reference_services.kit.outbox import OutboxRelay

if TYPE_CHECKING:
    from reference_services.kit.runtime import Runtime

log = logging.getLogger(__name__)

WATCH_INTERVAL_S = 0.5
PINGS_LOST = 2  # consecutive failed pings that end the session
RELAY_FAILURES_LOST = 3  # consecutive failed relay rounds that end the session
CLOSE_TIMEOUT_S = 5.0


class BrokerSession:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.producer: AIOKafkaProducer | None = None
        self.relay: OutboxRelay | None = None
        self._consumer_task: asyncio.Task[None] | None = None

    async def open(self) -> None:
        """Create the topics, start the producer, relay and consumer; raise if unreachable."""
        settings, definition = self.runtime.settings, self.runtime.definition
        bootstrap, name = settings.kafka_bootstrap, settings.service_name
        await ensure_topics(bootstrap, self.runtime.topics(), client_id=name)
        producer = new_producer(bootstrap, client_id=name)
        self.producer = producer
        await producer.start()
        runtime = self.runtime
        if definition.produces and runtime.db is not None:
            self.relay = OutboxRelay(runtime.db, runtime.outbox, producer, runtime.metrics)
            self.relay.start()
        if definition.consumes:
            loop = ConsumerLoop(runtime, definition.consumes, producer=producer)
            self._consumer_task = asyncio.create_task(loop.run(), name="consumer")

    async def wait_lost(self) -> str:
        """Return why this session can no longer be trusted (never returns while healthy)."""
        bootstrap = self.runtime.settings.kafka_bootstrap
        failed_pings = 0
        while True:
            await asyncio.sleep(WATCH_INTERVAL_S)
            task = self._consumer_task
            if task is not None and task.done():
                error = task.exception() if not task.cancelled() else None
                return f"consumer stopped: {error!r}"
            if self.relay is not None and self.relay.failures >= RELAY_FAILURES_LOST:
                return f"outbox relay failed {self.relay.failures} times in a row"
            try:
                await broker_ping(bootstrap)
                failed_pings = 0
            except (OSError, EOFError) as exc:  # EOFError: a reply cut short (IncompleteRead)
                failed_pings += 1
                if failed_pings >= PINGS_LOST:
                    return f"broker unreachable: {exc!r}"

    async def close(self) -> None:
        if self._consumer_task is not None:
            self._consumer_task.cancel()
            await asyncio.gather(self._consumer_task, return_exceptions=True)
        if self.relay is not None:
            await self.relay.stop()
        if self.producer is not None:
            with contextlib.suppress(TimeoutError, KafkaError):
                await asyncio.wait_for(self.producer.stop(), CLOSE_TIMEOUT_S)
