"""payments' own Kafka link in the registry, and the entry proxy that keeps clients on it
(the pure part: ports, argv, environment)."""

from __future__ import annotations

from pathlib import Path

from harness.stack.kafka_entry import KAFKA_ENTRY, entry_spec, entry_specs, kafka_bootstrap
from harness.stack.links import populate_payload
from harness.stack.specs import ServiceContext, generate_secrets, service_env
from harness.stack.topology import KAFKA, Topology

TOPOLOGY = Topology(port_base=9000)


def context(*, routed: bool, entries: bool) -> ServiceContext:
    return ServiceContext(
        topology=TOPOLOGY,
        secrets=generate_secrets(),
        data_dir=Path("/state/data"),
        database_urls={},
        test_mode=False,
        routed=routed,
        kafka_entries=entries,
    )


def test_payments_has_a_kafka_link_of_its_own_on_ports_of_its_own() -> None:
    (link,) = TOPOLOGY.kafka_entry_links()
    assert (link.name, link.client, link.server) == ("payments-kafka", "payments", KAFKA)
    assert TOPOLOGY.link("payments-kafka") == link
    assert link.name not in [shared.name for shared in TOPOLOGY.links()]  # own, not shared
    ports = TOPOLOGY.all_ports()
    assert len(ports) == len(set(ports))
    assert {link.listen_port, link.upstream_port} <= set(ports)
    payload = populate_payload(TOPOLOGY, [link])
    assert payload == [
        {
            "name": "payments-kafka",
            "listen": f"127.0.0.1:{link.listen_port}",
            "upstream": f"127.0.0.1:{link.upstream_port}",
            "enabled": True,
        }
    ]


def test_the_entry_proxy_advertises_the_link_and_forwards_to_the_broker() -> None:
    (link,) = TOPOLOGY.kafka_entry_links()
    spec = entry_spec(TOPOLOGY, link, "/bin/tansu")
    assert spec.argv == (
        "/bin/tansu",
        "proxy",
        "--listener-url",
        f"tcp://127.0.0.1:{link.upstream_port}",
        "--advertised-listener-url",
        f"tcp://127.0.0.1:{link.listen_port}",
        "--origin-url",
        f"tcp://127.0.0.1:{TOPOLOGY.port(KAFKA)}",
    )
    assert spec.kind == KAFKA_ENTRY and spec.name == "payments-kafka-entry"
    assert [s.name for s in entry_specs(TOPOLOGY, "/bin/tansu")] == [spec.name]


def test_payments_bootstraps_at_its_link_only_where_entry_proxies_run() -> None:
    (link,) = TOPOLOGY.kafka_entry_links()
    shared = TOPOLOGY.link(KAFKA)
    embedded = service_env(context(routed=True, entries=True), "payments")
    assert embedded["PAYMENTS_KAFKA_BOOTSTRAP"] == f"127.0.0.1:{link.listen_port}"
    others = service_env(context(routed=True, entries=True), "orders")
    assert others["ORDERS_KAFKA_BOOTSTRAP"] == f"127.0.0.1:{shared.listen_port}"
    compose_like = service_env(context(routed=True, entries=False), "payments")
    assert compose_like["PAYMENTS_KAFKA_BOOTSTRAP"] == f"127.0.0.1:{shared.listen_port}"
    direct = kafka_bootstrap(TOPOLOGY, "payments", routed=False, entries=True)
    assert str(direct) == f"127.0.0.1:{TOPOLOGY.port(KAFKA)}"
