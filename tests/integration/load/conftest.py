"""One embedded stack for every load test, routed through the fault proxy (chaos)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.run.targets import target_from_state
from harness.stack.embedded import EmbeddedStack
from harness.stack.options import StackOptions
from harness.stack.ports import pick_free_port_base
from harness.stack.topology import Topology
from harness.target import Target


@pytest.fixture(scope="package")
def load_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Target]]:
    """The target file of a running embedded stack, and the target it describes."""
    where = tmp_path_factory.mktemp("load-stack")
    stack = EmbeddedStack(
        Topology(port_base=pick_free_port_base()),
        where / "state",
        options=StackOptions(routed=True),
    )
    stack.start()
    try:
        target = target_from_state(stack.state)
        path = where / "target.json"
        path.write_text(target.to_json())
        yield path, target
    finally:
        stack.stop()


@pytest.fixture
def target_file(load_stack: tuple[Path, Target]) -> Path:
    return load_stack[0]
