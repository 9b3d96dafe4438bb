"""Alembic environment of the inventory service (reference_services/kit/migrations.py)."""

from reference_services.inventory.tables import metadata
from reference_services.kit.migration_env import run_environment

run_environment(metadata)
