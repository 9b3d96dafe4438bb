"""What a running service is made of, started and stopped in one place (the lifespan).

A service declares a ``ServiceDefinition``; the ``Runtime`` builds the database, the
Kafka producer, the outbox relay, the consumer loop and the HTTP clients from it.
Kafka parts start in the background and keep retrying, so a service comes up (not
ready) while the broker is away and becomes ready when it returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, Table
from sqlalchemy.ext.asyncio import AsyncConnection

from reference_services.kit.broker_session import BrokerSession
from reference_services.kit.consumer import Handler
from reference_services.kit.context import traced
from reference_services.kit.db import Database
from reference_services.kit.defects import planted_payload
from reference_services.kit.events import OutgoingEvent, encode_headers, encode_value
from reference_services.kit.http_client import ClientPolicy, ResilientClient
from reference_services.kit.kafka import broker_ping, dlq_topic
from reference_services.kit.metrics import ServiceMetrics
from reference_services.kit.migration_env import schema_metadata
from reference_services.kit.outbox import OutboxRelay, add_to_outbox, outbox_backlog
from reference_services.kit.read_cache import ReadCache
from reference_services.kit.settings import ServiceSettings

log = logging.getLogger(__name__)


@dataclass
class ServiceDefinition:
    settings: ServiceSettings
    metadata: MetaData | None = None
    produces: tuple[str, ...] = ()
    consumes: Mapping[str, Handler] = field(default_factory=dict)
    dependencies: Mapping[str, tuple[str, ClientPolicy]] = field(default_factory=dict)
    on_start: Sequence[Callable[[Runtime], Awaitable[None]]] = ()
    migrations: Path | None = None  # the service's Alembic history (None: create tables)


class UnitOfWork:
    """One database transaction plus the events it causes (written to the outbox)."""

    def __init__(self, conn: AsyncConnection, runtime: Runtime) -> None:
        self.conn = conn
        self._runtime = runtime
        self.published: list[OutgoingEvent] = []
        self.bypassed: list[OutgoingEvent] = []

    @property
    def settings(self) -> ServiceSettings:
        return self._runtime.settings

    async def publish(self, event_type: str, *, key: str, payload: dict[str, Any]) -> None:
        payload = planted_payload(self.settings.defects, event_type, payload)
        event = OutgoingEvent(
            event_type, key=key, payload=payload, producer=self._runtime.settings.service_name
        )
        if self.settings.has_defect("outbox-bypass"):
            self.bypassed.append(event)  # sent after the commit, lost if the broker is away
            return
        await add_to_outbox(self.conn, self._runtime.outbox, event)
        self.published.append(event)


class Runtime:
    def __init__(self, definition: ServiceDefinition) -> None:
        self.definition = definition
        self.settings = definition.settings
        self.metrics = ServiceMetrics()
        self.read_cache = ReadCache(self.settings.read_cache_size)
        if definition.consumes:
            self.metrics.track_consumer()
        self.db: Database | None = None
        if definition.metadata is not None:
            metadata = schema_metadata(definition.metadata)
            self.outbox: Table = metadata.tables["outbox"]
            self.processed: Table = metadata.tables["processed_messages"]
            self.db = Database(
                self.settings.resolved_database_url(), metadata, migrations=definition.migrations
            )
        self.clients = {
            name: ResilientClient(name, url, policy=policy, metrics=self.metrics)
            for name, (url, policy) in definition.dependencies.items()
        }
        self.session: BrokerSession | None = None
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def relay(self) -> OutboxRelay | None:
        return self.session.relay if self.session is not None else None

    async def outbox_backlog(self) -> int | None:
        """Events written but not yet on the broker (None for a service without outbox)."""
        if self.db is None or not self.definition.produces:
            return None
        return await outbox_backlog(self.db, self.outbox)

    @property
    def uses_kafka(self) -> bool:
        return bool(self.definition.produces or self.definition.consumes)

    def client(self, name: str) -> ResilientClient:
        return self.clients[name]

    async def start(self) -> None:
        if self.db is not None:
            await self.db.start()
        if self.uses_kafka:
            self._tasks.append(asyncio.create_task(self._run_kafka(), name="kafka"))
        for hook in self.definition.on_start:
            await hook(self)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for client in self.clients.values():
            await client.aclose()
        if self.db is not None:
            await self.db.stop()

    @contextlib.asynccontextmanager
    async def unit_of_work(self, *, traceparent: str | None = None) -> AsyncIterator[UnitOfWork]:
        if self.db is None:
            raise RuntimeError(f"{self.settings.service_name} has no database")
        with traced(traceparent):
            try:
                async with self.db.transaction() as conn:
                    uow = UnitOfWork(conn, self)
                    yield uow
                if uow.published and self.relay is not None:
                    self.relay.wake()
                if uow.bypassed:
                    await self._send_directly(uow.bypassed)
            finally:
                self.read_cache.clear()  # whatever the unit of work wrote, cached reads go

    @contextlib.asynccontextmanager
    async def db_reading(self) -> AsyncIterator[AsyncConnection]:
        """A connection for reads only (no transaction to commit)."""
        if self.db is None:
            raise RuntimeError(f"{self.settings.service_name} has no database")
        async with self.db.reading() as conn:
            yield conn

    async def _send_directly(self, events: list[OutgoingEvent]) -> None:
        """The outbox-bypass defect: fire and forget, nothing kept when it fails."""
        producer = self.session.producer if self.session is not None else None
        for event in events:
            try:
                if producer is None:
                    raise ConnectionError("no broker session")
                await asyncio.wait_for(
                    producer.send_and_wait(
                        event.topic,
                        value=encode_value(event.payload),
                        key=event.key.encode(),
                        headers=encode_headers(event.headers()),
                    ),
                    timeout=2.0,
                )
            except Exception as exc:
                log.warning("event lost (outbox bypassed)", extra={"error": repr(exc)})

    def topics(self) -> list[str]:
        consumed = list(self.definition.consumes)
        return [*self.definition.produces, *consumed, *(dlq_topic(t) for t in consumed)]

    async def _run_kafka(self) -> None:
        """Keep a broker session open: open one, wait until it is lost, open the next."""
        attempt = 0
        while True:
            session = BrokerSession(self)
            try:
                await session.open()
            except asyncio.CancelledError:
                await session.close()
                raise
            except Exception as exc:
                await session.close()
                attempt += 1
                log.warning("kafka not reachable yet", extra={"error": repr(exc)})
                await asyncio.sleep(min(2.0, 0.1 * 2**attempt))
                continue
            attempt = 0
            self.session = session
            try:
                reason = await session.wait_lost()
                log.warning("broker session lost; reconnecting", extra={"reason": reason})
            except Exception:  # a bug in the watch must not end Kafka for good
                log.exception("broker session watch failed; reconnecting")
                attempt = 1  # back off once before the next session, as after a failed open
            finally:
                self.session = None
                await session.close()
            if attempt:
                await asyncio.sleep(min(2.0, 0.1 * 2**attempt))

    async def readiness(self) -> dict[str, dict[str, str]]:
        """Each check by name with its status ('up' or 'down') and a detail when down."""
        checks: dict[str, Any] = {}
        if self.db is not None:
            checks["database"] = self._probe(self.db.ping())
        if self.uses_kafka:
            checks["broker"] = self._probe(broker_ping(self.settings.kafka_bootstrap))
        names = list(checks)
        results = await asyncio.gather(*checks.values())
        return dict(zip(names, results, strict=True))

    @staticmethod
    async def _probe(check: Any) -> dict[str, str]:
        try:
            await asyncio.wait_for(check, timeout=2.0)
        except Exception as exc:
            return {"status": "down", "detail": f"{type(exc).__name__}: {exc}"[:300]}
        return {"status": "up"}
