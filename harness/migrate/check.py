"""``harness migrate check``: run every service's history on real databases.

For each service and each database (a scratch SQLite file; a throwaway PostgreSQL
database when the server answers): upgrade one revision at a time, writing rows into
every table after each step and checking they survive the next; compare the head with
the service's tables (an un-migrated model change is a finding); downgrade to base and
upgrade again. Destructive operations in the scripts are findings too.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import os
import uuid
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, func, insert, inspect, select, types
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from harness.migrate.findings import Finding, destructive_operations
from harness.stack.database import create_databases, database_url, drop_databases
from reference_services.kit.migration_env import schema_metadata
from reference_services.kit.migrations import alembic_config, downgrade, migrations_dir, upgrade

ROWS_PER_STEP = 2


def revisions(service: str) -> list[str]:
    """Revision ids from base to head."""
    script = ScriptDirectory.from_config(alembic_config(migrations_dir(service)))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def script_findings(service: str) -> list[Finding]:
    versions = migrations_dir(service) / "versions"
    return [
        f for path in sorted(versions.glob("*.py")) for f in destructive_operations(service, path)
    ]


def service_tables(service: str) -> MetaData:
    module = importlib.import_module(f"reference_services.{service}.tables")
    return schema_metadata(module.metadata)


async def check_database(
    service: str, url: str, label: str, *, tables: MetaData | None = None
) -> list[Finding]:
    """``tables``: what the head must match (default: the service's own tables)."""
    script = migrations_dir(service)
    engine = create_async_engine(url)
    findings: list[Finding] = []
    where = f"{label} database"
    try:
        async with engine.begin() as conn:
            for revision in revisions(service):
                before = await conn.run_sync(_counts)
                await upgrade(conn, script, revision)
                after = await conn.run_sync(_counts)
                lost = {t: (n, after[t]) for t, n in before.items() if t in after and after[t] < n}
                if lost:
                    findings.append(
                        Finding(
                            "data-lost-on-upgrade",
                            "breaking",
                            service,
                            where,
                            f"upgrade to {revision} lost rows: {lost}",
                        )
                    )
                await conn.run_sync(_write_rows)
            differences = await conn.run_sync(_compare, tables or service_tables(service))
            findings += [
                Finding(
                    "unmigrated-model-change",
                    "breaking",
                    service,
                    where,
                    f"tables differ from the migration head: {d}; run harness migrate "
                    f"revision {service} -m '...'",
                )
                for d in differences
            ]
            await downgrade(conn, script)
            left = [t for t in await conn.run_sync(_tables) if t != "alembic_version"]
            if left:
                findings.append(
                    Finding(
                        "incomplete-downgrade",
                        "breaking",
                        service,
                        where,
                        f"tables left after downgrading to base: {left}",
                    )
                )
            await upgrade(conn, script)
    except Exception as exc:  # a migration that raises is the finding, whatever it raised
        findings.append(
            Finding("migration-failed", "breaking", service, where, f"{type(exc).__name__}: {exc}")
        )
    finally:
        await engine.dispose()
    return findings


def _tables(conn: Connection) -> list[str]:
    return sorted(inspect(conn).get_table_names())


def _counts(conn: Connection) -> dict[str, int]:
    reflected = MetaData()
    reflected.reflect(conn)
    return {
        name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        for name, table in reflected.tables.items()
        if name != "alembic_version"
    }


def _write_rows(conn: Connection) -> None:
    """A few rows in every table, values made from the column types."""
    reflected = MetaData()
    reflected.reflect(conn)
    for name, table in reflected.tables.items():
        if name == "alembic_version":
            continue
        for _ in range(ROWS_PER_STEP):
            row = {c.name: _value(c.type) for c in table.columns if not _generated(c, table)}
            conn.execute(insert(table).values(**row))


def _generated(column: Any, table: Any) -> bool:
    integer_key = isinstance(column.type, types.Integer) and column.primary_key
    return bool(integer_key and len(table.primary_key.columns) == 1)


def _value(kind: Any) -> Any:
    if isinstance(kind, types.Boolean):
        return False
    if isinstance(kind, types.Integer | types.Numeric):
        return uuid.uuid4().int % 1_000_000
    if isinstance(kind, types.DateTime):
        return dt.datetime.now(dt.UTC)
    text = uuid.uuid4().hex
    length = getattr(kind, "length", None)
    return text[:length] if length else text


def _compare(conn: Connection, metadata: MetaData) -> list[str]:
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return [repr(d) for d in compare_metadata(context, metadata)]


def sqlite_url(folder: Path, service: str) -> str:
    return f"sqlite+aiosqlite:///{folder / f'{service}.db'}"


def postgres_async_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+asyncpg://", 1)


def check_postgres(server_url: str, services: list[str]) -> list[Finding]:
    """Each service on a throwaway database; raises DatabaseError when unreachable."""
    names = create_databases(server_url, os.getpid(), services)
    try:
        return [
            finding
            for service, name in names.items()
            for finding in asyncio.run(
                check_database(
                    service, postgres_async_url(database_url(server_url, name)), "PostgreSQL"
                )
            )
        ]
    finally:
        drop_databases(server_url, names)
