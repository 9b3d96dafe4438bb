"""Keep the broker in step with the contract folder: its pacts, then its verification
records, under one build. Used by the contract suite and ``harness pacts publish``.

Only a record whose pact SHA-256 is that of the pact file now in the folder is
published: a stale record verified other bytes than the broker holds for this version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.broker.client import BrokerClient
from harness.broker.config import BrokerConfig, resolve_broker
from harness.broker.publish import (
    PactDocument,
    Published,
    VerificationResult,
    publish_pacts,
    publish_verification,
    read_pacts,
)
from harness.broker.versions import Build, current_build
from harness.errors import ConfigError

RECORDS_DIR = "verification"


@dataclass
class PactSync:
    client: BrokerClient
    build: Build
    published: dict[tuple[str, str], str] = field(default_factory=dict)  # pair -> sha256

    @classmethod
    def open(cls, config: BrokerConfig, build: Build) -> PactSync:
        return cls(BrokerClient(config), build)

    def __enter__(self) -> PactSync:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def publish_folder(self, folder: Path) -> list[Published]:
        """Publish the folder's pacts not yet published with these exact bytes."""
        fresh = [p for p in read_pacts(folder) if self.published.get(_pair(p)) != _sha(p.content)]
        done = publish_pacts(self.client, fresh, self.build) if fresh else []
        self.published.update({_pair(p): _sha(p.content) for p in fresh})
        return done

    def publish_record(self, record: Mapping[str, Any]) -> Published | None:
        """Publish one verification record; None when its pact was not published here
        with the bytes it verified (a stale record)."""
        pair = (str(record["consumer"]), str(record["provider"]))
        if self.published.get(pair) != str(record.get("pact", {}).get("sha256", "")).lower():
            return None
        result = VerificationResult(
            consumer=pair[0],
            provider=pair[1],
            success=record.get("success") is True,
            interactions=dict(record.get("interactions") or {}),
            failures=tuple(record.get("failures") or ()),
        )
        return publish_verification(
            self.client, result, consumer_version=self.build.version, build=self.build
        )

    def publish_records(self, folder: Path) -> tuple[list[Published], list[Path]]:
        """Every record in ``<folder>/verification``: (published, stale files skipped)."""
        done, stale = [], []
        for path in sorted((folder / RECORDS_DIR).glob("*.json")):
            published = self.publish_record(_read_record(path))
            if published is None:
                stale.append(path)
            else:
                done.append(published)
        return done, stale


def open_sync(
    *,
    target_url: str | None,
    env: Mapping[str, str],
    cwd: Path,
    flag: str | None = None,
    version: str | None = None,
    branch: str | None = None,
    tags: tuple[str, ...] = (),
) -> PactSync | None:
    """A sync to the configured broker, or None when no broker is configured."""
    config = resolve_broker(flag=flag, target=target_url, env=env)
    if config is None:
        return None
    build = current_build(version=version, branch=branch, env=env, cwd=cwd, tags=tags)
    return PactSync.open(config, build)


def _pair(pact: PactDocument) -> tuple[str, str]:
    return pact.consumer, pact.provider


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _read_record(path: Path) -> dict[str, Any]:
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ConfigError(f"verification record {path}: cannot read it ({exc})") from None
    if not isinstance(record, dict) or not {"consumer", "provider", "success"} <= set(record):
        raise ConfigError(
            f"verification record {path}: expected an object with consumer, provider, "
            "success and pact.sha256 (the contract suite writes these; see docs/pacts.md)"
        )
    return record
