"""Verification records name the pact and contract bytes, and do not churn."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from harness.suites.contract.records import build_record, record_path, write_record
from harness.suites.contract.verify import PactFile, Verification
from harness.target import Contracts, Target

HTTP: dict[str, object] = {
    "type": "Synchronous/HTTP",
    "description": "get",
    "request": {},
    "response": {},
}
MESSAGE: dict[str, object] = {"type": "Asynchronous/Messages", "description": "order.created"}


def make_target(tmp_path: Path) -> Target:
    (tmp_path / "openapi").mkdir()
    (tmp_path / "openapi" / "users.yaml").write_text("openapi: 3.1.0\ninfo:\n  version: 2.3.4\n")
    (tmp_path / "events.yaml").write_text("asyncapi: 3.0.0\ninfo:\n  version: 1.0.0\n")
    contracts = Contracts(tmp_path / "openapi", tmp_path / "events.yaml", tmp_path / "pacts")
    return Target(name="t", gateway="http://g", services={}, contracts=contracts)


def verification(tmp_path: Path, *interactions: dict[str, object], ok: bool = True) -> Verification:
    path = tmp_path / "c-users.json"
    document = {
        "consumer": {"name": "c"},
        "provider": {"name": "users"},
        "interactions": list(interactions),
    }
    path.write_text(json.dumps(document))
    results = {"interactionResults": [{"description": "get", "result": "OK" if ok else "Error"}]}
    return Verification(PactFile(path, document), success=ok, results=results, output="")


def test_a_record_names_the_pact_and_the_contracts_it_was_checked_against(tmp_path: Path) -> None:
    target = make_target(tmp_path)
    record = build_record(verification(tmp_path, HTTP, MESSAGE), target)
    pact_sha = hashlib.sha256((tmp_path / "c-users.json").read_bytes()).hexdigest()
    assert record["pact"]["sha256"] == pact_sha
    assert [(c["kind"], c["version"]) for c in record["contracts"]] == [
        ("openapi", "2.3.4"),
        ("asyncapi", "1.0.0"),
    ]
    assert record["interactions"] == {"get": "OK", "order.created": "not run"}
    assert record["success"] is True


def test_the_same_verdict_leaves_the_file_alone(tmp_path: Path) -> None:
    target = make_target(tmp_path)
    path = record_path(target.contracts.pacts, "c", "users")
    first = build_record(verification(tmp_path, HTTP), target)
    assert write_record(path, first)
    again = {**first, "verified_at": "2099-01-01T00:00:00Z"}
    assert not write_record(path, again)
    assert json.loads(path.read_text())["verified_at"] == first["verified_at"]


def test_a_new_verdict_is_written(tmp_path: Path) -> None:
    target = make_target(tmp_path)
    path = record_path(target.contracts.pacts, "c", "users")
    write_record(path, build_record(verification(tmp_path, HTTP), target))
    failed = build_record(verification(tmp_path, HTTP, ok=False), target)
    assert write_record(path, failed)
    assert json.loads(path.read_text())["success"] is False
