"""Write a new migration for a service from the difference between its tables and the
head of its history (Alembic autogenerate, run on a scratch SQLite database)."""

from __future__ import annotations

import asyncio
import importlib
import tempfile
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy.ext.asyncio import create_async_engine

from harness.errors import ConfigError
from harness.scaffold.tidy import tidy
from reference_services.kit.migrations import (
    SERVICES_ROOT,
    alembic_config,
    migrations_dir,
    upgrade,
)


def migrated_services() -> tuple[str, ...]:
    """Services with a migration history (found on disk, so new ones count at once)."""
    return tuple(sorted(p.parent.parent.name for p in SERVICES_ROOT.glob("*/migrations/env.py")))


def check_service(name: str) -> None:
    if name not in migrated_services():
        raise ConfigError(
            f"{name!r} has no database migrations; services with a database: "
            f"{', '.join(migrated_services())}"
        )


def next_revision_id(versions: Path) -> str:
    numbers = [int(p.name[:4]) for p in versions.glob("[0-9][0-9][0-9][0-9]_*.py")]
    return f"{max(numbers, default=0) + 1:04d}"


def write_revision(service: str, message: str) -> Path | None:
    """The new migration file, or None when the tables already match the head."""
    check_service(service)
    importlib.import_module(f"reference_services.{service}.tables")
    script = migrations_dir(service)
    versions = script / "versions"
    before = set(versions.glob("*.py"))
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{scratch}/scratch.db"
        asyncio.run(_autogenerate(url, script, message, next_revision_id(versions)))
    created = sorted(set(versions.glob("*.py")) - before)
    if not created:
        return None
    tidy(created)
    return created[0]


async def _autogenerate(url: str, script: Path, message: str, revision_id: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await upgrade(conn, script)

            def revise(sync: object) -> None:
                config = alembic_config(script, sync)  # type: ignore[arg-type]
                command.revision(
                    config,
                    message=message,
                    autogenerate=True,
                    rev_id=revision_id,
                    process_revision_directives=_skip_empty,
                )

            await conn.run_sync(revise)
    finally:
        await engine.dispose()


def _skip_empty(context: Any, revision: Any, directives: list[Any]) -> None:
    script = directives[0]
    if script.upgrade_ops.is_empty():
        directives[:] = []
