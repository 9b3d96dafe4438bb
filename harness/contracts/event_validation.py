"""Check one Kafka record against the contract: bytes in, violations out (no I/O).

Violations point into the record as a JSON document::

    /topic                   the topic is not in the contract
    /key                     the record key (UTF-8 text)
    /value/items/0/quantity  a payload field
    /headers/event-id        a header (values decoded as UTF-8)
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from harness.contracts.errors import RecordViolationError
from harness.contracts.extract import EVENT_TYPE_HEADER
from harness.contracts.formats import format_checker
from harness.contracts.model import ChannelContract, ContractIndex, JsonSchema, MessageContract
from harness.contracts.refs import escape_token, join_pointer
from harness.contracts.runtime_expressions import MISSING, evaluate

Headers = Sequence[tuple[str, bytes | None]]
_FORMATS = format_checker()


@dataclass(frozen=True)
class Violation:
    """One way a record breaks the contract."""

    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.pointer}: {self.message}"


def validate_record(
    index: ContractIndex, topic: str, key: bytes | None, value: bytes | None, headers: Headers
) -> list[Violation]:
    """Every violation of the contract by this record; empty when it conforms."""
    channel = index.channel(topic)
    if channel is None:
        return [_unknown_topic(index, topic)]
    decoded, violations = decode_headers(headers)
    message = _select_message(channel, decoded, violations)
    if message is None:
        return violations
    if message.headers_schema is not None:
        violations += _schema_violations(message.headers_schema, decoded, "/headers", "header")
    payload, value_violations = _check_value(message, value)
    violations += value_violations
    violations += _check_key(message, key, decoded, payload)
    return violations


def assert_record_valid(
    index: ContractIndex, topic: str, key: bytes | None, value: bytes | None, headers: Headers
) -> None:
    """Raise RecordViolationError (an AssertionError) listing every violation."""
    violations = validate_record(index, topic, key, value, headers)
    if violations:
        title = f"record on {topic!r} breaks the contract {index.source}"
        raise RecordViolationError(title, violations)


def decode_headers(headers: Headers) -> tuple[dict[str, str], list[Violation]]:
    """Headers as text; the first value wins, repeats and non-UTF-8 values are violations."""
    decoded: dict[str, str] = {}
    violations: list[Violation] = []
    for name, raw in headers:
        pointer = f"/headers/{escape_token(name)}"
        if name in decoded:
            violations.append(Violation(pointer, f"header {name!r} is repeated"))
            continue
        if raw is None:
            violations.append(Violation(pointer, f"header {name!r} has no value"))
            continue
        try:
            decoded[name] = bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            violations.append(Violation(pointer, f"header {name!r} is not UTF-8 text"))
    return decoded, violations


def _unknown_topic(index: ContractIndex, topic: str) -> Violation:
    close = difflib.get_close_matches(topic, index.topics, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return Violation("/topic", f"unknown topic {topic!r}: the contract has no channel for it{hint}")


def _select_message(
    channel: ChannelContract, headers: Mapping[str, str], violations: list[Violation]
) -> MessageContract | None:
    """The channel's only message, or the one its event-type header names."""
    if len(channel.messages) == 1:
        return channel.messages[0]
    if not channel.messages:
        violations.append(
            Violation("/topic", f"the contract defines no message for {channel.topic!r}")
        )
        return None
    typed = {message.event_type: message for message in channel.messages if message.event_type}
    event_type = headers.get(EVENT_TYPE_HEADER)
    if event_type in typed:
        return typed[event_type]
    expected = ", ".join(sorted(str(name) for name in typed)) or "(none declare one)"
    problem = "is missing" if event_type is None else f"{event_type!r} is not"
    violations.append(
        Violation(
            f"/headers/{EVENT_TYPE_HEADER}",
            f"{problem} an event type of topic {channel.topic!r}; expected one of: {expected}",
        )
    )
    return None


def _check_value(message: MessageContract, value: bytes | None) -> tuple[Any, list[Violation]]:
    """Decode and check the payload; non-JSON messages (dead letters) are not decoded."""
    if not message.is_json:
        return MISSING, []
    if value is None:
        return MISSING, [Violation("/value", "the record has no value; expected a JSON payload")]
    try:
        payload = json.loads(value)
    except ValueError as exc:
        return MISSING, [Violation("/value", f"not valid JSON: {exc}")]
    if message.payload_schema is None:
        return payload, []
    return payload, _schema_violations(message.payload_schema, payload, "/value", "field")


def _check_key(
    message: MessageContract, key: bytes | None, headers: Mapping[str, str], payload: Any
) -> list[Violation]:
    try:
        text = None if key is None else bytes(key).decode("utf-8")
    except UnicodeDecodeError:
        return [Violation("/key", "the key is not UTF-8 text")]
    violations = []
    if message.key_schema is not None:
        violations = _schema_violations(message.key_schema, text, "/key", "key")
        if text is None and violations:
            violations = [Violation("/key", "the record has no key; the contract requires one")]
    if message.key_location and text is not None:
        expected = evaluate(
            message.key_location, headers=headers, payload=None if payload is MISSING else payload
        )
        if isinstance(expected, str) and expected != text:
            violations.append(
                Violation(
                    "/key",
                    f"key {text!r} differs from {expected!r} at {message.key_location}; "
                    "the contract requires them to be equal",
                )
            )
    return violations


def _schema_violations(schema: JsonSchema, instance: Any, base: str, noun: str) -> list[Violation]:
    validator = Draft202012Validator(schema, format_checker=_FORMATS)
    found: dict[Violation, None] = {}
    for error in validator.iter_errors(instance):
        for violation in _explain(error, base, noun):
            found[violation] = None
    return sorted(found, key=lambda violation: violation.pointer)


def _explain(error: ValidationError, base: str, noun: str) -> list[Violation]:
    """Point at the missing or unknown field itself rather than at its parent object."""
    pointer = base + join_pointer(error.absolute_path)
    instance, schema = error.instance, error.schema
    if error.validator == "required" and isinstance(instance, Mapping):
        required = error.validator_value if isinstance(error.validator_value, list) else []
        return [
            Violation(f"{pointer}/{escape_token(name)}", f"required {noun} {name!r} is missing")
            for name in required
            if name not in instance
        ]
    if error.validator == "additionalProperties" and isinstance(instance, Mapping):
        allowed = list((schema.get("properties") or {}) if isinstance(schema, Mapping) else ())
        return [
            Violation(f"{pointer}/{escape_token(name)}", _unknown_field(noun, name, allowed))
            for name in instance
            if name not in allowed
        ]
    if error.validator == "const":
        return [Violation(pointer, f"expected {error.validator_value!r}, got {instance!r}")]
    return [Violation(pointer, error.message)]


def _unknown_field(noun: str, name: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(name, allowed, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {noun} {name!r}; the contract allows: {', '.join(allowed)}{hint}"
