"""Checking that a stack's ports are free, and finding a base where they all are."""

from __future__ import annotations

import random
import socket
from collections.abc import Iterable
from pathlib import Path

from harness.errors import PortInUseError, StackError
from harness.stack.topology import Topology

# Stay below the kernel's ephemeral range so outgoing connections cannot take our ports.
DEFAULT_LOW = 10_000
EPHEMERAL_RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")


def is_port_free(port: int, host: str = "127.0.0.1") -> bool:
    """True when nothing listens on ``host:port``.

    SO_REUSEADDR matches what uvicorn and Tansu set, so a port whose old connections sit
    in TIME_WAIT counts as free, as it is for them.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def busy_ports(ports: Iterable[int], host: str = "127.0.0.1") -> list[int]:
    return [port for port in ports if not is_port_free(port, host)]


def ensure_ports_free(topology: Topology) -> None:
    """Raise ``PortInUseError`` naming every taken port of the topology."""
    taken = busy_ports(topology.all_ports(), topology.host)
    if taken:
        raise PortInUseError(taken, port_base=topology.port_base)


def ephemeral_low() -> int:
    """First port of the kernel's ephemeral range (Linux), or the IANA default."""
    try:
        return int(EPHEMERAL_RANGE_FILE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 49_152


def pick_free_port_base(
    *,
    low: int = DEFAULT_LOW,
    high: int | None = None,
    attempts: int = 200,
    host: str = "127.0.0.1",
    rng: random.Random | None = None,
) -> int:
    """A port base whose every port (services, Kafka, proxy, links) is free right now.

    Bases are drawn at random so parallel test sessions rarely race for the same one.
    """
    span = max(Topology(port_base=0).all_ports()) + 1
    top = (high if high is not None else ephemeral_low()) - span
    if top <= low:
        raise StackError(f"no room for a stack of {span} ports between {low} and {top + span}")
    draw = rng or random.Random()
    for _ in range(attempts):
        base = draw.randrange(low, top)
        if not busy_ports(Topology(port_base=base, host=host).all_ports(), host):
            return base
    raise StackError(f"no free port base found in {attempts} attempts between {low} and {top}")
