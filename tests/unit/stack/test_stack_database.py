"""Naming and URLs of the throwaway PostgreSQL databases (no server needed)."""

from __future__ import annotations

import pytest

from harness.errors import ConfigError
from harness.stack.database import database_name, database_url


def test_names_carry_the_port_base_so_stacks_do_not_share() -> None:
    assert database_name(8000, "orders") == "harness_8000_orders"
    assert database_name(9000, "orders") != database_name(8000, "orders")


def test_url_keeps_user_host_and_port() -> None:
    server = "postgresql://postgres@127.0.0.1:5432/postgres"
    assert database_url(server, "harness_8000_users") == (
        "postgresql://postgres@127.0.0.1:5432/harness_8000_users"
    )
    assert database_url("postgres://u:p@db:6543/x?sslmode=disable", "n") == (
        "postgresql://u:p@db:6543/n?sslmode=disable"
    )


def test_a_non_postgres_url_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="--postgres-url"):
        database_url("mysql://root@localhost/db", "n")
