"""Process specs for the broker and each reference service (docs/runtime-contract.md).

Pure functions: they turn the topology, the options and the generated secrets into
argv and environment, and never start anything.
"""

from __future__ import annotations

import secrets as random_secrets
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harness.errors import ConfigError
from harness.stack.kafka_entry import kafka_bootstrap
from harness.stack.links import dependency_env, kafka_address
from harness.stack.probes import HttpProbe, KafkaProbe
from harness.stack.process import BROKER, FAULT_PROXY, ProcessSpec
from harness.stack.state import Secrets
from harness.stack.topology import KAFKA, Topology

READY_PATH = "/health/ready"
# ``{python}`` is the harness's own interpreter, ``{name}`` the service.
DEFAULT_SERVICE_COMMAND = ("{python}", "-m", "reference_services", "{name}")


def generate_secrets() -> Secrets:
    """A fresh JWT secret and admin account for one stack."""
    return Secrets(
        jwt_secret=random_secrets.token_urlsafe(48),
        admin_email=f"admin-{random_secrets.token_hex(4)}@example.com",
        admin_password=random_secrets.token_urlsafe(18),
    )


PROXY = "proxy"


def proxy_spec(topology: Topology) -> ProcessSpec:
    """chaos.proxy (the Toxiproxy API) as its own process, API on loopback."""
    url = f"http://{topology.host}:{topology.proxy_api_port}"
    argv = (
        sys.executable,
        "-m",
        "chaos.proxy",
        "--host",
        topology.host,
        "--port",
        str(topology.proxy_api_port),
    )
    return ProcessSpec(
        name=PROXY, argv=argv, probe=HttpProbe(url + "/version"), url=url, kind=FAULT_PROXY
    )


def broker_spec(topology: Topology, broker_bin: str, *, routed: bool) -> ProcessSpec:
    """Tansu with memory storage: a restart loses topics, messages and offsets."""
    port = topology.port(KAFKA)
    advertised = kafka_address(topology, routed=routed)
    argv = (
        broker_bin,
        "broker",
        "--listener-url",
        f"tcp://{topology.host}:{port}",
        "--advertised-listener-url",
        f"tcp://{advertised}",
        "--storage-engine",
        "memory://tansu/",
    )
    return ProcessSpec(
        name=KAFKA,
        argv=argv,
        probe=KafkaProbe(topology.host, port),
        url=f"{topology.host}:{port}",
        kind=BROKER,
    )


@dataclass(frozen=True)
class ServiceContext:
    """Everything per stack that a service's environment is built from."""

    topology: Topology
    secrets: Secrets
    data_dir: Path
    database_urls: Mapping[str, str]
    test_mode: bool
    routed: bool
    defects: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # A service with its own Kafka link bootstraps there: at the entry proxy behind it
    # (embedded, routed) or at its own Kafka listener behind Toxiproxy (docker-compose).
    kafka_entries: bool = False


def service_url(topology: Topology, name: str) -> str:
    return f"http://{topology.host}:{topology.port(name)}"


def service_env(context: ServiceContext, name: str) -> dict[str, str]:
    topology = context.topology
    spec = topology.service(name)
    prefix = spec.env_prefix
    env = {
        f"{prefix}HOST": topology.host,
        f"{prefix}PORT": str(topology.port(name)),
        f"{prefix}DATA_DIR": str(context.data_dir),
        f"{prefix}DATABASE_URL": context.database_urls.get(name, ""),
        f"{prefix}JWT_SECRET": context.secrets.jwt_secret,
        f"{prefix}TEST_MODE": "true" if context.test_mode else "false",
        **dependency_env(topology, name, routed=context.routed),
    }
    if spec.uses_kafka:
        env[f"{prefix}KAFKA_BOOTSTRAP"] = str(
            kafka_bootstrap(topology, name, routed=context.routed, entries=context.kafka_entries)
        )
    if context.defects.get(name):
        env[f"{prefix}DEFECTS"] = ",".join(context.defects[name])
    if name == "users":
        env["USERS_ADMIN_EMAIL"] = context.secrets.admin_email
        env["USERS_ADMIN_PASSWORD"] = context.secrets.admin_password
    return env


def service_argv(command: Sequence[str], name: str) -> tuple[str, ...]:
    """Fill the command template; ``{python}`` and ``{name}`` are the only fields."""
    try:
        return tuple(part.format(python=sys.executable, name=name) for part in command)
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(
            f"service command {' '.join(command)!r}: bad placeholder {exc}; "
            "only {python} and {name} are known"
        ) from exc


def service_spec(
    context: ServiceContext, name: str, *, command: Sequence[str] = DEFAULT_SERVICE_COMMAND
) -> ProcessSpec:
    url = service_url(context.topology, name)
    return ProcessSpec(
        name=name,
        argv=service_argv(command, name),
        probe=HttpProbe(url + READY_PATH, metrics_url=url + "/metrics"),
        env=service_env(context, name),
        url=url,
    )
