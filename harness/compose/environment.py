"""Each reference service's environment in compose, derived from the embedded stack's.

``harness.stack.specs.service_env`` (routed through the fault proxy) is the one source
of every variable a service gets. Compose changes only what a container needs:

- ``{P}HOST``: every interface, since the other containers call in over the network;
- every proxied address ``127.0.0.1:<link port>`` becomes ``toxiproxy:<link port>``
  (the same link, now the Toxiproxy container), a service's own Kafka link included
  (payments bootstraps from ``payments-kafka``, as in the embedded stack);
- the database URL names the service's own PostgreSQL database;
- secrets and test mode are compose interpolations (``variables``), never literals.
"""

from __future__ import annotations

from pathlib import Path

from harness.compose import postgres
from harness.compose.network import ANY_HOST, proxied, proxy_links
from harness.compose.variables import ADMIN_EMAIL, ADMIN_PASSWORD, JWT_SECRET, TEST_MODE
from harness.stack.links import link_address, service_names
from harness.stack.specs import READY_PATH, ServiceContext, service_env
from harness.stack.state import Secrets
from harness.stack.topology import Topology

DATA_DIR = Path("/data")  # owned by the image's user; unused while a database URL is set
HEALTHCHECK_URL = "HEALTHCHECK_URL"  # read by docker/healthcheck.py, the image's HEALTHCHECK


def compose_context(topology: Topology) -> ServiceContext:
    return ServiceContext(
        topology=topology,
        secrets=Secrets(
            jwt_secret=JWT_SECRET.ref,
            admin_email=ADMIN_EMAIL.ref,
            admin_password=ADMIN_PASSWORD.ref,
        ),
        data_dir=DATA_DIR,
        database_urls={name: postgres.database_url(name) for name in service_names()},
        test_mode=True,
        routed=True,
        # Each service's own Kafka link ends at a Kafka listener of its own here
        # (harness.compose.kafka) instead of an entry proxy: bootstrap there.
        kafka_entries=True,
    )


def relocations(topology: Topology) -> dict[str, str]:
    """Each address the embedded stack routes through its fault proxy -> the same link
    on the Toxiproxy container."""
    moved: dict[str, str] = {}
    for link in proxy_links(topology):
        before, after = str(link_address(topology, link, routed=True)), str(proxied(link))
        moved[before] = after
        moved[f"http://{before}"] = f"http://{after}"
    return moved


def service_environment(topology: Topology, name: str) -> dict[str, str]:
    spec = topology.service(name)
    moved = relocations(topology)
    env = {
        key: moved.get(value, value)
        for key, value in service_env(compose_context(topology), name).items()
    }
    env[f"{spec.env_prefix}HOST"] = ANY_HOST
    env[f"{spec.env_prefix}TEST_MODE"] = TEST_MODE.ref
    env[HEALTHCHECK_URL] = f"http://127.0.0.1:{topology.port(name)}{READY_PATH}"
    return env
