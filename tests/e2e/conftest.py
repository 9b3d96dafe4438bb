"""One embedded stack (every service, Tansu, SQLite, every link through the fault proxy)
shared by the end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.stack.embedded import EmbeddedStack
from harness.stack.options import StackOptions
from harness.stack.ports import pick_free_port_base
from harness.stack.topology import Topology
from tests.e2e.shop import Shop


def start_stack(state_dir: Path) -> EmbeddedStack:
    stack = EmbeddedStack(
        Topology(port_base=pick_free_port_base()),
        state_dir,
        options=StackOptions(test_mode=True, routed=True),
    )
    stack.start()
    return stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStack]:
    stack = start_stack(tmp_path_factory.mktemp("e2e-stack"))
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def shop(stack: EmbeddedStack) -> Shop:
    return Shop.open(stack)
