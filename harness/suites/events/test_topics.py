"""Every record on every topic, from the beginning, conforms to its AsyncAPI message."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import pytest

from harness.contracts import ContractIndex, validate_record
from harness.suites.coverage import CoverageRecorder
from harness.suites.events.records import BusRecord, Kind, classify, message_of
from harness.suites.events.reporting import attach_json, attach_records, check, label

SHOWN_VIOLATIONS = 50
CHECKED = (Kind.EVENT, Kind.DEAD_LETTER)


def test_every_record_conforms_to_its_message(
    channel: str,
    contract: ContractIndex,
    bus_records: Mapping[str, list[BusRecord]],
    coverage: CoverageRecorder,
) -> None:
    label(channel, "contract conformance", f"{channel}: every record conforms")
    records = bus_records.get(channel, [])
    kinds = Counter(classify(contract, r).value for r in records)
    checked = [r for r in records if classify(contract, r) in CHECKED]
    attach_json("records on the topic", dict(kinds) or "none")
    attach_records("samples", checked)
    if not checked:
        pytest.skip(f"nothing on {channel} to check ({dict(kinds) or 'no records'})")
    problems, nonconforming = [], []
    for record in checked:
        found = validate_record(contract, record.topic, record.key, record.value, record.headers)
        problems += [f"{record.where} {violation}" for violation in found]
        message = message_of(contract, record)
        if found:
            nonconforming.append(record)
        elif message is not None:
            coverage.message(channel, message.name, outcome="validated")
    attach_records("nonconforming samples", nonconforming)
    shown = problems[:SHOWN_VIOLATIONS]
    if len(problems) > len(shown):
        shown.append(f"... and {len(problems) - len(shown)} more")
    title = f"{len(checked)} records on {channel} checked against {contract.source.name}"
    check(title, shown)


def test_every_topic_is_in_the_contract(
    contract: ContractIndex, bus_records: Mapping[str, list[BusRecord]]
) -> None:
    label("bus", "contract conformance", "every topic on the bus is in the contract")
    unknown = {t: len(r) for t, r in bus_records.items() if contract.channel(t) is None}
    attach_json("topics on the bus", {t: len(r) for t, r in sorted(bus_records.items())})
    problems = [
        f"{topic}: {count} record(s), no channel in the contract"
        for topic, count in sorted(unknown.items())
    ]
    check("topics the contract does not describe", problems)
