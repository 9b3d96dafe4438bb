"""Every service's migration history on real databases, and what the check catches."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import Column, String

from harness.migrate.check import check_database, check_postgres, service_tables, sqlite_url
from harness.migrate.revisions import migrated_services

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("service", migrated_services())
def test_history_upgrades_downgrades_and_keeps_data_on_sqlite(service: str, tmp_path: Path) -> None:
    assert asyncio.run(check_database(service, sqlite_url(tmp_path, service), "SQLite")) == []


@pytest.mark.postgres
def test_every_history_is_clean_on_postgresql(postgres_url: str) -> None:
    assert check_postgres(postgres_url, list(migrated_services())) == []


def test_a_model_change_without_a_migration_is_caught(tmp_path: Path) -> None:
    tables = service_tables("products")
    tables.tables["products"].append_column(Column("colour", String(20), nullable=True))
    findings = asyncio.run(
        check_database("products", sqlite_url(tmp_path, "products"), "SQLite", tables=tables)
    )
    assert [f.rule for f in findings] == ["unmigrated-model-change"]
    assert "colour" in findings[0].why and "harness migrate revision products" in findings[0].why
