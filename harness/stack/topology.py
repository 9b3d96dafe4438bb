"""The one registry of services, ports and network links.

The embedded stack, the chaos experiments and docker-compose all read this module, so
the three never drift. Every network hop between two parts is a named ``Link``; the
fault proxy listens on the link's port and forwards to the server's real port.
"""

from __future__ import annotations

from dataclasses import dataclass

GATEWAY = "gateway"
KAFKA = "kafka"


@dataclass(frozen=True)
class ServiceSpec:
    """A reference service: its name, port offset and the services it calls over HTTP."""

    name: str
    offset: int
    calls: tuple[str, ...] = ()
    uses_kafka: bool = True
    # Its own Kafka link, ``<name>-kafka``, besides the shared ``kafka`` link: a fault
    # for this service's Kafka traffic alone (see ``Topology.kafka_entry_links``).
    kafka_link: bool = False

    @property
    def env_prefix(self) -> str:
        return f"{self.name.upper()}_"


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        GATEWAY,
        0,
        calls=("users", "products", "orders", "payments", "inventory", "notifications"),
        uses_kafka=False,
    ),
    ServiceSpec("users", 1),
    ServiceSpec("products", 2),
    ServiceSpec("orders", 3, calls=("users", "products")),
    ServiceSpec("payments", 4, kafka_link=True),
    ServiceSpec("inventory", 5),
    ServiceSpec("notifications", 6),
    # `harness new service` adds new services above this line.
)

KAFKA_OFFSET = 92
KAFKA_ENTRY_OFFSET = 93  # the Kafka entry proxies of services with their own Kafka link
PROXY_API_OFFSET = 474
LINK_OFFSET = 100


@dataclass(frozen=True)
class Link:
    """A named network hop: ``client`` reaches ``server`` through ``listen_port``."""

    name: str
    client: str
    server: str
    listen_port: int
    upstream_port: int


@dataclass(frozen=True)
class Topology:
    """Ports for one stack, all derived from ``port_base`` so stacks can run side by side."""

    port_base: int = 8000
    host: str = "127.0.0.1"

    def service(self, name: str) -> ServiceSpec:
        for spec in SERVICES:
            if spec.name == name:
                return spec
        known = ", ".join(s.name for s in SERVICES)
        raise KeyError(f"unknown service {name!r}; known services: {known}")

    def port(self, name: str) -> int:
        if name == KAFKA:
            return self.port_base + KAFKA_OFFSET
        return self.port_base + self.service(name).offset

    @property
    def proxy_api_port(self) -> int:
        return self.port_base + PROXY_API_OFFSET

    def links(self) -> tuple[Link, ...]:
        """Every hop, in a stable order: HTTP links first, then the shared Kafka link."""
        pairs = _http_pairs()
        links = [
            Link(
                name=f"{client}-{server}",
                client=client,
                server=server,
                listen_port=self.port_base + LINK_OFFSET + index,
                upstream_port=self.port(server),
            )
            for index, (client, server) in enumerate(pairs)
        ]
        links.append(
            Link(
                name=KAFKA,
                client="*",
                server=KAFKA,
                listen_port=self.port_base + LINK_OFFSET + len(pairs),
                upstream_port=self.port(KAFKA),
            )
        )
        return tuple(links)

    def kafka_entry_links(self) -> tuple[Link, ...]:
        """A Kafka link of its own (``payments-kafka``) per service that asks for one.

        The broker advertises one address (the ``kafka`` link), so a second link straight
        to it would be bypassed after the first metadata request. Each of these links
        ends at a Kafka entry proxy instead (``harness.stack.kafka_entry``) that
        advertises the link's own address. Not in ``links()``: in docker-compose each of
        these ends at a Kafka listener of its own instead (harness/compose/kafka.py).
        """
        first = self.port_base + LINK_OFFSET + len(_http_pairs()) + 1
        owners = [spec.name for spec in SERVICES if spec.kafka_link]
        return tuple(
            Link(
                name=f"{owner}-{KAFKA}",
                client=owner,
                server=KAFKA,
                listen_port=first + index,
                upstream_port=self.port_base + KAFKA_ENTRY_OFFSET + index,
            )
            for index, owner in enumerate(owners)
        )

    def link(self, name: str) -> Link:
        every = self.links() + self.kafka_entry_links()
        for link in every:
            if link.name == name:
                return link
        known = ", ".join(link.name for link in every)
        raise KeyError(f"unknown link {name!r}; known links: {known}")

    def all_ports(self) -> tuple[int, ...]:
        ports = [self.port(s.name) for s in SERVICES]
        ports += [self.port(KAFKA), self.proxy_api_port]
        ports += [link.listen_port for link in self.links()]
        for link in self.kafka_entry_links():
            ports += [link.listen_port, link.upstream_port]
        return tuple(ports)


def _http_pairs() -> list[tuple[str, str]]:
    return [(spec.name, callee) for spec in SERVICES for callee in spec.calls]
