"""The real Toxiproxy, with every named link of the registry created at start.

The links file is the same JSON array as the ``POST /populate`` bodies the embedded stack
sends (``harness.stack.links.populate_payload``: the registry's links, then each
service's own Kafka link): same names, same listen ports, same upstream ports; only the
hosts differ (every interface of the proxy's container, and each server's compose name).
The server reads it with ``-config`` at start; posting the same file to ``/populate``
later restores any link deleted by hand.
"""

from __future__ import annotations

import json
from typing import Any

from harness.compose import images
from harness.compose.health import healthcheck
from harness.compose.network import ANY_HOST, proxy_links, published, upstream
from harness.stack.topology import Topology

LINKS_FILE = "docker/toxiproxy/links.json"
CONFIG_PATH = "/config/links.json"


def links_config(topology: Topology) -> list[dict[str, object]]:
    return [
        {
            "name": link.name,
            "listen": f"{ANY_HOST}:{link.listen_port}",
            "upstream": str(upstream(link)),
            "enabled": True,
        }
        for link in proxy_links(topology)
    ]


def links_json(topology: Topology) -> str:
    return json.dumps(links_config(topology), indent=2) + "\n"


def service(topology: Topology) -> dict[str, Any]:
    api = topology.proxy_api_port
    # The image is FROM scratch (no shell, no curl) but ships its CLI. Inspecting the
    # last link proves the API answers and the whole links file was loaded.
    last = proxy_links(topology)[-1].name
    probe = ["/toxiproxy-cli", "--host", f"http://127.0.0.1:{api}", "inspect", last]
    return {
        "image": images.TOXIPROXY,
        "command": [f"-host={ANY_HOST}", f"-port={api}", f"-config={CONFIG_PATH}"],
        "ports": [published(api)],
        "volumes": [f"./{LINKS_FILE}:{CONFIG_PATH}:ro"],
        "healthcheck": healthcheck(probe, interval="5s", timeout="5s", start_period="5s"),
    }
