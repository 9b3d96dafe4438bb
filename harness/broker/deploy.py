"""can-i-deploy, environments and record-deployment.

``GET /can-i-deploy?pacticipant=P&version=V&environment=E`` (the index's
``pb:can-i-deploy-pacticipant-version-to-environment``) answers like ``/matrix``::

    {"summary": {"deployable": true|false|null, "reason": "...", "success": 1,
                 "failed": 0, "unknown": 0},
     "notices": [{"type": "success"|"warning"|"error"|..., "text": "..."}],
     "matrix": [{"consumer": {"name", "version": {"number", ...}},
                 "provider": {"name", "version": {"number", ...} | null},
                 "pact": {"createdAt", ...},
                 "verificationResult": {"success", "verifiedAt", ...} | null}]}

``deployable`` is null when a result is missing (not yet verified): that is not a yes,
just as the Pact CLI's can-i-deploy exits 1 on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness.broker import hal
from harness.broker.client import BrokerClient
from harness.broker.errors import BrokerNotFoundError, BrokerResponseError


@dataclass(frozen=True)
class MatrixRow:
    consumer: str
    consumer_version: str | None
    provider: str
    provider_version: str | None
    success: bool | None  # None: never verified

    def __str__(self) -> str:
        outcome = {True: "verified", False: "failed", None: "not verified"}[self.success]
        return (
            f"{self.consumer} {self.consumer_version or '?'} -> "
            f"{self.provider} {self.provider_version or '?'}: {outcome}"
        )


@dataclass(frozen=True)
class DeployAnswer:
    pacticipant: str
    version: str
    environment: str
    deployable: bool | None
    reason: str
    notices: tuple[tuple[str, str], ...] = ()
    rows: tuple[MatrixRow, ...] = ()

    @property
    def word(self) -> str:
        return {True: "yes", False: "no", None: "unknown"}[self.deployable]


def parse_answer(
    document: Mapping[str, Any], *, pacticipant: str, version: str, environment: str
) -> DeployAnswer:
    """Pure: a can-i-deploy (or matrix) response to an answer; strict on ``summary``."""
    summary = document.get("summary")
    if not isinstance(summary, Mapping) or "deployable" not in summary:
        raise BrokerResponseError(
            "the can-i-deploy answer has no summary.deployable; is this a Pact Broker?"
        )
    deployable = summary["deployable"]
    return DeployAnswer(
        pacticipant=pacticipant,
        version=version,
        environment=environment,
        deployable=deployable if isinstance(deployable, bool) else None,
        reason=str(summary.get("reason") or ""),
        notices=tuple(hal.notices(document)),
        rows=tuple(_row(r) for r in document.get("matrix") or [] if isinstance(r, Mapping)),
    )


def _row(raw: Mapping[str, Any]) -> MatrixRow:
    consumer, provider = raw.get("consumer") or {}, raw.get("provider") or {}
    result = raw.get("verificationResult")
    return MatrixRow(
        consumer=str(consumer.get("name")),
        consumer_version=_number(consumer),
        provider=str(provider.get("name")),
        provider_version=_number(provider),
        success=result.get("success") if isinstance(result, Mapping) else None,
    )


def _number(side: Mapping[str, Any]) -> str | None:
    version = side.get("version")
    return str(version["number"]) if isinstance(version, Mapping) else None


def can_i_deploy(
    client: BrokerClient, *, pacticipant: str, version: str, environment: str
) -> DeployAnswer:
    url = client.relation(
        "pb:can-i-deploy-pacticipant-version-to-environment",
        pacticipant=pacticipant,
        version=version,
        environment=environment,
    )
    return parse_answer(
        client.get(url), pacticipant=pacticipant, version=version, environment=environment
    )


def environments(client: BrokerClient) -> list[dict[str, Any]]:
    """Every environment: ``uuid``, ``name``, ``displayName``, ``production``."""
    return hal.embedded(client.get(client.relation("pb:environments")), "environments")


def record_deployment(
    client: BrokerClient,
    *,
    pacticipant: str,
    version: str,
    environment: str,
    application_instance: str | None = None,
) -> str:
    """Record that ``version`` of ``pacticipant`` is now deployed to ``environment``;
    returns the deployed version's href."""
    url = client.relation("pb:pacticipant-version", pacticipant=pacticipant, version=version)
    try:
        found = hal.links(client.get(url), "pb:record-deployment")
    except BrokerNotFoundError:
        raise BrokerNotFoundError(
            f"the Pact Broker has no version {version} of {pacticipant}: publish its pacts "
            "or verification results under that version first (harness pacts publish)"
        ) from None
    link = next((x for x in found if x.get("name") == environment), None)
    if link is None:
        names = ", ".join(sorted(str(x.get("name")) for x in found)) or "none"
        raise BrokerNotFoundError(
            f"the Pact Broker has no environment {environment!r} for {pacticipant} {version} "
            f"(known: {names}); create it first (POST /environments, or the broker's UI)"
        )
    body = {"applicationInstance": application_instance} if application_instance else {}
    answer = client.post(client.url(str(link["href"])), body)
    return str((hal.links(answer, "self") or [{"href": link["href"]}])[0]["href"])
