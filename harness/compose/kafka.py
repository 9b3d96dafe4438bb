"""Apache Kafka in KRaft mode: one node that is both broker and controller.

Kafka clients bootstrap from one address and then connect to whatever the broker
advertises for the listener they came in on. The services bootstrap from the ``kafka``
link on Toxiproxy, so the listener behind that link advertises the link's address
again: every later connection goes through the proxy too, and cutting the link cuts
Kafka for every service that uses it (as the embedded stack's shared ``kafka`` link does).

A service with a Kafka link of its own (``Topology.kafka_entry_links()``: payments) gets
a listener of its own behind that link, named after the service, which advertises that
link's address: its traffic crosses its link alone, so a fault there touches it alone.
The embedded stack puts a Kafka entry proxy on the same port (``harness.stack.kafka_entry``).

    listener    binds                 advertised              for
    CONTROLLER  localhost:9093        -                       KRaft quorum (this node only)
    LOCAL       localhost:19092       localhost:19092         inter-broker, healthcheck
    PROXIED     0.0.0.0:<kafka port>  toxiproxy:<kafka link>  services, via the kafka link
    PAYMENTS    0.0.0.0:<entry port>  toxiproxy:<own link>    payments, via payments-kafka
    HOST        0.0.0.0:9094          127.0.0.1:<kafka>       the harness on the host

HOST is published on the host's loopback at the registry's Kafka port, for the event
suite run on the host; it skips the proxy (an observer, not a service under test).
The image turns each ``KAFKA_<PROPERTY>`` variable into a server property; every listener
name appears in ``listeners``, the security protocol map, and (but CONTROLLER) in
``advertised.listeners``.
"""

from __future__ import annotations

import base64
import re
import uuid
from typing import Any

from harness.compose import images
from harness.compose.health import healthcheck
from harness.compose.network import ANY_HOST, LOOPBACK, proxied, published
from harness.errors import ConfigError
from harness.stack.topology import KAFKA, Link, Topology

CONTROLLER_ADDRESS = "localhost:9093"
LOCAL_ADDRESS = "localhost:19092"
HOST_LISTENER = "HOST"
HOST_LISTENER_PORT = 9094
DATA_DIR = "/var/lib/kafka/data"  # a volume in the apache/kafka image
VOLUME = "kafka-data"
# A fixed cluster id keeps the formatted volume valid across restarts (Kafka's base64
# form of a UUID, derived from the project's name so it is reproducible).
CLUSTER_ID = (
    base64.urlsafe_b64encode(uuid.uuid5(uuid.NAMESPACE_URL, "contract-harness").bytes)
    .decode()
    .rstrip("=")
)


def entry_listener(link: Link) -> str:
    """The listener behind a service's own Kafka link: the service's name, upper case."""
    return re.sub(r"[^A-Z0-9]+", "_", link.client.upper())


def listeners(topology: Topology) -> dict[str, tuple[str, str | None]]:
    """Listener name -> (bind address, advertised address or None)."""
    port = topology.port(KAFKA)
    entries: dict[str, tuple[str, str | None]] = {
        "CONTROLLER": (CONTROLLER_ADDRESS, None),
        "LOCAL": (LOCAL_ADDRESS, LOCAL_ADDRESS),
        "PROXIED": (f"{ANY_HOST}:{port}", str(proxied(topology.link(KAFKA)))),
    }
    for link in topology.kafka_entry_links():
        name = entry_listener(link)
        if name in entries or name == HOST_LISTENER:
            raise ConfigError(
                f"service {link.client!r} has its own Kafka link, and its listener name "
                f"{name} is taken by another Kafka listener; rename the service in "
                "harness/stack/topology.py"
            )
        entries[name] = (f"{ANY_HOST}:{link.upstream_port}", str(proxied(link)))
    entries[HOST_LISTENER] = (f"{ANY_HOST}:{HOST_LISTENER_PORT}", f"{LOOPBACK}:{port}")
    return entries


def _joined(entries: dict[str, tuple[str, str | None]], *, advertised: bool) -> str:
    picked = {name: pair[1] if advertised else pair[0] for name, pair in entries.items()}
    return ",".join(f"{name}://{address}" for name, address in picked.items() if address)


def environment(topology: Topology) -> dict[str, str]:
    """The apache/kafka image's settings: ``KAFKA_<PROPERTY>`` for each server property."""
    entries = listeners(topology)
    single_node = {
        "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR": "1",
        "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR": "1",
        "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR": "1",
        "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR": "1",
        "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR": "1",
    }
    return {
        "CLUSTER_ID": CLUSTER_ID,
        "KAFKA_NODE_ID": "1",
        "KAFKA_PROCESS_ROLES": "broker,controller",
        "KAFKA_CONTROLLER_QUORUM_VOTERS": f"1@{CONTROLLER_ADDRESS}",
        "KAFKA_CONTROLLER_LISTENER_NAMES": "CONTROLLER",
        "KAFKA_INTER_BROKER_LISTENER_NAME": "LOCAL",
        "KAFKA_LISTENERS": _joined(entries, advertised=False),
        "KAFKA_ADVERTISED_LISTENERS": _joined(entries, advertised=True),
        "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP": ",".join(f"{n}:PLAINTEXT" for n in entries),
        **single_node,
        # Topics appear on first use, as on the embedded broker (Tansu).
        "KAFKA_AUTO_CREATE_TOPICS_ENABLE": "true",
        "KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS": "0",
        "KAFKA_LOG_DIRS": DATA_DIR,
    }


def service(topology: Topology) -> dict[str, Any]:
    probe = ["/opt/kafka/bin/kafka-broker-api-versions.sh", "--bootstrap-server", LOCAL_ADDRESS]
    return {
        "image": images.KAFKA,
        "environment": environment(topology),
        "ports": [published(topology.port(KAFKA), HOST_LISTENER_PORT)],
        "volumes": [f"{VOLUME}:{DATA_DIR}"],
        "healthcheck": healthcheck(probe, interval="10s", timeout="20s", start_period="20s"),
    }
