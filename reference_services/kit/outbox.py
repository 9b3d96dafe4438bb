"""Transactional outbox: events are rows written with the state change, relayed after.

The relay reads a batch of pending rows in id order, hands them all to the producer at
once (it packs them into as few produce requests as it can, acks=all, in order per
partition), waits for every acknowledgement and marks the acknowledged rows published
in one statement. A crash between send and mark republishes (at-least-once), which the
consumers' dedupe absorbs; a row whose send failed stays pending for the next round.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from asyncio import Future
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeGuard

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from reference_services.kit.db import Database
from reference_services.kit.events import OutgoingEvent, encode_headers
from reference_services.kit.metrics import ServiceMetrics

log = logging.getLogger(__name__)


def outbox_table(metadata: MetaData) -> Table:
    return Table(
        "outbox",
        metadata,
        Column(
            "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("topic", String(200), nullable=False),
        Column("key", String(200), nullable=False),
        Column("headers", Text, nullable=False),
        Column("payload", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("published_at", DateTime(timezone=True), nullable=True, index=True),
    )


async def add_to_outbox(conn: AsyncConnection, table: Table, event: OutgoingEvent) -> None:
    row = {
        "event_id": event.event_id,
        "topic": event.topic,
        "key": event.key,
        "headers": json.dumps(event.headers()),
        "payload": json.dumps(event.payload, separators=(",", ":"), sort_keys=True),
        "created_at": datetime.now(UTC),
    }
    await conn.execute(table.insert(), row)  # parameters at execution: compiled once


async def outbox_backlog(db: Database, table: Table) -> int:
    """How many outbox rows are not yet published."""
    async with db.reading() as conn:
        query = select(func.count()).select_from(table).where(table.c.published_at.is_(None))
        return int((await conn.execute(query)).scalar_one())


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        table: Table,
        producer: AIOKafkaProducer,
        metrics: ServiceMetrics,
        *,
        poll_interval: float = 0.5,
        batch_size: int = 100,
    ) -> None:
        self.db, self.table, self.producer, self.metrics = db, table, producer, metrics
        self.poll_interval = poll_interval
        self.batch_size = batch_size
        self.failures = 0  # consecutive failed rounds; the broker session watches it
        # built once: the relay runs them for every batch
        self._pending = (
            select(table)
            .where(table.c.published_at.is_(None))
            .order_by(table.c.id)
            .limit(bindparam("limit"))
        )
        self._mark = (
            update(table)
            .where(table.c.id.in_(bindparam("ids", expanding=True)))
            .values(published_at=bindparam("now"))
        )
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """Called after a commit that wrote events, so they go out without waiting a poll."""
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def backlog(self) -> int:
        return await outbox_backlog(self.db, self.table)

    async def _run(self) -> None:
        while True:
            try:
                sent = await self.relay_once()
                self.failures = 0  # the backlog gauge is read at each /metrics scrape
                if sent == self.batch_size:
                    continue
            except (TimeoutError, KafkaError, OSError) as exc:
                self.failures += 1
                log.warning(
                    "outbox relay could not publish; will retry",
                    extra={"error": repr(exc), "attempt": self.failures},
                )
            except Exception:
                self.failures += 1
                log.exception("outbox relay failed; will retry")
            delay = self.poll_interval if self.failures == 0 else min(5.0, 0.2 * 2**self.failures)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
            self._wake.clear()

    async def relay_once(self) -> int:
        """Publish one batch of pending rows; returns how many went out."""
        async with self.db.reading() as conn:
            rows = (await conn.execute(self._pending, {"limit": self.batch_size})).all()
        if not rows:
            return 0
        acks, refused = await self._hand_over(rows)
        results = await asyncio.gather(*acks, return_exceptions=True)
        sent = [row for row, result in zip(rows, results, strict=False) if not _failed(result)]
        if sent:
            async with self.db.transaction() as conn:
                ids = [row.id for row in sent]
                await conn.execute(self._mark, {"ids": ids, "now": datetime.now(UTC)})
            for row in sent:
                self.metrics.events_published.labels(row.topic).inc()
        failures = [result for result in results if _failed(result)]
        if refused is not None or failures:
            raise refused or failures[0]
        return len(sent)

    async def _hand_over(
        self, rows: Sequence[Row[Any]]
    ) -> tuple[list[Future[Any]], Exception | None]:
        """Queue ``rows`` on the producer in order; stop at the first it refuses outright
        (no metadata for the topic, too large): the rows after it wait for the next round."""
        acks: list[Future[Any]] = []
        for row in rows:
            try:
                ack = await self.producer.send(
                    row.topic,
                    value=row.payload.encode(),
                    key=row.key.encode(),
                    headers=encode_headers(json.loads(row.headers)),
                )
            except KafkaError as exc:
                return acks, exc
            acks.append(ack)
        return acks, None


def _failed(result: object) -> TypeGuard[BaseException]:
    return isinstance(result, BaseException)
