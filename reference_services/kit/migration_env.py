"""What runs inside a service's Alembic env.py: the schema and the migration context."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from reference_services.kit.consumer import processed_table
from reference_services.kit.outbox import outbox_table


def schema_metadata(metadata: MetaData) -> MetaData:
    """The service's tables and the kit's, on a MetaData of their own.

    A copy, so a second app in one process (tests) does not add the kit's tables twice.
    """
    own = MetaData()
    for table in metadata.tables.values():
        table.to_metadata(own)
    outbox_table(own)
    processed_table(own)
    return own


def configure_context(connection: Connection, metadata: MetaData, **options: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=schema_metadata(metadata),
        render_as_batch=True,
        compare_type=True,
        **options,
    )


def run_environment(metadata: MetaData) -> None:
    """The body of every service's env.py: migrate on the connection the caller passed."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "run migrations through the harness (harness migrate upgrade SERVICE) or the "
            "service itself; the alembic command line has no database connection here"
        )
    configure_context(connection, metadata)
    with context.begin_transaction():
        context.run_migrations()
