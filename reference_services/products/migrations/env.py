"""Alembic environment of the products service (reference_services/kit/migrations.py)."""

from reference_services.kit.migration_env import run_environment
from reference_services.products.tables import metadata

run_environment(metadata)
