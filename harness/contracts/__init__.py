"""Contracts: load them, index them, check records against them.

``load_asyncapi`` reads an AsyncAPI document into a ``ContractIndex`` (topic -> channel
-> messages with their payload, headers and key schemas, plus producers and consumers).
``validate_record`` checks one Kafka record against it; ``example_records`` turns the
contract's examples into records. Everything here is pure apart from reading files.
"""

from __future__ import annotations

from harness.contracts.asyncapi import build_index, load_asyncapi
from harness.contracts.errors import ContractError, RecordViolationError
from harness.contracts.event_validation import Violation, assert_record_valid, validate_record
from harness.contracts.example_events import ExampleRecord, example_records
from harness.contracts.model import (
    ChannelContract,
    ContractIndex,
    MessageContract,
    MessageExample,
    OperationContract,
)
from harness.contracts.spec_schema import SpecProblem, spec_problems

__all__ = [
    "ChannelContract",
    "ContractError",
    "ContractIndex",
    "ExampleRecord",
    "MessageContract",
    "MessageExample",
    "OperationContract",
    "RecordViolationError",
    "SpecProblem",
    "Violation",
    "assert_record_valid",
    "build_index",
    "example_records",
    "load_asyncapi",
    "spec_problems",
    "validate_record",
]
