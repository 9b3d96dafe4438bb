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
    ServiceSpec("payments", 4),
    ServiceSpec("inventory", 5),
    ServiceSpec("notifications", 6),
    # `harness new service` adds new services above this line.
)

KAFKA_OFFSET = 92
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
        pairs = [(spec.name, callee) for spec in SERVICES for callee in spec.calls]
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

    def link(self, name: str) -> Link:
        for link in self.links():
            if link.name == name:
                return link
        known = ", ".join(link.name for link in self.links())
        raise KeyError(f"unknown link {name!r}; known links: {known}")

    def all_ports(self) -> tuple[int, ...]:
        ports = [self.port(s.name) for s in SERVICES]
        ports += [self.port(KAFKA), self.proxy_api_port]
        ports += [link.listen_port for link in self.links()]
        return tuple(ports)
