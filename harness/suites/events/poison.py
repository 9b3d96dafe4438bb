"""Invalid records made from a valid one (pure): what no consumer can process.

Each case breaks one thing a consumer needs, so every consumer of the topic must
dead-letter it, however tolerant a reader it is:

- ``wrong-type`` / ``missing-field``: the field the record is keyed by (the contract's
  ``x-key-location``, else the first required field) has the wrong JSON type / is gone;
- ``not-an-object``: valid JSON, but an array where the payload object belongs;
- ``garbage-bytes``: neither UTF-8 nor JSON;
- ``oversized``: ~1.5 MB, past a consumer's default fetch and request size (1 MiB);
- ``missing-headers``: none of the contract's headers (only the injection mark);
- ``missing-event-id``: no ``event-id``, so the consumer cannot deduplicate it.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from harness.contracts import MessageContract
from harness.contracts.runtime_expressions import parse_expression
from harness.suites.events.records import EVENT_ID_HEADER
from harness.suites.events.samples import Draft, to_json, with_fresh_event_id
from harness.suites.events.schema_values import merged

OVERSIZED_BYTES = 1_500_000
GARBAGE_BYTES = 64


@dataclass(frozen=True)
class PoisonCase:
    name: str
    description: str
    draft: Draft


def target_field(message: MessageContract) -> str | None:
    """The top-level payload field a consumer cannot do without."""
    if message.key_location:
        part, tokens = parse_expression(message.key_location)
        if part == "payload" and len(tokens) == 1:
            return tokens[0]
    required = merged(message.payload_schema or {}).get("required") or []
    return str(required[0]) if required else None


def wrong_type(schema: Any) -> Any:
    """A value of a JSON type the schema does not allow."""
    kind = merged(schema).get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind}
    for candidate in (12345, "not-the-right-type", [1, 2], {"unexpected": True}):
        if _json_type(candidate) not in kinds:
            return candidate
    return None  # pragma: no cover - every JSON type allowed: nothing is the wrong type


def _json_type(value: Any) -> str:
    return {int: "integer", str: "string", list: "array", dict: "object"}[type(value)]


def poison_cases(
    message: MessageContract, valid: Draft, *, rng: random.Random, oversized: int = OVERSIZED_BYTES
) -> list[PoisonCase]:
    """The invalid variants of ``valid`` (a record of ``message``)."""
    payload = json.loads(valid.value or b"{}")
    field = target_field(message)
    properties = merged(message.payload_schema or {}).get("properties") or {}
    cases: list[PoisonCase] = []

    def add(name: str, description: str, **changes: Any) -> None:
        headers = changes.pop("headers", valid.headers)
        draft = replace(valid, label=name, headers=with_fresh_event_id(headers, rng), **changes)
        cases.append(PoisonCase(name, description, draft))

    if isinstance(payload, Mapping) and field is not None:
        bad = wrong_type(properties.get(field, {}))
        add("wrong-type", f"{field} is {bad!r}", value=to_json({**payload, field: bad}))
        rest = {name: value for name, value in payload.items() if name != field}
        add("missing-field", f"required field {field} removed", value=to_json(rest))
        huge = {**payload, field: "x" * oversized}
        add("oversized", f"{field} padded to {oversized} bytes", value=to_json(huge))
    add("not-an-object", "a JSON array instead of the payload object", value=b"[1,2,3]")
    garbage = b"\xff\xfe\x00" + rng.randbytes(GARBAGE_BYTES)
    add("garbage-bytes", f"{len(garbage)} random bytes, not UTF-8", value=garbage)
    add("missing-headers", "no headers at all", headers=())
    without_id = tuple((n, v) for n, v in valid.headers if n != EVENT_ID_HEADER)
    add("missing-event-id", f"no {EVENT_ID_HEADER} header", headers=without_id)
    return cases
