"""Schema migrations with Alembic: one history per service, in ``<service>/migrations``.

A service's schema is its own tables plus the kit's outbox and processed_messages
(``schema_metadata``). At start the runtime upgrades its database to the head of its
history (SQLite and PostgreSQL alike; no ``create_all`` for a service). Each service's
``migrations/env.py`` is two lines that call ``migration_env.run_environment``.

SQLite cannot alter most of a table in place, so migrations render in batch mode
(copy-and-move), which works on both databases.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

SERVICES_ROOT = Path(__file__).resolve().parents[1]


def migrations_dir(service: str) -> Path:
    return SERVICES_ROOT / service / "migrations"


def alembic_config(script_location: Path, connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


async def upgrade(conn: AsyncConnection, script_location: Path, revision: str = "head") -> None:
    await conn.run_sync(
        lambda sync: command.upgrade(alembic_config(script_location, sync), revision)
    )


async def downgrade(conn: AsyncConnection, script_location: Path, revision: str = "base") -> None:
    await conn.run_sync(
        lambda sync: command.downgrade(alembic_config(script_location, sync), revision)
    )
