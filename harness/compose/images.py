"""The images the stack runs: third-party images pinned to exact versions, and the
project's own image (the Dockerfile at the root) in its two build targets."""

from __future__ import annotations

import re
from typing import Any

from harness.errors import ConfigError

KAFKA = "apache/kafka:4.1.1"
TOXIPROXY = "ghcr.io/shopify/toxiproxy:2.12.0"
POSTGRES = "postgres:17.6-alpine"
PACT_BROKER = "pactfoundation/pact-broker:2.141.0-pactbroker2.119.0"
LOCUST_REPOSITORY = "locustio/locust"

# The Dockerfile's targets: every reference service and the gateway run `service`; the
# one-shot harness container runs `harness` (the service image plus the harness's
# files, Node.js and the Allure command line).
SERVICE_TARGET = "service"
HARNESS_TARGET = "harness"
LOCAL_IMAGES = {
    SERVICE_TARGET: "contract-harness-service:local",
    HARNESS_TARGET: "contract-harness:local",
}

_PINNED_LOCUST = re.compile(r"^locust==(\S+)\s*$", re.MULTILINE)


def built(target: str) -> dict[str, Any]:
    """``build`` and ``image`` for a service that runs the project's own image."""
    return {
        "build": {"context": ".", "dockerfile": "Dockerfile", "target": target},
        "image": LOCAL_IMAGES[target],
    }


def locust(constraints: str) -> str:
    """The Locust image of the version constraints.txt pins, so the load profile runs
    the same Locust as `harness load`."""
    match = _PINNED_LOCUST.search(constraints)
    if match is None:
        raise ConfigError("constraints.txt pins no locust==VERSION; the load profile needs one")
    return f"{LOCUST_REPOSITORY}:{match.group(1)}"
