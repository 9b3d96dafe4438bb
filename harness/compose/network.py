"""Names and addresses on the compose network.

Every registry name (a reference service, ``kafka``) is also its compose service name
and so its DNS name on the compose network. Clients reach a server through its
Toxiproxy link: ``toxiproxy:<link listen port>``, the same port the embedded stack's
fault proxy listens on, so ports read the same in both stacks.

Toxiproxy carries every link of the registry: ``Topology.links()`` and each service's own
Kafka link (``Topology.kafka_entry_links()``, e.g. ``payments-kafka``). The embedded stack
ends such a link at a Kafka entry proxy; compose ends it at a Kafka listener of its own
(``harness.compose.kafka``), on the same port, so the link's upstream port is the same too.
"""

from __future__ import annotations

from harness.stack.links import Address
from harness.stack.topology import Link, Topology

PROXY = "toxiproxy"
POSTGRES = "postgres"
ANY_HOST = "0.0.0.0"  # servers inside containers listen on every interface...
LOOPBACK = "127.0.0.1"  # ...and the host sees published ports on loopback only


def host_of(name: str) -> str:
    """The compose service (and DNS) name of a registry name."""
    return name


def proxy_links(topology: Topology) -> tuple[Link, ...]:
    """Every link Toxiproxy carries, in the links file's order: the shared links, then
    each service's own Kafka link."""
    return topology.links() + topology.kafka_entry_links()


def proxied(link: Link) -> Address:
    """Where a link's client connects: the link's listener on the Toxiproxy container."""
    return Address(PROXY, link.listen_port)


def upstream(link: Link) -> Address:
    """Where Toxiproxy forwards a link: the server's own port on its container."""
    return Address(host_of(link.server), link.upstream_port)


def published(host_port: int, container_port: int | None = None) -> str:
    """A port mapping that only the host's loopback interface can reach."""
    return f"{LOOPBACK}:{host_port}:{container_port or host_port}"


def http(address: Address) -> str:
    return f"http://{address}"
