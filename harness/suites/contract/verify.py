"""Provider verification of one pact file against a running provider.

HTTP interactions are replayed against the provider's URL; message interactions are
requested from the provider's own test-mode endpoint (``POST /_test/pact-messages``),
which produces each message with the function the service publishes it with. Provider
states go through the relay (harness.suites.contract.relay).
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pact import Verifier

MESSAGES_PATH = "/_test/pact-messages"
HTTP_KIND = "Synchronous/HTTP"
MESSAGE_KIND = "Asynchronous/Messages"
REQUEST_TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class PactFile:
    path: Path
    document: dict[str, Any]

    @classmethod
    def read(cls, path: Path) -> PactFile:
        return cls(path, json.loads(path.read_text()))

    @property
    def consumer(self) -> str:
        return str(self.document["consumer"]["name"])

    @property
    def provider(self) -> str:
        return str(self.document["provider"]["name"])

    @property
    def interactions(self) -> list[dict[str, Any]]:
        return list(self.document.get("interactions", []))

    def kinds(self) -> set[str]:
        return {str(i.get("type", HTTP_KIND)) for i in self.interactions}


@dataclass
class Verification:
    pact: PactFile
    success: bool
    results: dict[str, Any]
    output: str
    failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def outcomes(self) -> dict[str, str]:
        """interaction description -> "OK" or "failed"."""
        found = {
            str(r.get("description")): "OK" if r.get("result") == "OK" else "failed"
            for r in self.results.get("interactionResults", [])
        }
        return {
            str(i["description"]): found.get(str(i["description"]), "not run")
            for i in self.pact.interactions
        }


def verify_pact(pact: PactFile, *, provider_url: str, state_url: str) -> Verification:
    """Run the Pact verifier; a failed verification is a result, not an exception."""
    parts = urlsplit(provider_url)
    verifier = Verifier(pact.provider, host=parts.hostname).add_transport(url=provider_url)
    if MESSAGE_KIND in pact.kinds():
        verifier.add_transport(protocol="message", port=parts.port, path=MESSAGES_PATH)
    verifier.state_handler(state_url, teardown=False, body=True)
    verifier.set_request_timeout(REQUEST_TIMEOUT_MS)
    verifier.add_source(pact.path)
    with contextlib.suppress(RuntimeError):  # any failed interaction; the results say which
        verifier.verify()
    results = verifier.results
    return Verification(
        pact=pact,
        success=bool(results.get("result")),
        results=results,
        output=verifier.output(strip_ansi=True),
        failures=[_failure(e) for e in results.get("errors", [])],
    )


def _failure(error: dict[str, Any]) -> dict[str, Any]:
    mismatch = error.get("mismatch") or {}
    return {
        "interaction": error.get("interaction", ""),
        "message": mismatch.get("message", ""),
        "mismatches": [
            {k: m.get(k) for k in ("type", "path", "mismatch", "expected", "actual") if k in m}
            for m in mismatch.get("mismatches", [])
        ],
    }
