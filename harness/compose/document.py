"""The whole compose document: infrastructure, the services, the profiles, the volumes."""

from __future__ import annotations

from typing import Any

from harness.compose import kafka, postgres, profiles, proxy, services
from harness.compose.network import POSTGRES, PROXY
from harness.stack.topology import KAFKA, Topology

PROJECT = "contract-harness"


def compose(topology: Topology, *, locust_image: str) -> dict[str, Any]:
    """``docker-compose.yml`` as data; ``locust_image`` comes from constraints.txt."""
    return {
        "name": PROJECT,
        "services": {
            KAFKA: kafka.service(topology),
            PROXY: proxy.service(topology),
            POSTGRES: postgres.service(),
            **services.reference_services(topology),
            services.HARNESS: services.harness(),
            profiles.LOCUST_MASTER: profiles.locust_master(topology, locust_image),
            profiles.LOCUST_WORKER: profiles.locust_worker(locust_image),
            profiles.PACT_BROKER_DB: profiles.pact_broker_db(),
            profiles.PACT_BROKER: profiles.pact_broker(),
            profiles.REPORT_SERVER: profiles.report_server(),
        },
        "volumes": {
            kafka.VOLUME: {},
            postgres.VOLUME: {},
            profiles.PACT_BROKER_VOLUME: {},
        },
    }
