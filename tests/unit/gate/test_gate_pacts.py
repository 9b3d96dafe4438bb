"""Reading pacts (V2 to V4) and verification records, and naming the consumers a change breaks."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from harness.gate.consumers import Catalog, broken_parties, unmatched
from harness.gate.errors import GateInputError
from harness.gate.model import Usage
from harness.gate.pacts import body, field_paths, load_pacts, read_pact
from harness.gate.verification import load_verifications, pact_status

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pacts"


def _write(folder: Path, name: str, data: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def test_the_fixture_pacts_read_like_pact_python_writes_them() -> None:
    pacts = {p.file: p for p in load_pacts(FIXTURES, root=FIXTURES)}
    http = pacts["gateway-orders.json"]
    assert (http.consumer, http.provider, http.specification) == ("gateway", "orders", "4.0")
    get, post = http.http
    assert (get.method, get.status, get.response_body["total_cents"]) == ("GET", 200, 2500)
    assert (
        "idempotency-key" in post.request_headers
        and post.request_body["payment_token"] == "tok_visa"
    )
    message = pacts["payments-orders.json"].messages[0]
    assert (message.topic, message.event_type) == (None, "order.created")


def test_v4_bodies_encoded_as_json_text_or_base64_are_decoded() -> None:
    text = json.dumps({"a": 1})
    assert body({"content": text, "contentType": "application/json", "encoded": "JSON"}, "x") == {
        "a": 1
    }
    packed = base64.b64encode(text.encode()).decode()
    assert body(
        {"content": packed, "contentType": "application/json", "encoded": "base64"}, "x"
    ) == {"a": 1}
    assert (
        body({"content": "bm90IGpzb24=", "contentType": "text/plain", "encoded": "base64"}, "x")
        is None
    )
    assert body({"a": 1}, "x") == {"a": 1}  # V3: the body as written


def test_field_paths_cover_nested_objects_and_arrays() -> None:
    paths = set(field_paths({"items": [{"id": 1}], "total": 2}))
    assert paths == {("items",), ("items", "[]"), ("items", "[]", "id"), ("total",)}


def test_a_broken_pact_file_names_file_line_or_pointer(tmp_path: Path) -> None:
    with pytest.raises(GateInputError, match=r"bad\.json:1:\d+: the pact is not valid JSON"):
        read_pact(_write(tmp_path, "bad.json", "{nope"), root=tmp_path)
    with pytest.raises(GateInputError, match=r"anon\.json#/consumer"):
        read_pact(_write(tmp_path, "anon.json", {"provider": {"name": "p"}}), root=tmp_path)
    broken = {
        "consumer": {"name": "c"},
        "provider": {"name": "p"},
        "interactions": [{"type": "Synchronous/HTTP", "request": {}}],
    }
    with pytest.raises(GateInputError, match=r"#/interactions/0: an HTTP interaction"):
        read_pact(_write(tmp_path, "half.json", broken), root=tmp_path)


def _record(pact: Path, *, success: bool, when: str, digest: str | None = None) -> dict[str, Any]:
    return {
        "format": 1,
        "consumer": "gateway",
        "provider": "orders",
        "pact": {
            "file": "contracts/pacts/gateway-orders.json",
            "sha256": digest or hashlib.sha256(pact.read_bytes()).hexdigest(),
        },
        "success": success,
        "target": "embedded",
        "verified_at": when,
    }


def test_a_pact_is_verified_failed_or_unverified_by_its_latest_record(tmp_path: Path) -> None:
    pact_path = FIXTURES / "gateway-orders.json"
    pact = read_pact(pact_path, root=FIXTURES)
    records = tmp_path / "verification"
    assert pact_status(pact, load_verifications(records), tmp_path).status == "unverified"
    _write(records, "old.json", _record(pact_path, success=False, when="2026-11-01T10:00:00Z"))
    _write(records, "new.json", _record(pact_path, success=True, when="2026-11-25T08:28:09Z"))
    status = pact_status(pact, load_verifications(records), tmp_path)
    assert (status.status, status.detail) == (
        "verified",
        "verified 2026-11-25 08:28 against embedded",
    )
    _write(records, "newest.json", _record(pact_path, success=False, when="2026-11-26T08:00:00Z"))
    assert pact_status(pact, load_verifications(records), tmp_path).status == "failed"


def test_a_success_for_another_version_of_the_pact_does_not_count(tmp_path: Path) -> None:
    pact_path = FIXTURES / "gateway-orders.json"
    records = tmp_path / "verification"
    _write(
        records,
        "r.json",
        _record(pact_path, success=True, when="2026-11-25T08:28:09Z", digest="0" * 64),
    )
    status = pact_status(read_pact(pact_path, root=FIXTURES), load_verifications(records), tmp_path)
    assert (status.status, status.detail) == (
        "unverified",
        "pact changed since its last verification",
    )


def test_a_success_against_another_version_of_the_contract_does_not_count(tmp_path: Path) -> None:
    pact_path = FIXTURES / "gateway-orders.json"
    contract = tmp_path / "openapi" / "orders.yaml"
    contract.parent.mkdir()
    contract.write_text("openapi: 3.1.0\n")
    record = _record(pact_path, success=True, when="2026-11-25T08:28:09Z")
    digest = hashlib.sha256(contract.read_bytes()).hexdigest()
    record["contracts"] = [
        {"kind": "openapi", "file": "contracts/openapi/orders.yaml", "sha256": digest}
    ]
    _write(tmp_path / "verification", "r.json", record)
    pact = read_pact(pact_path, root=FIXTURES)
    results = load_verifications(tmp_path / "verification")
    assert pact_status(pact, results, tmp_path).status == "verified"
    contract.write_text("openapi: 3.1.1\n")
    status = pact_status(pact, results, tmp_path)
    assert (status.status, status.detail) == (
        "unverified",
        "openapi/orders.yaml changed since its last verification",
    )


def test_a_bad_record_says_what_is_missing(tmp_path: Path) -> None:
    _write(tmp_path, "r.json", {"consumer": "a", "provider": "b", "success": True})
    with pytest.raises(GateInputError, match=r"lacks verified_at, pact\.sha256"):
        load_verifications(tmp_path)


def _catalog() -> Catalog:
    catalog = Catalog(topics={"order.created"}, event_topics={"order.created": "order.created"})
    catalog.add_provider("orders", "orders")
    catalog.operations["orders"] = {("GET", "/orders/{}"), ("POST", "/orders")}
    return catalog


def test_usages_match_what_each_interaction_touches() -> None:
    pacts = load_pacts(FIXTURES, root=FIXTURES)
    catalog = _catalog()
    reads = Usage(
        "orders",
        "response",
        "reads",
        method="GET",
        path="/orders/{}",
        status="200",
        field=("items", "[]", "unit_price_cents"),
    )
    assert broken_parties(reads, pacts, catalog) == ("gateway",)
    header = Usage(
        "orders",
        "parameter",
        "sends",
        method="POST",
        path="/orders",
        name="Idempotency-Key",
        location="header",
    )
    assert broken_parties(header, pacts, catalog) == ("gateway",)
    omits = Usage(
        "orders", "request", "omits", method="POST", path="/orders", field=("items", "[]", "note")
    )
    assert broken_parties(omits, pacts, catalog) == ("gateway",)
    sent = Usage(
        "orders",
        "request",
        "sends",
        method="POST",
        path="/orders",
        field=("payment_token",),
        values=("tok_other",),
    )
    assert broken_parties(sent, pacts, catalog) == ()
    message = Usage(
        "events",
        "message",
        "reads",
        topic="order.created",
        section="payload",
        field=("total_cents",),
    )
    assert broken_parties(message, pacts, catalog) == ("payments",)


def test_interactions_nothing_describes_are_reported() -> None:
    pacts = load_pacts(FIXTURES, root=FIXTURES)
    found = unmatched(pacts, _catalog())
    assert [f.rule for f in found] == ["pact-interaction-unmatched"]
    assert found[0].consumers == ("notifications",) and "order.cancelled" in found[0].message
