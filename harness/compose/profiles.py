"""Optional parts, each behind a compose profile: ``load`` (Locust master with its web UI
and scalable workers), ``broker`` (a Pact Broker with its own database) and ``report``
(a static server for the Allure HTML report)."""

from __future__ import annotations

from typing import Any

from harness.compose import images, postgres
from harness.compose.health import after_healthy, healthcheck
from harness.compose.network import ANY_HOST, host_of, http, published
from harness.compose.variables import (
    BROKER_DB_PASSWORD,
    BROKER_PASSWORD,
    BROKER_USERNAME,
    LOAD_SHAPE,
)
from harness.stack.links import Address
from harness.stack.topology import GATEWAY, Topology

LOAD, BROKER, REPORT = "load", "broker", "report"

LOCUST_MASTER, LOCUST_WORKER = "locust-master", "locust-worker"
LOCUST_UI_PORT = 8089
LOCUST_MOUNT = "/mnt/locust"
LOCUSTFILE = f"{LOCUST_MOUNT}/loadtests/locustfile.py"

PACT_BROKER, PACT_BROKER_DB = "pact-broker", "pact-broker-db"
PACT_BROKER_PORT = 9292
PACT_BROKER_DB_NAME = "pact_broker"
PACT_BROKER_VOLUME = "pact-broker-db-data"

REPORT_SERVER = "report"
REPORT_PORT = 8080


def _answers(port: int) -> list[str]:
    """A probe that passes on any HTTP answer from the container's own port."""
    script = (
        'import http.client; c = http.client.HTTPConnection("127.0.0.1", '
        f'{port}, timeout=4); c.request("GET", "/"); c.getresponse()'
    )
    return ["python", "-c", script]


def _locust(image: str, role: list[str]) -> dict[str, Any]:
    # loadtests/ is mounted as a package (its locustfile imports loadtests.journeys).
    return {
        "image": image,
        "profiles": [LOAD],
        "command": ["-f", LOCUSTFILE, *role],
        "environment": {"PYTHONPATH": LOCUST_MOUNT},
        "volumes": [f"./loadtests:{LOCUST_MOUNT}/loadtests:ro"],
        "depends_on": after_healthy([host_of(GATEWAY)]),
    }


def locust_master(topology: Topology, image: str) -> dict[str, Any]:
    gateway = http(Address(host_of(GATEWAY), topology.port(GATEWAY)))
    spec = _locust(image, ["--master", "--host", gateway])
    spec["environment"][LOAD_SHAPE.name] = LOAD_SHAPE.ref
    spec["ports"] = [published(LOCUST_UI_PORT)]
    spec["healthcheck"] = healthcheck(_answers(LOCUST_UI_PORT))
    return spec


def locust_worker(image: str) -> dict[str, Any]:
    """Scale with ``docker compose --profile load up --scale locust-worker=N``."""
    spec = _locust(image, ["--worker", "--master-host", LOCUST_MASTER])
    spec["depends_on"].update(after_healthy([LOCUST_MASTER]))
    return spec


def pact_broker_db() -> dict[str, Any]:
    spec = postgres.server(
        user=PACT_BROKER_DB_NAME,
        database=PACT_BROKER_DB_NAME,
        password=BROKER_DB_PASSWORD,
        volume=PACT_BROKER_VOLUME,
    )
    return {**spec, "profiles": [BROKER]}


def pact_broker() -> dict[str, Any]:
    port = PACT_BROKER_PORT
    database = (
        f"postgres://{PACT_BROKER_DB_NAME}:{BROKER_DB_PASSWORD.ref}@{PACT_BROKER_DB}"
        f":{postgres.PORT}/{PACT_BROKER_DB_NAME}"
    )
    heartbeat = f"http://127.0.0.1:{port}/diagnostic/status/heartbeat"
    return {
        "image": images.PACT_BROKER,
        "profiles": [BROKER],
        "environment": {
            "PACT_BROKER_PORT": str(port),
            "PACT_BROKER_DATABASE_URL": database,
            "PACT_BROKER_BASIC_AUTH_USERNAME": BROKER_USERNAME.ref,
            "PACT_BROKER_BASIC_AUTH_PASSWORD": BROKER_PASSWORD.ref,
            "PACT_BROKER_ALLOW_PUBLIC_READ": "true",
            "PACT_BROKER_PUBLIC_HEARTBEAT": "true",
            # Links the broker renders must use an address the caller can reach.
            "PACT_BROKER_BASE_URL": f"http://127.0.0.1:{port} http://localhost:{port} "
            f"http://{PACT_BROKER}:{port}",
            "PACT_BROKER_LOG_LEVEL": "INFO",
        },
        "ports": [published(port)],
        "depends_on": after_healthy([PACT_BROKER_DB]),
        # Alpine-based: busybox wget is there, curl is not.
        "healthcheck": healthcheck(["wget", "-q", "-O", "/dev/null", heartbeat]),
    }


def report_server() -> dict[str, Any]:
    """Serves ./reports/allure-report (written by `harness run` or `harness report`).
    The parent folder is mounted, so a report generated after start shows up."""
    root = "/srv/reports"
    return {
        **images.built(images.SERVICE_TARGET),
        "profiles": [REPORT],
        "command": [
            *("python", "-m", "http.server", str(REPORT_PORT)),
            *("--bind", ANY_HOST, "--directory", f"{root}/allure-report"),
        ],
        "volumes": [f"./reports:{root}:ro"],
        "ports": [published(REPORT_PORT)],
        # Any answer will do: until a report exists the server answers 404.
        "healthcheck": healthcheck(_answers(REPORT_PORT)),
    }
