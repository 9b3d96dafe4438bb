"""Fixtures for the gate's unit tests: this project's contracts in a scratch folder, with
test pacts (V4, as pact-python writes them) instead of whatever contracts/pacts holds."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.gate.loading import ContractSet, load_contract_set

PROJECT_CONTRACTS = Path(__file__).resolve().parents[3] / "contracts"
FIXTURE_PACTS = Path(__file__).resolve().parent / "fixtures" / "pacts"


def copy_contracts(target: Path) -> Path:
    """openapi/ and asyncapi/ of this project, and the fixture pacts, under ``target``."""
    for kind in ("openapi", "asyncapi"):
        shutil.copytree(PROJECT_CONTRACTS / kind, target / kind)
    shutil.copytree(FIXTURE_PACTS, target / "pacts")
    return target


@pytest.fixture
def project_copy(tmp_path: Path) -> Callable[[str], Path]:
    """Make a copy of the project's contracts (with fixture pacts) named ``name``."""
    return lambda name: copy_contracts(tmp_path / name)


@pytest.fixture
def load() -> Callable[[Path], ContractSet]:
    return lambda path: load_contract_set(path, label=path.name)
