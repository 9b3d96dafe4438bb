"""Fixtures for the contract tests: the project's AsyncAPI document, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.contracts import ContractIndex, load_asyncapi

EVENTS_DOCUMENT = Path(__file__).resolve().parents[3] / "contracts" / "asyncapi" / "events.yaml"


@pytest.fixture(scope="session")
def events_index() -> ContractIndex:
    return load_asyncapi(EVENTS_DOCUMENT)


@pytest.fixture(scope="session")
def events_document() -> Path:
    return EVENTS_DOCUMENT
