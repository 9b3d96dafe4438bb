"""Names and addresses on the compose network.

Every registry name (a reference service, ``kafka``) is also its compose service name
and so its DNS name on the compose network. Clients reach a server through its
Toxiproxy link: ``toxiproxy:<link listen port>``, the same port the embedded stack's
fault proxy listens on, so ports read the same in both stacks.
"""

from __future__ import annotations

from harness.stack.links import Address
from harness.stack.topology import Link

PROXY = "toxiproxy"
POSTGRES = "postgres"
ANY_HOST = "0.0.0.0"  # servers inside containers listen on every interface...
LOOPBACK = "127.0.0.1"  # ...and the host sees published ports on loopback only


def host_of(name: str) -> str:
    """The compose service (and DNS) name of a registry name."""
    return name


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
