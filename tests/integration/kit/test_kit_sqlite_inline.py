"""SQLite in the event loop's thread (kit/sqlite_inline.py) on a real database file.

Writers that pause inside their transaction must not stall one another: with calls made
in the loop's thread, a writer waiting for SQLite's lock would block the very loop its
holder needs, so the Database serialises its write transactions.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select

from reference_services.kit.db import Database

pytestmark = pytest.mark.integration
metadata = MetaData()
notes = Table("notes", metadata, Column("id", Integer, primary_key=True), Column("text", String))


async def _database(tmp_path: Path) -> Database:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'inline.db'}", metadata)
    await db.start()
    return db


async def test_concurrent_writers_that_pause_mid_transaction_all_commit(tmp_path: Path) -> None:
    db = await _database(tmp_path)

    async def write(n: int) -> None:
        async with db.transaction() as conn:
            await conn.execute(notes.insert(), {"text": f"note {n}"})
            await asyncio.sleep(0)  # another task runs while this one holds the write lock

    await asyncio.wait_for(asyncio.gather(*(write(n) for n in range(40))), timeout=10)
    async with db.reading() as conn:
        assert (await conn.execute(select(func.count()).select_from(notes))).scalar_one() == 40
    await db.stop()


async def test_a_write_inside_a_write_of_the_same_task_does_not_wait_for_itself(
    tmp_path: Path,
) -> None:
    db = await _database(tmp_path)

    async def nested() -> None:
        async with db.transaction(), db.transaction() as inner:
            await inner.execute(notes.insert(), {"text": "nested"})

    await asyncio.wait_for(nested(), timeout=10)
    await db.stop()


async def test_no_worker_thread_is_started_per_connection(tmp_path: Path) -> None:
    before = threading.active_count()
    db = await _database(tmp_path)
    for _ in range(5):
        async with db.reading() as conn:
            await conn.execute(select(notes))
    assert threading.active_count() == before
    await db.stop()


async def test_errors_of_sqlite_reach_the_caller(tmp_path: Path) -> None:
    db = await _database(tmp_path)
    with pytest.raises(Exception, match="no such table"):
        async with db.reading() as conn:
            await conn.exec_driver_sql("SELECT * FROM missing")
    await db.stop()
