"""Target files for ``--target compose`` (format: harness/target.py).

Two views of the same stack. ``targets/compose.yaml`` is what the host sees: the
published ports on 127.0.0.1, the real Toxiproxy API, Kafka through its HOST listener.
``targets/compose.network.yaml`` is what a container on the compose network sees: the
services by their compose names; the harness image installs it as its
``targets/compose.yaml``, so ``--target compose`` means the stack in both places.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from harness.compose.comments import GENERATED
from harness.compose.network import LOOPBACK, PROXY, host_of, http
from harness.compose.render import to_yaml
from harness.compose.variables import ADMIN_EMAIL, ADMIN_PASSWORD
from harness.stack.links import Address, service_names
from harness.stack.topology import GATEWAY, KAFKA, Topology

HOST_VIEW = "targets/compose.yaml"
NETWORK_VIEW = "targets/compose.network.yaml"


def _target(topology: Topology, host: Callable[[str], str]) -> dict[str, Any]:
    """``host(name)``: the host a registry name is reached at in this view."""

    def url(name: str) -> str:
        return http(Address(host(name), topology.port(name)))

    return {
        "name": "compose",
        "gateway": url(GATEWAY),
        "services": {name: url(name) for name in service_names() if name != GATEWAY},
        "kafka": str(Address(host(KAFKA), topology.port(KAFKA))),
        "toxiproxy": http(Address(host(PROXY), topology.proxy_api_port)),
        "contracts": {
            "openapi": "../contracts/openapi",
            "asyncapi": "../contracts/asyncapi/events.yaml",
            "pacts": "../contracts/pacts",
        },
        # ${VAR} is read from the environment when the target loads: the same variables
        # docker-compose.yml passes to the services (.env.example has their defaults).
        "auth": {
            "admin_email": f"${{{ADMIN_EMAIL.name}}}",
            "admin_password": f"${{{ADMIN_PASSWORD.name}}}",
        },
        "test_mode": True,
    }


def host_view(topology: Topology) -> dict[str, Any]:
    return _target(topology, lambda name: LOOPBACK)


def network_view(topology: Topology) -> dict[str, Any]:
    return _target(topology, host_of)


HOST_NOTES = (
    "The compose stack (docker-compose.yml) seen from the host: published ports on",
    "127.0.0.1. Set HARNESS_ADMIN_EMAIL and HARNESS_ADMIN_PASSWORD first, e.g.",
    "`set -a; . ./.env.example; set +a` (or your .env).",
)
NETWORK_NOTES = (
    "The compose stack seen from a container on its network (compose service names).",
    "The harness image installs this file as its targets/compose.yaml.",
)


def render(document: dict[str, Any], notes: tuple[str, ...]) -> str:
    return to_yaml(document, header=(*GENERATED, "", *notes))
