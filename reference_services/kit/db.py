"""The database: SQLite file by default, PostgreSQL by URL, same SQLAlchemy Core code."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, event, text

# A transient infrastructure failure: retry later, never dead-letter the message for it.
from sqlalchemy.exc import DBAPIError, OperationalError  # noqa: F401  (re-exported)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from reference_services.kit.migrations import upgrade
from reference_services.kit.sqlite_inline import inline_creator


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def with_utc(row: dict[str, Any], *columns: str) -> dict[str, Any]:
    """``row`` with its timestamp columns zoned: SQLite hands them back without the zone
    they were written with (UTC), and a date-time without an offset breaks RFC 3339."""
    for column in columns:
        moment = row.get(column)
        if isinstance(moment, datetime) and moment.tzinfo is None:
            row[column] = moment.replace(tzinfo=UTC)
    return row


class _WriterLock:
    """An asyncio lock the task holding it may take again (a write inside a write)."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None
        self._depth = 0

    async def __aenter__(self) -> None:
        task = asyncio.current_task()
        if self._owner is not task or task is None:
            await self._lock.acquire()
            self._owner = task
        self._depth += 1

    async def __aexit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._owner = None
            self._lock.release()


class Database:
    """``migrations``: the service's Alembic history, upgraded to head at start. Without
    one (ad-hoc schemas in tests) the tables are created from the metadata."""

    def __init__(self, url: str, metadata: MetaData, *, migrations: Path | None = None) -> None:
        self.url = url
        self.metadata = metadata
        self.migrations = migrations
        self._engine: AsyncEngine | None = None
        self._writer: contextlib.AbstractAsyncContextManager[None] = contextlib.nullcontext()

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def engine(self) -> AsyncEngine:
        if self._engine is None:
            raise RuntimeError("Database.start() was not called")
        return self._engine

    async def start(self) -> None:
        options: dict[str, Any] = {}
        if self.is_sqlite:
            path = self.url.split(":///", 1)[1]
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            options.update(async_creator=inline_creator(path))
            self._writer = _WriterLock()
        else:
            options.update(pool_size=10, max_overflow=10, pool_pre_ping=True)
        self._engine = create_async_engine(self.url, **options)
        if self.is_sqlite:
            event.listen(self._engine.sync_engine, "connect", _sqlite_pragmas)
        async with self._engine.begin() as conn:
            if self.migrations is not None:
                await upgrade(conn, self.migrations)
            else:
                await conn.run_sync(self.metadata.create_all)

    async def stop(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction (SQLite: one at a time in this process, see sqlite_inline)."""
        async with self._writer, self.engine.begin() as conn:
            yield conn

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as conn:
            yield conn

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
