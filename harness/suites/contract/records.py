"""Verification records: which pact was verified against which contract version, and how.

One JSON file per pair, ``<pacts>/verification/<consumer>-<provider>.json`` (format in
docs/pacts.md); ``harness gate`` reads them. A record repeats the same verdict for the
same pact and contract bytes without changing: ``verified_at`` is when that verdict was
first reached, so committed records do not churn on every run.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from harness.suites.contract.verify import HTTP_KIND, MESSAGE_KIND, PactFile, Verification
from harness.target import PROJECT_ROOT, Target

FORMAT = 1
RECORDS_DIR = "verification"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def shown_path(path: Path) -> str:
    """Relative to the project when inside it (records travel with the repository)."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return resolved.as_posix()


def contract_ref(kind: str, path: Path) -> dict[str, Any]:
    exists = path.exists()
    info = (yaml.safe_load(path.read_text()) or {}).get("info", {}) if exists else {}
    return {
        "kind": kind,
        "file": shown_path(path),
        "sha256": sha256_of(path) if exists else None,
        "version": str(info.get("version")) if exists else None,
    }


def contracts_of(pact: PactFile, target: Target) -> list[dict[str, Any]]:
    """The provider's contracts this pact is checked against: OpenAPI for its HTTP
    interactions, AsyncAPI for its messages."""
    refs = []
    if HTTP_KIND in pact.kinds():
        refs.append(contract_ref("openapi", target.contracts.openapi_file(pact.provider)))
    if MESSAGE_KIND in pact.kinds() and target.contracts.asyncapi is not None:
        refs.append(contract_ref("asyncapi", target.contracts.asyncapi))
    return refs


def build_record(verification: Verification, target: Target) -> dict[str, Any]:
    pact = verification.pact
    return {
        "format": FORMAT,
        "consumer": pact.consumer,
        "provider": pact.provider,
        "pact": {"file": shown_path(pact.path), "sha256": sha256_of(pact.path)},
        "contracts": contracts_of(pact, target),
        "target": target.name,
        "success": verification.success,
        "interactions": verification.outcomes,
        "failures": verification.failures,
        "verified_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
    }


def record_path(pacts_dir: Path, consumer: str, provider: str) -> Path:
    return pacts_dir / RECORDS_DIR / f"{consumer}-{provider}.json"


def write_record(path: Path, record: dict[str, Any]) -> bool:
    """Write ``record`` unless the file already says the same; True when written."""
    if path.exists():
        previous = json.loads(path.read_text())
        if {**previous, "verified_at": record["verified_at"]} == record:
            return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    return True
