"""docker-compose.yml against the stack registry: the same services, ports, links and
environment as the embedded stack routed through its fault proxy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.compose import proxy
from harness.compose.variables import ADMIN_EMAIL, ADMIN_PASSWORD, JWT_SECRET, TEST_MODE
from harness.stack.links import populate_payload, service_names
from harness.stack.specs import ServiceContext, service_env
from harness.stack.state import Secrets
from harness.stack.topology import KAFKA, SERVICES, Topology

PROXY_HOST = "toxiproxy"


def embedded_env(topology: Topology, name: str) -> dict[str, str]:
    context = ServiceContext(
        topology=topology,
        secrets=Secrets("s" * 32, "admin@example.com", "pw"),
        data_dir=Path("/tmp/data"),
        database_urls={n: f"postgresql://u@127.0.0.1:5432/{n}" for n in service_names()},
        test_mode=True,
        routed=True,
    )
    return service_env(context, name)


def host_port(value: str) -> tuple[str, str, int]:
    """(scheme, host, port) of ``http://host:port`` or ``host:port``."""
    scheme, _, rest = value.rpartition("://")
    host, _, port = rest.rstrip("/").rpartition(":")
    return scheme, host, int(port)


def test_every_registry_service_runs_from_the_one_image_on_its_port(
    services: dict[str, dict[str, Any]], topology: Topology
) -> None:
    for name in service_names():
        spec = services[name]
        port = topology.port(name)
        assert spec["command"] == ["python", "-m", "reference_services", name]
        assert spec["build"]["target"] == "service"
        assert spec["ports"] == [f"127.0.0.1:{port}:{port}"]
        assert spec["environment"]["HEALTHCHECK_URL"] == f"http://127.0.0.1:{port}/health/ready"


@pytest.mark.parametrize("name", service_names())
def test_service_environment_is_the_embedded_one_moved_into_containers(
    name: str, services: dict[str, dict[str, Any]], topology: Topology
) -> None:
    compose_env = dict(services[name]["environment"])
    compose_env.pop("HEALTHCHECK_URL")
    embedded = embedded_env(topology, name)
    assert set(compose_env) == set(embedded), "compose and the embedded stack disagree on keys"
    prefix = topology.service(name).env_prefix
    secrets = {
        f"{prefix}JWT_SECRET": JWT_SECRET.ref,
        f"{prefix}TEST_MODE": TEST_MODE.ref,
        "USERS_ADMIN_EMAIL": ADMIN_EMAIL.ref,
        "USERS_ADMIN_PASSWORD": ADMIN_PASSWORD.ref,
    }
    for key, value in compose_env.items():
        if key in secrets:
            assert value == secrets[key], key
        elif key == f"{prefix}HOST":
            assert value == "0.0.0.0"
        elif key == f"{prefix}PORT":
            assert value == embedded[key]
        elif key == f"{prefix}DATA_DIR":
            assert value.startswith("/")
        elif key == f"{prefix}DATABASE_URL":
            assert value.startswith("postgresql://harness:${HARNESS_POSTGRES_PASSWORD:-")
            assert value.endswith(f"@postgres:5432/{name}")
        else:  # every other value is an address the embedded stack routes via its proxy
            scheme, host, port = host_port(embedded[key])
            assert host == "127.0.0.1", key
            assert host_port(value) == (scheme, PROXY_HOST, port), f"{key}: {value}"


def test_toxiproxy_links_are_the_embedded_populate_payload(root: Path, topology: Topology) -> None:
    links = json.loads((root / proxy.LINKS_FILE).read_text())
    embedded = populate_payload(topology)
    assert [link["name"] for link in links] == [link["name"] for link in embedded]
    for ours, theirs, link in zip(links, embedded, topology.links(), strict=True):
        assert ours["listen"] == f"0.0.0.0:{link.listen_port}"
        assert host_port(str(theirs["listen"]))[2] == link.listen_port
        assert ours["upstream"] == f"{link.server}:{link.upstream_port}"
        assert host_port(str(theirs["upstream"]))[2] == link.upstream_port
        assert ours["enabled"] is True


def test_toxiproxy_loads_the_links_file_and_serves_its_api_on_loopback(
    services: dict[str, dict[str, Any]], topology: Topology
) -> None:
    spec = services[PROXY_HOST]
    api = topology.proxy_api_port
    assert spec["image"].startswith("ghcr.io/shopify/toxiproxy:")
    assert f"-port={api}" in spec["command"]
    config = next(arg.split("=", 1)[1] for arg in spec["command"] if arg.startswith("-config="))
    assert f"./{proxy.LINKS_FILE}:{config}:ro" in spec["volumes"]
    assert spec["ports"] == [f"127.0.0.1:{api}:{api}"]
    assert spec["healthcheck"]["test"][:2] == ["CMD", "/toxiproxy-cli"]


def listeners(value: str) -> dict[str, tuple[str, int]]:
    parsed = {}
    for entry in value.split(","):
        name, _, address = entry.partition("://")
        host, _, port = address.rpartition(":")
        parsed[name] = (host, int(port))
    return parsed


def test_kafka_advertises_the_kafka_link_so_clients_cannot_bypass_the_proxy(
    services: dict[str, dict[str, Any]], topology: Topology
) -> None:
    env = services[KAFKA]["environment"]
    bound = listeners(env["KAFKA_LISTENERS"])
    advertised = listeners(env["KAFKA_ADVERTISED_LISTENERS"])
    link = topology.link(KAFKA)
    behind_link = next(n for n, (_, port) in bound.items() if port == link.upstream_port)
    assert advertised[behind_link] == (PROXY_HOST, link.listen_port)
    for spec in SERVICES:
        if spec.uses_kafka:
            bootstrap = services[spec.name]["environment"][f"{spec.env_prefix}KAFKA_BOOTSTRAP"]
            assert bootstrap == f"{PROXY_HOST}:{link.listen_port}"
    open_listeners = {n for n, (host, _) in bound.items() if host == "0.0.0.0"}
    # The other open listener is for the host only: advertised and published on loopback.
    (host_only,) = open_listeners - {behind_link}
    kafka_port = topology.port(KAFKA)
    assert advertised[host_only] == ("127.0.0.1", kafka_port)
    assert services[KAFKA]["ports"] == [f"127.0.0.1:{kafka_port}:{bound[host_only][1]}"]
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert env["KAFKA_CONTROLLER_LISTENER_NAMES"] in bound
    assert env["KAFKA_INTER_BROKER_LISTENER_NAME"] in advertised


def test_services_wait_for_what_they_use_and_for_the_services_they_call(
    services: dict[str, dict[str, Any]],
) -> None:
    for spec in SERVICES:
        needs = set(services[spec.name]["depends_on"])
        assert {PROXY_HOST, "postgres"} <= needs
        assert (KAFKA in needs) == spec.uses_kafka
        assert set(spec.calls) <= needs


def test_postgres_creates_one_database_per_service(root: Path) -> None:
    script = (root / "docker/postgres/initdb/10-databases.sql").read_text()
    for name in service_names():
        assert f'CREATE DATABASE "{name}"\' WHERE NOT EXISTS' in script
        assert f"datname = '{name}')\\gexec" in script
