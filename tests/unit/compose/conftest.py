"""Fixtures for the compose checks: the committed files, parsed, and the registry."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.compose.files import COMPOSE_FILE, generated
from harness.stack.topology import Topology
from harness.target import PROJECT_ROOT


@cache
def _generated() -> dict[str, str]:
    return generated(PROJECT_ROOT)


@pytest.fixture
def root() -> Path:
    return PROJECT_ROOT


@pytest.fixture
def topology() -> Topology:
    return Topology()


@pytest.fixture
def fresh() -> dict[str, str]:
    """What the generator writes now, by path."""
    return _generated()


@pytest.fixture
def compose() -> dict[str, Any]:
    """The committed docker-compose.yml, parsed (the file a user runs)."""
    document: dict[str, Any] = yaml.safe_load((PROJECT_ROOT / COMPOSE_FILE).read_text())
    return document


@pytest.fixture
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return dict(compose["services"])
