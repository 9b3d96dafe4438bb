"""Kafka entry proxies: a Kafka link of its own for a service (``payments-kafka``).

Kafka clients connect to whatever the broker advertises, and Tansu advertises one
address: the shared ``kafka`` link. A service's own link therefore ends at a Kafka
entry proxy, Tansu's ``proxy`` command (same binary as the broker), which forwards the
Kafka protocol to the broker and advertises the link's address in its metadata::

    payments -> payments-kafka link (fault proxy) -> entry proxy -> broker

so every connection payments opens, before and after bootstrap, crosses the link, and a
fault on it touches payments alone. The link sits before the entry proxy, not after it:
Tansu 0.6's proxy keeps one connection to its origin and never reopens it, so faults
must only ever cut client connections (the link's), and the entry proxy is restarted
whenever the broker is (``EmbeddedStack.start_broker``).
"""

from __future__ import annotations

from collections.abc import Sequence

import httpx

from harness.errors import StackError
from harness.stack.links import Address, kafka_address, link_address
from harness.stack.probes import KafkaProbe
from harness.stack.process import ProcessSpec
from harness.stack.topology import KAFKA, Link, Topology

KAFKA_ENTRY = "kafka-entry"  # the process kind


def entry_spec(topology: Topology, link: Link, broker_bin: str) -> ProcessSpec:
    """The entry proxy behind ``link``: listens on the link's upstream port."""
    host = topology.host
    argv = (
        broker_bin,
        "proxy",
        "--listener-url",
        f"tcp://{host}:{link.upstream_port}",
        "--advertised-listener-url",
        f"tcp://{link_address(topology, link, routed=True)}",
        "--origin-url",
        f"tcp://{host}:{topology.port(KAFKA)}",
    )
    return ProcessSpec(
        name=f"{link.name}-entry",
        argv=argv,
        probe=KafkaProbe(host, link.upstream_port),
        url=f"{host}:{link.upstream_port}",
        kind=KAFKA_ENTRY,
    )


def entry_specs(topology: Topology, broker_bin: str) -> list[ProcessSpec]:
    return [entry_spec(topology, link, broker_bin) for link in topology.kafka_entry_links()]


def kafka_bootstrap(topology: Topology, service: str, *, routed: bool, entries: bool) -> Address:
    """Where ``service`` bootstraps: its own Kafka link when it has one and the stack runs
    entry proxies (``entries``), else the shared ``kafka`` link (or the broker, direct)."""
    if routed and entries:
        for link in topology.kafka_entry_links():
            if link.client == service:
                return link_address(topology, link, routed=True)
    return kafka_address(topology, routed=routed)


def set_links_enabled(api_url: str, links: Sequence[Link], *, enabled: bool) -> None:
    """Enable or disable links on the fault proxy (the Toxiproxy API).

    While the broker restarts, its entry links are disabled, so clients are refused
    (as by a stopped broker) instead of reaching an entry proxy without its origin,
    which accepts connections and closes them unanswered.
    """
    for link in links:
        try:
            response = httpx.post(
                f"{api_url}/proxies/{link.name}",
                json={"enabled": enabled},
                timeout=10,
                trust_env=False,
            )
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise StackError(f"fault proxy at {api_url}: cannot switch {link.name}: {exc}") from exc
