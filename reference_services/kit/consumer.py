"""The idempotent consumer loop.

For each record: decode -> skip if its event id was processed -> run the handler and
record the event id in ONE transaction. The records a fetch brings for one partition are
first tried together, in one transaction (one commit, one query for the ids already
processed); if any of them fails, that transaction rolls back and each record is handled
on its own, with the retries and dead-lettering below. Offsets are committed once per fetched batch,
after every record in it was handled: a crash in between redelivers the batch's records,
which the processed-event table turns into no-ops. A record that can never be processed
goes to ``<topic>.dlq`` with the reason in its headers; infrastructure failures
(database down) are retried without moving the offset.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiokafka import (
    AIOKafkaConsumer,
    AIOKafkaProducer,
    ConsumerRebalanceListener,
    ConsumerRecord,
    TopicPartition,
)
from aiokafka.errors import KafkaError
from prometheus_client import Gauge
from pydantic import ValidationError
from sqlalchemy import Column, DateTime, MetaData, String, Table, bindparam, select
from sqlalchemy.exc import InterfaceError, OperationalError

from reference_services.kit.context import traced
from reference_services.kit.events import IncomingEvent, PoisonMessage, decode_record
from reference_services.kit.kafka import CONSUMER_TIMEOUTS, REQUEST_TIMEOUT_MS, dlq_topic
from reference_services.kit.metrics import ServiceMetrics

if TYPE_CHECKING:
    from reference_services.kit.runtime import Runtime, UnitOfWork

log = logging.getLogger(__name__)
Handler = Callable[["UnitOfWork", IncomingEvent], Awaitable[None]]
TRANSIENT = (OperationalError, InterfaceError, OSError, TimeoutError)
HANDLER_ATTEMPTS = 3
COMMIT_TIMEOUT_S = 5.0
STOP_TIMEOUT_S = 5.0
START_TIMEOUT_S = 30.0


class ConsumerStalled(Exception):
    """The consumer cannot make progress with its current broker session."""


def processed_table(metadata: MetaData) -> Table:
    return Table(
        "processed_messages",
        metadata,
        Column("consumer", String(100), primary_key=True),
        Column("event_id", String(100), primary_key=True),
        Column("topic", String(200), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False),
    )


class ConsumerLoop:
    def __init__(
        self,
        runtime: Runtime,
        handlers: Mapping[str, Handler],
        *,
        producer: AIOKafkaProducer,
    ) -> None:
        self.runtime = runtime
        self.handlers = dict(handlers)
        self.producer = producer
        self.name = runtime.settings.service_name
        self.metrics: ServiceMetrics = runtime.metrics
        self.consumer: AIOKafkaConsumer | None = None
        table = runtime.processed  # statements built once: they run for every record
        self._seen = select(table.c.event_id).where(
            table.c.consumer == bindparam("consumer"),
            table.c.event_id.in_(bindparam("event_ids", expanding=True)),
        )
        self._record = table.insert()

    async def run(self) -> None:
        """Consume until cancelled. The caller restarts it after a crash."""
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.runtime.settings.kafka_bootstrap,
            group_id=self.name,
            client_id=f"{self.name}-consumer",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            request_timeout_ms=REQUEST_TIMEOUT_MS + 1000,
            **CONSUMER_TIMEOUTS,
        )
        joined = self.metrics.track_consumer()
        consumer.subscribe(list(self.handlers), listener=_JoinedGauge(joined))
        log.info("consumer starting", extra={"topics": list(self.handlers)})
        try:
            await asyncio.wait_for(consumer.start(), START_TIMEOUT_S)
        except BaseException:
            await asyncio.wait_for(consumer.stop(), STOP_TIMEOUT_S)
            raise
        log.info("consumer started")
        self.consumer = consumer
        try:
            while True:
                batch = await consumer.getmany(timeout_ms=500, max_records=100)
                for records in batch.values():
                    outcomes = await self._handle_together(records)
                    if outcomes is None:
                        outcomes = [await self._handle(record) for record in records]
                    for record, outcome in zip(records, outcomes, strict=True):
                        self.metrics.events_consumed.labels(record.topic, outcome).inc()
                if batch:
                    await self._commit(consumer, batch)
        finally:
            self.consumer = None
            joined.set(0)
            try:  # stop() can hang on a broker that lost our group; don't stall on it
                await asyncio.wait_for(consumer.stop(), STOP_TIMEOUT_S)
            except (TimeoutError, KafkaError) as exc:
                log.warning("consumer did not stop cleanly", extra={"error": repr(exc)})

    async def _commit(
        self,
        consumer: AIOKafkaConsumer,
        batch: Mapping[TopicPartition, Sequence[ConsumerRecord]],
    ) -> None:
        """Commit past every record of a handled batch, in one request; set the lag."""
        offsets = {tp: records[-1].offset + 1 for tp, records in batch.items() if records}
        try:
            await asyncio.wait_for(consumer.commit(offsets), COMMIT_TIMEOUT_S)
        except KafkaError as exc:  # a rebalance: the records may come again, dedupe absorbs them
            log.warning("offset commit failed", extra={"error": repr(exc)})
        except TimeoutError as exc:
            # aiokafka retries some commit errors forever (seen after a broker restart that
            # lost the group): start over with a fresh consumer instead of stalling.
            raise ConsumerStalled("offset commit did not finish") from exc
        for tp, offset in offsets.items():
            highwater = consumer.highwater(tp)
            if highwater is not None:
                lag = max(0, highwater - offset)
                self.metrics.consumer_lag.labels(tp.topic, str(tp.partition)).set(lag)

    async def _handle_together(self, records: Sequence[ConsumerRecord]) -> list[str] | None:
        """Handle ``records`` in one transaction; None (nothing written) if any failed."""
        if len(records) < 2 or self.runtime.settings.has_defect("crash-on-poison"):
            return None
        try:
            events = [_decoded(record) for record in records]
            outcomes = []
            async with self.runtime.unit_of_work() as uow:
                ids = [event.event_id for event in events]
                seen = await self._already_processed(uow, ids)
                done = []
                for event in events:
                    if event.event_id in seen:
                        outcomes.append("duplicate")
                        continue
                    with traced(event.traceparent):
                        await self.handlers[event.topic](uow, event)
                    seen.add(event.event_id)
                    done.append(self._processed_row(event))
                    outcomes.append("processed")
                if done:
                    await uow.conn.execute(self._record, done)
        except Exception as exc:  # the records go one by one, which says what failed
            log.info("batch handled one by one", extra={"error": repr(exc)})
            return None
        return outcomes

    async def _already_processed(self, uow: UnitOfWork, event_ids: list[str]) -> set[str]:
        """Which of ``event_ids`` this consumer has processed (in ``uow``'s transaction)."""
        query = self._seen, {"consumer": self.name, "event_ids": event_ids}
        return set((await uow.conn.execute(*query)).scalars())

    def _processed_row(self, event: IncomingEvent) -> dict[str, Any]:
        return {
            "consumer": self.name,
            "event_id": event.event_id,
            "topic": event.topic,
            "processed_at": datetime.now(UTC),
        }

    async def _handle(self, record: ConsumerRecord) -> str:
        try:
            event = _decoded(record)
        except PoisonMessage as exc:
            if self.runtime.settings.has_defect("crash-on-poison"):
                raise RuntimeError(f"planted defect: crashed on {record.topic}") from exc
            await self._dead_letter(record, str(exc))
            return "dead_lettered"
        handler = self.handlers[record.topic]
        attempt = 0
        while True:
            try:
                return await self._apply(handler, event)
            except (PoisonMessage, ValidationError) as exc:
                await self._dead_letter(record, _reason(exc))
                return "dead_lettered"
            except TRANSIENT as exc:
                log.warning("transient failure, retrying", extra={"error": repr(exc)})
                await asyncio.sleep(min(5.0, 0.2 * 2 ** min(attempt, 5)))
                attempt += 1
            except Exception as exc:
                attempt += 1
                log.exception("handler failed", extra={"event_id": event.event_id})
                if attempt >= HANDLER_ATTEMPTS:
                    await self._dead_letter(record, f"handler failed {attempt} times: {exc!r}")
                    return "dead_lettered"
                await asyncio.sleep(0.1 * attempt)

    async def _apply(self, handler: Handler, event: IncomingEvent) -> str:
        async with self.runtime.unit_of_work(traceparent=event.traceparent) as uow:
            if await self._already_processed(uow, [event.event_id]):
                return "duplicate"
            await handler(uow, event)
            await uow.conn.execute(self._record, self._processed_row(event))
        return "processed"

    async def _dead_letter(self, record: ConsumerRecord, reason: str) -> None:
        log.error(
            "dead-lettering record",
            extra={"topic": record.topic, "offset": record.offset, "reason": reason},
        )
        headers = [
            *list(record.headers),
            ("dlq-reason", reason[:1000].encode()),
            ("dlq-consumer", self.name.encode()),
            ("dlq-original-topic", record.topic.encode()),
            ("dlq-original-partition", str(record.partition).encode()),
            ("dlq-original-offset", str(record.offset).encode()),
        ]
        value = record.value
        while True:
            try:
                await self.producer.send_and_wait(
                    dlq_topic(record.topic), value=value, key=record.key, headers=headers
                )
                return
            except KafkaError as exc:
                if exc.retriable:  # never lose the record: retry until the broker is back
                    log.warning("dead-letter publish failed, retrying", extra={"error": repr(exc)})
                    await asyncio.sleep(1.0)
                elif value is not None:
                    # The broker refuses this record for good (too large, say): send a
                    # stand-in without the value; its headers say where the original lies.
                    log.error(
                        "dead letter refused, sending it without its value",
                        extra={"error": repr(exc)},
                    )
                    size = str(len(value)).encode()
                    headers = [
                        *headers,
                        ("dlq-value-dropped", repr(exc)[:500].encode()),
                        ("dlq-original-size", size),
                    ]
                    value = None
                else:
                    log.error(
                        "dead letter refused; the record stays only in its topic",
                        extra={"error": repr(exc), "offset": record.offset},
                    )
                    return


class _JoinedGauge(ConsumerRebalanceListener):  # type: ignore[misc]
    """Keeps ``kafka_consumer_joined`` true to the group membership."""

    def __init__(self, gauge: Gauge) -> None:
        self.gauge = gauge

    def on_partitions_revoked(self, revoked: object) -> None:
        self.gauge.set(0)

    def on_partitions_assigned(self, assigned: object) -> None:
        self.gauge.set(1)


def _decoded(record: ConsumerRecord) -> IncomingEvent:
    return decode_record(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key,
        value=record.value,
        headers=record.headers,
    )


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        parts = [f"{'.'.join(map(str, e['loc'])) or '<root>'}: {e['msg']}" for e in exc.errors()]
        return "payload does not match the contract: " + "; ".join(parts)
    return str(exc)
