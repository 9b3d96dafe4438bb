"""Provider verification results, as the contract suite writes them, and each pact's status.

The contract suite (``harness run contract``) verifies every pact against its provider
and writes one record per pair to ``contracts/pacts/verification/<consumer>-<provider>.json``
(any ``*.json`` there is read). The fields the gate uses::

    {
      "consumer": "gateway", "provider": "orders",
      "pact": {"file": "contracts/pacts/gateway-orders.json", "sha256": "<digest of its bytes>"},
      "contracts": [{"kind": "openapi", "file": "contracts/openapi/orders.yaml",
                     "sha256": "<digest of the provider contract verified against>"}],
      "success": true,
      "verified_at": "2026-11-25T08:28:09Z",
      "target": "embedded"                      (optional: what it was verified against)
    }

A pact is ``verified`` when the latest record for its exact content, against the exact
provider contracts of the head, succeeded; ``failed`` when it failed; ``unverified``
when there is none: never verified, or the pact or a contract it stands against changed
since, so a stale success never counts as a pass (``docs/pacts.md`` has every field).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from harness.gate.errors import GateInputError
from harness.gate.pacts import Pact, read_json

Status = Literal["verified", "failed", "unverified"]


@dataclass(frozen=True)
class Verification:
    file: str
    consumer: str
    provider: str
    pact_sha256: str
    success: bool
    verified_at: datetime
    target: str | None
    contracts: tuple[tuple[str, str | None], ...] = ()  # (path in the contracts folder, sha256)


@dataclass(frozen=True)
class PactStatus:
    pact: Pact
    status: Status
    detail: str


def load_verifications(folder: Path) -> list[Verification]:
    if not folder.is_dir():
        return []
    return [_read(path) for path in sorted(folder.glob("*.json"))]


def _read(path: Path) -> Verification:
    data = read_json(path, what="the verification result")
    if not isinstance(data, Mapping):
        raise GateInputError(f"{path}: a verification result is a JSON object")
    pact: Mapping[str, object] = data["pact"] if isinstance(data.get("pact"), Mapping) else {}
    missing = [k for k in ("consumer", "provider", "success", "verified_at") if k not in data]
    missing += [] if pact.get("sha256") else ["pact.sha256"]
    if missing:
        raise GateInputError(
            f"{path}: the verification result lacks {', '.join(missing)}",
            hint="the contract suite writes these records; see docs/gate.md (Pacts)",
        )
    try:
        when = datetime.fromisoformat(str(data["verified_at"]).replace("Z", "+00:00"))
    except ValueError:
        raise GateInputError(
            f"{path}#/verified_at: not an ISO 8601 timestamp: {data['verified_at']!r}"
        ) from None
    return Verification(
        file=path.name,
        consumer=str(data["consumer"]),
        provider=str(data["provider"]),
        pact_sha256=str(pact["sha256"]).lower(),
        success=data["success"] is True,
        verified_at=when if when.tzinfo else when.replace(tzinfo=UTC),
        target=str(data["target"]) if data.get("target") else None,
        contracts=tuple(_contracts(data.get("contracts"))),
    )


def _contracts(raw: object) -> Iterator[tuple[str, str | None]]:
    """Each contract as its path inside a contracts folder (``openapi/orders.yaml``)."""
    for entry in raw if isinstance(raw, list) else ():
        if isinstance(entry, Mapping) and isinstance(entry.get("file"), str):
            parts = entry["file"].split("/")
            start = next((i for i, p in enumerate(parts) if p in ("openapi", "asyncapi")), 0)
            digest = entry.get("sha256")
            yield "/".join(parts[start:]), str(digest).lower() if digest else None


def pact_status(pact: Pact, results: list[Verification], contracts: Path) -> PactStatus:
    """The status of one pact from the latest record for its exact content, and for the
    exact provider contracts in the ``contracts`` folder."""
    mine = [r for r in results if (r.consumer, r.provider) == (pact.consumer, pact.provider)]
    current = [r for r in mine if r.pact_sha256 == pact.sha256]
    if not current:
        detail = "pact changed since its last verification" if mine else "never verified"
        return PactStatus(pact, "unverified", detail)
    latest = max(current, key=lambda r: r.verified_at)
    changed = [rel for rel, digest in latest.contracts if _digest(contracts / rel) != digest]
    if changed:
        return PactStatus(
            pact, "unverified", f"{', '.join(changed)} changed since its last verification"
        )
    when = latest.verified_at.strftime("%Y-%m-%d %H:%M")
    version = f" against {latest.target}" if latest.target else ""
    if latest.success:
        return PactStatus(pact, "verified", f"verified {when}{version}")
    return PactStatus(pact, "failed", f"verification failed {when}{version}")


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
