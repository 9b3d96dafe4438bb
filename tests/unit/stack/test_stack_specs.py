"""Process specs: the broker's argv and each service's environment (runtime contract)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from harness.errors import ConfigError
from harness.stack.probes import HttpProbe, KafkaProbe
from harness.stack.specs import (
    ServiceContext,
    broker_spec,
    generate_secrets,
    service_argv,
    service_env,
    service_spec,
)
from harness.stack.topology import SERVICES, Topology

TOPOLOGY = Topology(port_base=9000)


def context(**changes: object) -> ServiceContext:
    values: dict[str, object] = {
        "topology": TOPOLOGY,
        "secrets": generate_secrets(),
        "data_dir": Path("/state/data"),
        "database_urls": {},
        "test_mode": False,
        "routed": False,
    }
    values.update(changes)
    return ServiceContext(**values)  # type: ignore[arg-type]


def test_broker_runs_tansu_in_memory_and_advertises_the_kafka_link() -> None:
    spec = broker_spec(TOPOLOGY, "/bin/tansu", routed=False)
    assert spec.argv == (
        "/bin/tansu",
        "broker",
        "--listener-url",
        "tcp://127.0.0.1:9092",
        "--advertised-listener-url",
        "tcp://127.0.0.1:9092",
        "--storage-engine",
        "memory://tansu/",
    )
    assert spec.probe == KafkaProbe("127.0.0.1", 9092)
    routed = broker_spec(TOPOLOGY, "/bin/tansu", routed=True)
    advertised = f"tcp://127.0.0.1:{TOPOLOGY.link('kafka').listen_port}"
    assert routed.argv[5] == advertised
    assert routed.argv[3] == "tcp://127.0.0.1:9092"  # still listens on its own port


def test_service_env_follows_the_runtime_contract() -> None:
    ctx = context(test_mode=True)
    env = service_env(ctx, "orders")
    assert env["ORDERS_HOST"] == "127.0.0.1"
    assert env["ORDERS_PORT"] == "9003"
    assert env["ORDERS_DATA_DIR"] == "/state/data"
    assert env["ORDERS_DATABASE_URL"] == ""
    assert env["ORDERS_KAFKA_BOOTSTRAP"] == "127.0.0.1:9092"
    assert env["ORDERS_JWT_SECRET"] == ctx.secrets.jwt_secret
    assert env["ORDERS_TEST_MODE"] == "true"
    assert env["ORDERS_USERS_URL"] == "http://127.0.0.1:9001"
    assert "USERS_ADMIN_EMAIL" not in env
    assert all(key.startswith("ORDERS_") for key in env)


def test_every_service_shares_one_secret_and_only_users_gets_the_admin() -> None:
    ctx = context()
    envs = {spec.name: service_env(ctx, spec.name) for spec in SERVICES}
    secrets = {env[f"{name.upper()}_JWT_SECRET"] for name, env in envs.items()}
    assert secrets == {ctx.secrets.jwt_secret}
    assert envs["users"]["USERS_ADMIN_EMAIL"] == ctx.secrets.admin_email
    assert envs["users"]["USERS_ADMIN_PASSWORD"] == ctx.secrets.admin_password
    assert "GATEWAY_KAFKA_BOOTSTRAP" not in envs["gateway"]
    assert envs["payments"]["PAYMENTS_TEST_MODE"] == "false"


def test_database_url_is_passed_when_given() -> None:
    url = "postgresql://postgres@127.0.0.1:5432/harness_9000_users"
    env = service_env(context(database_urls={"users": url}), "users")
    assert env["USERS_DATABASE_URL"] == url


def test_generated_secrets_differ_per_stack_and_are_long_enough() -> None:
    first, second = generate_secrets(), generate_secrets()
    assert first.jwt_secret != second.jwt_secret
    assert first.admin_password != second.admin_password
    assert len(first.jwt_secret) >= 32
    assert "@" in first.admin_email


def test_service_spec_probes_readiness_on_its_own_port() -> None:
    spec = service_spec(context(), "users")
    assert spec.argv == (sys.executable, "-m", "reference_services", "users")
    assert spec.probe == HttpProbe(
        "http://127.0.0.1:9001/health/ready", metrics_url="http://127.0.0.1:9001/metrics"
    )
    assert spec.url == "http://127.0.0.1:9001"


def test_service_command_template_rejects_unknown_placeholders() -> None:
    assert service_argv(("run", "{name}"), "orders") == ("run", "orders")
    with pytest.raises(ConfigError, match=r"\{python\} and \{name\}"):
        service_argv(("run", "{service}"), "orders")
