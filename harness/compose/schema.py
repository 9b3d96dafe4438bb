"""Check a compose document against the Compose Specification's JSON schema (vendored in
``schema/compose-spec.json``), since no Docker engine is at hand to do it."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match

from harness.errors import ConfigError

SCHEMA = Path(__file__).resolve().parent / "schema" / "compose-spec.json"


@cache
def _validator() -> Draft7Validator:
    return Draft7Validator(json.loads(SCHEMA.read_text()))


def problems(document: Any) -> list[str]:
    """Every schema violation, as ``/json/pointer: message``; empty when valid."""
    found = []
    for error in _validator().iter_errors(document):
        # Under oneOf/anyOf, name the alternative that came closest, where it failed.
        closest = best_match([error]) or error
        pointer = "/" + "/".join(str(part) for part in closest.absolute_path)
        found.append(f"{pointer}: {closest.message}")
    return sorted(found)


def validate(document: Any, *, name: str = "docker-compose.yml") -> None:
    found = problems(document)
    if found:
        listing = "\n  ".join(found)
        raise ConfigError(f"{name} breaks the Compose Specification:\n  {listing}")
