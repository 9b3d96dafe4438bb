"""The reference services, the gateway, and the harness as a one-shot container."""

from __future__ import annotations

from typing import Any

from harness.compose import images
from harness.compose.environment import service_environment
from harness.compose.health import after_healthy, healthcheck
from harness.compose.network import POSTGRES, PROXY, host_of, published
from harness.compose.variables import ADMIN_EMAIL, ADMIN_PASSWORD, HARNESS_GID, HARNESS_UID
from harness.stack.links import service_names
from harness.stack.topology import GATEWAY, KAFKA, Topology

HARNESS = "harness"
HARNESS_PROFILE = "harness"


def dependencies(topology: Topology, name: str) -> list[str]:
    """What a service needs up and healthy first: the proxy its links go through, its
    database, the broker when it uses Kafka, and each service it calls."""
    spec = topology.service(name)
    needs = [PROXY, POSTGRES, *([KAFKA] if spec.uses_kafka else [])]
    return needs + [host_of(callee) for callee in spec.calls]


def reference_service(topology: Topology, name: str) -> dict[str, Any]:
    """One registry service, run exactly as docs/runtime-contract.md describes."""
    port = topology.port(name)
    return {
        **images.built(images.SERVICE_TARGET),
        "command": ["python", "-m", "reference_services", name],
        "environment": service_environment(topology, name),
        "ports": [published(port)],
        "depends_on": after_healthy(dependencies(topology, name)),
        # The test is the image's HEALTHCHECK: GET $HEALTHCHECK_URL (/health/ready).
        "healthcheck": healthcheck(start_period="20s"),
        "restart": "unless-stopped",
    }


def reference_services(topology: Topology) -> dict[str, dict[str, Any]]:
    return {host_of(name): reference_service(topology, name) for name in service_names()}


def harness() -> dict[str, Any]:
    """``docker compose run --rm harness run [SUITE...]``: the CLI inside the compose
    network. Its image's targets/compose.yaml names the services by their compose
    names, and its entrypoint adds ``--target compose`` where a command takes one."""
    return {
        **images.built(images.HARNESS_TARGET),
        "profiles": [HARNESS_PROFILE],
        "command": ["run"],
        "environment": {
            ADMIN_EMAIL.name: ADMIN_EMAIL.ref,
            ADMIN_PASSWORD.name: ADMIN_PASSWORD.ref,
            "HOME": "/tmp",  # the user below need not exist in the image
        },
        "user": f"{HARNESS_UID.ref}:{HARNESS_GID.ref}",
        "volumes": ["./reports:/app/reports", "./contracts/pacts:/app/contracts/pacts"],
        "depends_on": after_healthy([PROXY, host_of(GATEWAY)]),
    }
