"""Throwaway PostgreSQL databases, one per service, named after the stack's port base.

asyncpg runs on a private event loop in a worker thread, so these blocking helpers can
be called from sync code and from inside a running loop alike.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine, Iterable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from harness.errors import ConfigError, DatabaseError

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
CONNECT_TIMEOUT = 5.0
T = TypeVar("T")


def database_name(port_base: int, service: str) -> str:
    return f"harness_{port_base}_{service}"


def database_url(server_url: str, name: str) -> str:
    """``server_url`` with its database replaced by ``name`` (user, host, port kept)."""
    parts = urlsplit(server_url)
    if parts.scheme not in ("postgresql", "postgres") or not parts.hostname:
        raise ConfigError(
            f"--postgres-url {server_url!r} is not a PostgreSQL URL; expected "
            f"postgresql://USER@HOST:PORT/DB, e.g. {DEFAULT_POSTGRES_URL}"
        )
    return urlunsplit(("postgresql", parts.netloc, f"/{name}", parts.query, ""))


def _run(coro: Coroutine[Any, Any, T]) -> T:
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _connect(server_url: str) -> asyncpg.Connection:
    try:
        return await asyncpg.connect(server_url, timeout=CONNECT_TIMEOUT)
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        raise DatabaseError(
            f"cannot connect to PostgreSQL at {server_url}: {exc}; start it, pass "
            "--postgres-url, or use --database sqlite"
        ) from exc


def _quoted(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ConfigError(f"unsafe database name {name!r}")
    return f'"{name}"'


async def _recreate(server_url: str, names: Iterable[str]) -> None:
    conn = await _connect(server_url)
    try:
        for name in names:
            await conn.execute(f"DROP DATABASE IF EXISTS {_quoted(name)} WITH (FORCE)")
            await conn.execute(f"CREATE DATABASE {_quoted(name)}")
    except asyncpg.PostgresError as exc:
        raise DatabaseError(f"cannot create databases on {server_url}: {exc}") from exc
    finally:
        await conn.close()


async def _drop(server_url: str, names: Iterable[str]) -> None:
    conn = await _connect(server_url)
    try:
        for name in names:
            await conn.execute(f"DROP DATABASE IF EXISTS {_quoted(name)} WITH (FORCE)")
    except asyncpg.PostgresError as exc:
        raise DatabaseError(f"cannot drop databases on {server_url}: {exc}") from exc
    finally:
        await conn.close()


def create_databases(server_url: str, port_base: int, services: Iterable[str]) -> dict[str, str]:
    """Create (or re-create, if left over) one empty database per service.

    Returns the service -> database name map to record in the state file.
    """
    names = {service: database_name(port_base, service) for service in services}
    for name in names.values():
        database_url(server_url, name)  # validates the URL before any side effect
    _run(_recreate(server_url, names.values()))
    return names


def drop_databases(server_url: str, names: Mapping[str, str]) -> None:
    if names:
        _run(_drop(server_url, names.values()))


def database_exists(server_url: str, name: str) -> bool:
    async def check() -> bool:
        conn = await _connect(server_url)
        try:
            found = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        finally:
            await conn.close()
        return bool(found == 1)

    return _run(check())
