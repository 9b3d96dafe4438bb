"""Where each client reaches its dependencies: directly, or through the fault proxy.

Every address a process is given (a service's ``{P}<DEP>_URL``, the Kafka bootstrap
and the broker's advertised listener) comes from ``link_address``, so switching the
whole stack between direct links and proxied links is the single ``routed`` flag.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from harness.errors import StackError
from harness.stack.topology import KAFKA, SERVICES, Link, Topology

PROXY_HOST = "127.0.0.1"


@dataclass(frozen=True)
class Address:
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


def link_address(topology: Topology, link: Link, *, routed: bool) -> Address:
    """The address a link's client connects to.

    Routed: the fault proxy's listener for this link. Direct: the server's own port.
    """
    if routed:
        return Address(PROXY_HOST, link.listen_port)
    return Address(topology.host, link.upstream_port)


def dependency_url(topology: Topology, client: str, server: str, *, routed: bool) -> str:
    """Base URL ``client`` uses to call ``server`` over HTTP."""
    link = topology.link(f"{client}-{server}")
    return f"http://{link_address(topology, link, routed=routed)}"


def kafka_address(topology: Topology, *, routed: bool) -> Address:
    """What clients bootstrap from, and what the broker must advertise.

    They are the same address: Kafka clients reconnect to the advertised listener after
    their first metadata request, so advertising the broker's own port while clients
    bootstrap through the proxy would let them bypass the proxy.
    """
    return link_address(topology, topology.link(KAFKA), routed=routed)


def dependency_env(topology: Topology, client: str, *, routed: bool) -> dict[str, str]:
    """``{P}<DEP>_URL`` for each HTTP dependency of ``client`` (docs/runtime-contract.md)."""
    spec = topology.service(client)
    return {
        f"{spec.env_prefix}{server.upper()}_URL": dependency_url(
            topology, client, server, routed=routed
        )
        for server in spec.calls
    }


def populate_payload(
    topology: Topology, links: Sequence[Link] | None = None
) -> list[dict[str, object]]:
    """Body for the Toxiproxy ``POST /populate`` call that creates each link's proxy
    (every registry link unless ``links`` are given)."""
    return [
        {
            "name": link.name,
            "listen": f"{PROXY_HOST}:{link.listen_port}",
            "upstream": f"{topology.host}:{link.upstream_port}",
            "enabled": True,
        }
        for link in (topology.links() if links is None else links)
    ]


def populate_links(api_url: str, topology: Topology, links: Sequence[Link] | None = None) -> None:
    """Create the links on a Toxiproxy API (chaos.proxy or the real server)."""
    body = populate_payload(topology, links)
    try:
        response = httpx.post(f"{api_url}/populate", json=body, timeout=10, trust_env=False)
    except httpx.HTTPError as exc:
        raise StackError(f"fault proxy at {api_url} did not answer /populate: {exc}") from exc
    if response.status_code not in (200, 201):
        raise StackError(
            f"fault proxy at {api_url} refused the links ({response.status_code}): "
            f"{response.text[:300]}"
        )


def service_names() -> tuple[str, ...]:
    """Every reference service in the registry, in start order (the gateway first)."""
    return tuple(spec.name for spec in SERVICES)
