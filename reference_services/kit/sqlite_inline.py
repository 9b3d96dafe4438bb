"""SQLite calls made in the event loop's own thread, behind aiosqlite's interface.

aiosqlite gives every connection a worker thread and hands each call (execute, fetch,
commit, even a cursor's close) to it and back. For a service's local SQLite file those
calls take microseconds, and the hand-offs cost far more: ``bench/http_services.py``
profiles put a third of the products service in them, and an order's SQL ran at a few
hundred microseconds per statement. :class:`InlineConnection` is an aiosqlite
``Connection`` whose queue runs each call at once, so SQLAlchemy's aiosqlite dialect and
every ``AsyncConnection`` in the services work unchanged, with no thread.

What this asks of the caller, and how :class:`~reference_services.kit.db.Database` gives
it: a call now blocks the loop while it runs, so nothing may wait for SQLite's lock in
the loop's thread while the lock's holder waits for the loop. Writers in this process
take an asyncio lock (one write transaction at a time, which SQLite allows anyway), and
reads never wait in WAL mode. Only another *process* writing the same file could make a
call wait (``busy_timeout``, 5 s): each service owns its database file, so none does.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Generator
from functools import partial
from typing import Any

import aiosqlite


class _RunNow:
    """aiosqlite's request queue, but the request runs as it is put."""

    @staticmethod
    def put_nowait(item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as exc:
            if future is not None:
                future.set_exception(exc)
            return
        if future is not None:
            future.set_result(result)


class InlineConnection(aiosqlite.Connection):
    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._tx = _RunNow()  # type: ignore[assignment]

    def __await__(self) -> Generator[Any, None, aiosqlite.Connection]:
        return self._connect().__await__()  # no worker thread to start


def inline_creator(path: str) -> Callable[[], Any]:
    """An ``async_creator`` for ``create_async_engine``: a new inline connection to ``path``."""
    connector = partial(sqlite3.connect, path, check_same_thread=False)

    async def create() -> aiosqlite.Connection:
        return await InlineConnection(connector)

    return create
