"""docker-compose.yml against the stack registry: the same services, ports, links and
environment as the embedded stack routed through its fault proxy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.compose import kafka, proxy
from harness.compose.variables import ADMIN_EMAIL, ADMIN_PASSWORD, JWT_SECRET, TEST_MODE
from harness.errors import ConfigError
from harness.stack.links import populate_payload, service_names
from harness.stack.specs import ServiceContext, service_env
from harness.stack.state import Secrets
from harness.stack.topology import KAFKA, SERVICES, Link, ServiceSpec, Topology

PROXY_HOST = "toxiproxy"


def embedded_env(topology: Topology, name: str) -> dict[str, str]:
    context = ServiceContext(
        topology=topology,
        secrets=Secrets("s" * 32, "admin@example.com", "pw"),
        data_dir=Path("/tmp/data"),
        database_urls={n: f"postgresql://u@127.0.0.1:5432/{n}" for n in service_names()},
        test_mode=True,
        routed=True,
        kafka_entries=True,  # as the embedded stack runs when routed
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
    """The shared links and each service's own Kafka link, as the embedded stack
    populates its fault proxy (the latter in front of its Kafka entry proxies)."""
    links = json.loads((root / proxy.LINKS_FILE).read_text())
    own = topology.kafka_entry_links()
    assert own, "the registry has no service with its own Kafka link to check"
    embedded = populate_payload(topology) + populate_payload(topology, own)
    assert [link["name"] for link in links] == [link["name"] for link in embedded]
    every = topology.links() + own
    for ours, theirs, link in zip(links, embedded, every, strict=True):
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


def kafka_links(topology: Topology) -> dict[str, Link]:
    """Kafka-using service -> the link it reaches Kafka through: its own, else ``kafka``."""
    own = {link.client: link for link in topology.kafka_entry_links()}
    return {
        spec.name: own.get(spec.name, topology.link(KAFKA)) for spec in SERVICES if spec.uses_kafka
    }


def test_every_kafka_link_ends_at_a_listener_that_advertises_that_link(
    services: dict[str, dict[str, Any]], topology: Topology
) -> None:
    """Clients reconnect to the advertised address, so a listener behind a link must
    advertise that link again, or clients bypass the proxy (and its faults)."""
    env = services[KAFKA]["environment"]
    bound = listeners(env["KAFKA_LISTENERS"])
    advertised = listeners(env["KAFKA_ADVERTISED_LISTENERS"])
    for link in (topology.link(KAFKA), *topology.kafka_entry_links()):
        (behind,) = [n for n, (host, port) in bound.items() if port == link.upstream_port]
        assert bound[behind][0] == "0.0.0.0", f"{link.name}: other containers must reach it"
        assert advertised[behind] == (PROXY_HOST, link.listen_port), link.name
    (payments,) = [link for link in topology.kafka_entry_links() if link.client == "payments"]
    assert advertised["PAYMENTS"] == (PROXY_HOST, payments.listen_port)
    assert bound["PAYMENTS"] == ("0.0.0.0", payments.upstream_port)


def test_each_service_bootstraps_from_its_own_kafka_link_or_the_shared_one(
    services: dict[str, dict[str, Any]], topology: Topology
) -> None:
    for name, link in kafka_links(topology).items():
        prefix = topology.service(name).env_prefix
        bootstrap = services[name]["environment"][f"{prefix}KAFKA_BOOTSTRAP"]
        assert bootstrap == f"{PROXY_HOST}:{link.listen_port}", name
    assert kafka_links(topology)["payments"].name == "payments-kafka"
    assert kafka_links(topology)["orders"].name == KAFKA


def test_kafka_listeners_follow_the_kraft_settings_of_the_official_image(
    services: dict[str, dict[str, Any]], topology: Topology
) -> None:
    env = services[KAFKA]["environment"]
    bound = listeners(env["KAFKA_LISTENERS"])
    advertised = listeners(env["KAFKA_ADVERTISED_LISTENERS"])
    protocols = dict(
        entry.split(":") for entry in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(",")
    )
    names = [entry.partition("://")[0] for entry in env["KAFKA_LISTENERS"].split(",")]
    assert len(names) == len(set(names)), "a listener name twice"
    assert len({port for _, port in bound.values()}) == len(bound), "two listeners on one port"
    assert set(protocols) == set(bound) and set(protocols.values()) == {"PLAINTEXT"}
    controller = env["KAFKA_CONTROLLER_LISTENER_NAMES"]
    assert controller in bound and controller not in advertised  # the quorum only
    assert set(advertised) == set(bound) - {controller}
    assert env["KAFKA_INTER_BROKER_LISTENER_NAME"] in advertised
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert (
        env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == f"1@{bound[controller][0]}:{bound[controller][1]}"
    )


def test_the_only_listener_that_skips_the_proxy_is_the_hosts_on_loopback(
    services: dict[str, dict[str, Any]], topology: Topology
) -> None:
    env = services[KAFKA]["environment"]
    bound = listeners(env["KAFKA_LISTENERS"])
    advertised = listeners(env["KAFKA_ADVERTISED_LISTENERS"])
    behind_links = {n for n, addr in advertised.items() if addr[0] == PROXY_HOST}
    open_listeners = {n for n, (host, _) in bound.items() if host == "0.0.0.0"}
    assert len(behind_links) == 1 + len(topology.kafka_entry_links())
    (host_only,) = open_listeners - behind_links
    kafka_port = topology.port(KAFKA)
    assert advertised[host_only] == ("127.0.0.1", kafka_port)
    assert services[KAFKA]["ports"] == [f"127.0.0.1:{kafka_port}:{bound[host_only][1]}"]


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


def test_a_service_whose_kafka_listener_name_is_taken_is_refused_with_the_fix(
    monkeypatch: pytest.MonkeyPatch, topology: Topology
) -> None:
    clash = ServiceSpec("local", 9, kafka_link=True)  # its listener would be LOCAL
    monkeypatch.setattr("harness.stack.topology.SERVICES", (*SERVICES, clash))
    with pytest.raises(ConfigError, match=r"'local' has its own Kafka link.*LOCAL.*rename"):
        kafka.listeners(topology)
