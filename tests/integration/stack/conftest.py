"""Fixtures for stack tests: a free port base, a state folder, stand-in services."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.stack.embedded import EmbeddedStack
from harness.stack.options import StackOptions
from harness.stack.ports import pick_free_port_base
from harness.stack.procs import is_alive
from harness.stack.topology import Topology

FAKE_SERVICE = Path(__file__).with_name("fake_service.py")


def fake_command(*options: str) -> tuple[str, ...]:
    """The ``--service-command`` that runs fake_service.py instead of a reference service."""
    return ("{python}", str(FAKE_SERVICE), "{name}", *options)


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


HARNESS = str(Path(sys.executable).with_name("harness"))  # the console script


def harness_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real ``harness`` command in a child process and capture its output."""
    return subprocess.run(
        [HARNESS, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def alive_pids(pids: list[int]) -> list[int]:
    return [pid for pid in pids if is_alive(pid)]


@pytest.fixture
def port_base() -> int:
    return pick_free_port_base()


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    return tmp_path / "state"


@pytest.fixture
def make_stack(state_dir: Path, port_base: int) -> Iterator[Any]:
    """Build stacks of stand-in services; every stack built is stopped at teardown."""
    built: list[EmbeddedStack] = []

    def build(
        *options: str, base: int | None = None, where: Path | None = None, **settings: Any
    ) -> EmbeddedStack:
        defaults: dict[str, Any] = {
            "service_command": fake_command(*options),
            "ready_timeout": 20.0,
        }
        stack = EmbeddedStack(
            Topology(port_base=base or port_base),
            where or state_dir,
            options=StackOptions(**(defaults | settings)),
        )
        built.append(stack)
        return stack

    yield build
    for stack in built:
        stack.stop()
