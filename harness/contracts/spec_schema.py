"""Check a document against the official AsyncAPI 3.0.0 JSON Schema (vendored, see schemas/)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match

from harness.contracts.refs import join_pointer

SCHEMA_FILE = Path(__file__).with_name("schemas") / "asyncapi-3.0.0.json"
_MAX_MESSAGE = 240


@dataclass(frozen=True)
class SpecProblem:
    """Where the document breaks the specification's schema, and how."""

    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}"


@functools.cache
def _validator() -> Draft7Validator:
    return Draft7Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def spec_problems(document: Any) -> list[SpecProblem]:
    """Every place an AsyncAPI 3.0 document breaks the official schema (raw, with $refs)."""
    problems = set()
    for error in _validator().iter_errors(document):
        # A oneOf failure says little; its most relevant sub-error says what to fix.
        cause = best_match([error])
        message = cause.message
        if len(message) > _MAX_MESSAGE:
            message = message[: _MAX_MESSAGE - 3] + "..."
        problems.add(SpecProblem(join_pointer(cause.absolute_path), message))
    return sorted(problems, key=lambda problem: (problem.pointer, problem.message))
