"""Publishing to the broker: consumer pacts, and provider verification results.

- Pacts go in one ``POST`` per consumer to the index's ``pb:publish-contracts``
  (broker 2.86+), which creates the consumer version with its branch and tags and
  publishes each pact (content base64-encoded, as the endpoint requires).
- A verification result goes to the ``pb:publish-verification-results`` link of the pact
  it verified, fetched for the consumer version it was published under. The provider
  version is put on its branch first (``pb:pacticipant-branch-version``) and tagged, so
  can-i-deploy can select it by branch or environment like any other.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

from harness.broker import hal
from harness.broker.client import BrokerClient
from harness.broker.versions import Build
from harness.errors import ConfigError

IMPLEMENTATION = "harness (pact-python verifier)"


@dataclass(frozen=True)
class PactDocument:
    path: Path
    consumer: str
    provider: str
    content: bytes = field(repr=False)

    @classmethod
    def read(cls, path: Path) -> PactDocument:
        content = path.read_bytes()
        try:
            data = json.loads(content)
            return cls(path, str(data["consumer"]["name"]), str(data["provider"]["name"]), content)
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(
                f"pact file {path}: not a pact (JSON with consumer.name and provider.name): "
                f"{type(exc).__name__}: {exc}"
            ) from None


@dataclass(frozen=True)
class Published:
    """What the broker made of one publication: its links and its notices for the user."""

    pacticipant: str
    version: str
    resources: tuple[str, ...]  # hrefs of the pacts or the verification result
    notices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class VerificationResult:
    consumer: str
    provider: str
    success: bool
    interactions: Mapping[str, str]  # description -> "OK" / "failed" / "not run"
    failures: tuple[Mapping[str, Any], ...] = ()


def read_pacts(folder: Path) -> list[PactDocument]:
    return [PactDocument.read(path) for path in sorted(folder.glob("*.json"))]


def contracts_body(consumer: str, pacts: list[PactDocument], build: Build) -> dict[str, Any]:
    """The ``/contracts/publish`` request for one consumer's pacts."""
    body: dict[str, Any] = {
        "pacticipantName": consumer,
        "pacticipantVersionNumber": build.version,
        "tags": list(build.tags),
        "contracts": [
            {
                "consumerName": pact.consumer,
                "providerName": pact.provider,
                "specification": "pact",
                "contentType": "application/json",
                "content": base64.b64encode(pact.content).decode("ascii"),
            }
            for pact in pacts
        ],
    }
    if build.branch:
        body["branch"] = build.branch
    if build.build_url:
        body["buildUrl"] = build.build_url
    return body


def publish_pacts(client: BrokerClient, pacts: list[PactDocument], build: Build) -> list[Published]:
    url = client.relation("pb:publish-contracts")
    done = []
    for consumer, group in groupby(sorted(pacts, key=lambda p: p.consumer), lambda p: p.consumer):
        answer = client.post(url, contracts_body(consumer, list(group), build))
        done.append(
            Published(
                pacticipant=consumer,
                version=build.version,
                resources=tuple(
                    str(link.get("href")) for link in hal.links(answer, "pb:contracts")
                ),
                notices=tuple(hal.notices(answer)),
            )
        )
    return done


def verification_body(result: VerificationResult, build: Build) -> dict[str, Any]:
    """The body posted to ``pb:publish-verification-results``."""
    failed = {str(f.get("interaction")): f for f in result.failures}
    body: dict[str, Any] = {
        "success": result.success,
        "providerApplicationVersion": build.version,
        "testResults": [
            {
                "interactionDescription": description,
                "success": outcome == "OK",
                **(
                    {"mismatches": failed[description].get("mismatches", [])}
                    if description in failed
                    else {}
                ),
            }
            for description, outcome in result.interactions.items()
        ],
        "verifiedBy": {"implementation": IMPLEMENTATION},
    }
    if build.build_url:
        body["buildUrl"] = build.build_url
    return body


def publish_verification(
    client: BrokerClient, result: VerificationResult, *, consumer_version: str, build: Build
) -> Published:
    provider = result.provider
    if build.branch:
        client.put(
            client.relation(
                "pb:pacticipant-branch-version",
                pacticipant=provider,
                branch=build.branch,
                version=build.version,
            ),
            {},
        )
    for tag in build.tags:
        client.put(
            client.relation(
                "pb:pacticipant-version-tag", pacticipant=provider, version=build.version, tag=tag
            ),
            {},
        )
    pact_url = client.relation(
        "pb:publish-pact",
        provider=provider,
        consumer=result.consumer,
        consumerApplicationVersion=consumer_version,
    )
    pact = client.get(pact_url)
    target = hal.href(pact, "pb:publish-verification-results", where=f"the pact at {pact_url}")
    answer = client.post(client.url(target), verification_body(result, build))
    return Published(
        pacticipant=provider,
        version=build.version,
        resources=tuple(str(link.get("href")) for link in hal.links(answer, "self")),
    )
