"""Alembic environment of the payments service (reference_services/kit/migrations.py)."""

from reference_services.kit.migration_env import run_environment
from reference_services.payments.tables import metadata

run_environment(metadata)
