"""Port checks on real sockets: a listener makes a port busy, the error says what to do."""

from __future__ import annotations

import random
import socket
from collections.abc import Iterator

import pytest

from harness.errors import PortInUseError
from harness.stack.ports import busy_ports, ensure_ports_free, is_port_free, pick_free_port_base
from harness.stack.topology import Topology


@pytest.fixture
def listener() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_a_listening_port_is_busy(listener: int) -> None:
    assert not is_port_free(listener)
    assert busy_ports([listener]) == [listener]


def test_picked_base_has_every_port_free() -> None:
    base = pick_free_port_base(rng=random.Random(7))
    assert busy_ports(Topology(port_base=base).all_ports()) == []


def test_clash_names_the_port_and_suggests_another_base() -> None:
    base = pick_free_port_base()
    topology = Topology(port_base=base)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", topology.port("orders")))
        sock.listen()
        with pytest.raises(PortInUseError) as caught:
            ensure_ports_free(topology)
    assert caught.value.ports == (topology.port("orders"),)
    assert str(topology.port("orders")) in str(caught.value)
    assert "--port-base" in str(caught.value)
