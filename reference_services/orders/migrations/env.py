"""Alembic environment of the orders service (reference_services/kit/migrations.py)."""

from reference_services.kit.migration_env import run_environment
from reference_services.orders.tables import metadata

run_environment(metadata)
