"""Alembic environment of the notifications service (reference_services/kit/migrations.py)."""

from reference_services.kit.migration_env import run_environment
from reference_services.notifications.tables import metadata

run_environment(metadata)
