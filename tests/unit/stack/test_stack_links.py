"""The link registry's wiring: direct vs routed addresses, env names, /populate body."""

from __future__ import annotations

from harness.stack.links import (
    dependency_env,
    dependency_url,
    kafka_address,
    link_address,
    populate_payload,
)
from harness.stack.topology import Topology

TOPOLOGY = Topology(port_base=9000)


def test_direct_dependency_url_is_the_servers_own_port() -> None:
    assert dependency_url(TOPOLOGY, "orders", "users", routed=False) == "http://127.0.0.1:9001"


def test_routed_dependency_url_is_the_links_proxy_listener() -> None:
    link = TOPOLOGY.link("orders-users")
    url = dependency_url(TOPOLOGY, "orders", "users", routed=True)
    assert url == f"http://127.0.0.1:{link.listen_port}"
    assert link.listen_port != TOPOLOGY.port("users")


def test_kafka_address_follows_the_same_switch() -> None:
    assert str(kafka_address(TOPOLOGY, routed=False)) == "127.0.0.1:9092"
    kafka_link = TOPOLOGY.link("kafka")
    assert kafka_address(TOPOLOGY, routed=True).port == kafka_link.listen_port


def test_every_link_resolves_both_ways() -> None:
    for link in TOPOLOGY.links():
        assert link_address(TOPOLOGY, link, routed=False).port == link.upstream_port
        assert link_address(TOPOLOGY, link, routed=True).port == link.listen_port


def test_dependency_env_names_follow_the_runtime_contract() -> None:
    env = dependency_env(TOPOLOGY, "orders", routed=False)
    assert env == {
        "ORDERS_USERS_URL": "http://127.0.0.1:9001",
        "ORDERS_PRODUCTS_URL": "http://127.0.0.1:9002",
    }
    gateway = dependency_env(TOPOLOGY, "gateway", routed=False)
    assert set(gateway) == {
        f"GATEWAY_{name.upper()}_URL"
        for name in ("users", "products", "orders", "payments", "inventory", "notifications")
    }
    assert dependency_env(TOPOLOGY, "payments", routed=True) == {}


def test_populate_payload_has_one_enabled_proxy_per_link() -> None:
    payload = populate_payload(TOPOLOGY)
    assert [p["name"] for p in payload] == [link.name for link in TOPOLOGY.links()]
    kafka = next(p for p in payload if p["name"] == "kafka")
    assert kafka == {
        "name": "kafka",
        "listen": f"127.0.0.1:{TOPOLOGY.link('kafka').listen_port}",
        "upstream": "127.0.0.1:9092",
        "enabled": True,
    }
    listens = [p["listen"] for p in payload]
    assert len(set(listens)) == len(listens)
    assert all(set(p) == {"name", "listen", "upstream", "enabled"} for p in payload)
