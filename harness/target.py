"""A target: the running system the suites test, described by URLs and contracts.

The embedded stack produces one from its state file; any other system is described by
a YAML target file, so the harness is not tied to the reference services::

    name: shop-staging
    gateway: http://127.0.0.1:8000
    services:                      # name -> base URL (each serves its own contract)
      orders: http://127.0.0.1:8003
    kafka: 127.0.0.1:9092          # bootstrap servers (optional: no event suite without)
    toxiproxy: http://127.0.0.1:8474
    contracts:                     # relative to the target file
      openapi: contracts/openapi   # <service>.yaml per service, gateway.yaml
      asyncapi: contracts/asyncapi/events.yaml
      pacts: contracts/pacts
    auth:                          # ${VAR} is read from the environment
      admin_email: admin@example.com
      admin_password: ${SHOP_ADMIN_PASSWORD}
    test_mode: false               # provider-state endpoints exist (contract suite)
    pact_broker: http://127.0.0.1:9292  # optional: publish pacts and verification results
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from harness.errors import ConfigError

ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
PROJECT_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Contracts:
    openapi: Path
    asyncapi: Path | None
    pacts: Path

    def openapi_file(self, service: str) -> Path:
        return self.openapi / f"{service}.yaml"


@dataclass(frozen=True)
class Auth:
    admin_email: str = ""
    admin_password: str = ""
    register_path: str = "/api/users/register"
    login_path: str = "/api/users/login"


@dataclass(frozen=True)
class Target:
    name: str
    gateway: str
    services: dict[str, str]
    contracts: Contracts
    kafka: str | None = None
    toxiproxy: str | None = None
    auth: Auth = field(default_factory=Auth)
    test_mode: bool = False
    pact_broker: str | None = None  # credentials come from the environment, never from here

    def to_json(self) -> str:
        return json.dumps(asdict(self), default=str, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Target:
        raw = json.loads(text)
        contracts = raw.pop("contracts")
        return cls(
            contracts=Contracts(
                openapi=Path(contracts["openapi"]),
                asyncapi=Path(contracts["asyncapi"]) if contracts["asyncapi"] else None,
                pacts=Path(contracts["pacts"]),
            ),
            auth=Auth(**raw.pop("auth")),
            **raw,
        )


def default_contracts(root: Path = PROJECT_ROOT) -> Contracts:
    return Contracts(
        openapi=root / "contracts" / "openapi",
        asyncapi=root / "contracts" / "asyncapi" / "events.yaml",
        pacts=root / "contracts" / "pacts",
    )


def load_target(path: Path) -> Target:
    """Read and check a target file; every error names the file, the key and the fix."""
    try:
        raw = yaml.safe_load(path.read_text())
    except OSError as exc:
        raise ConfigError(f"target file {path}: cannot read it ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise ConfigError(f"target file {path}{where}: not valid YAML ({exc})") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"target file {path}: expected a mapping with at least 'gateway'")
    return _parse(_expand_env(raw, path), path)


def _expand_env(value: Any, path: Path) -> Any:
    if isinstance(value, dict):
        return {k: _expand_env(v, path) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand_env(v, path) for v in value]
    if isinstance(value, str):

        def lookup(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in os.environ:
                raise ConfigError(f"target file {path}: ${{{name}}} is used but not set")
            return os.environ[name]

        return ENV_REFERENCE.sub(lookup, value)
    return value


KNOWN_KEYS = {
    "name",
    "gateway",
    "services",
    "kafka",
    "toxiproxy",
    "contracts",
    "auth",
    "test_mode",
    "pact_broker",
}


def _parse(raw: dict[str, Any], path: Path) -> Target:
    unknown = sorted(set(raw) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(
            f"target file {path}: unknown key(s) {unknown}; known: {sorted(KNOWN_KEYS)}"
        )
    gateway = _url(raw.get("gateway"), path, "gateway")
    services_raw = raw.get("services") or {}
    if not isinstance(services_raw, dict):
        raise ConfigError(f"target file {path}: 'services' must map service names to URLs")
    services = {str(n): _url(u, path, f"services.{n}") for n, u in services_raw.items()}
    base = path.resolve().parent
    contracts_raw = raw.get("contracts") or {}
    defaults = default_contracts()
    asyncapi = contracts_raw.get("asyncapi", defaults.asyncapi)
    contracts = Contracts(
        openapi=base / contracts_raw.get("openapi", defaults.openapi),
        asyncapi=base / asyncapi if asyncapi else None,
        pacts=base / contracts_raw.get("pacts", defaults.pacts),
    )
    if not contracts.openapi.is_dir():
        raise ConfigError(
            f"target file {path}: contracts.openapi {contracts.openapi} is not a folder"
        )
    auth_raw = raw.get("auth") or {}
    try:
        auth = Auth(**auth_raw)
    except TypeError as exc:
        raise ConfigError(f"target file {path}: auth: {exc}") from exc
    toxiproxy = raw.get("toxiproxy")
    broker = raw.get("pact_broker")
    return Target(
        name=str(raw.get("name") or path.stem),
        gateway=gateway,
        services=services,
        contracts=contracts,
        kafka=str(raw["kafka"]) if raw.get("kafka") else None,
        toxiproxy=_url(toxiproxy, path, "toxiproxy") if toxiproxy else None,
        auth=auth,
        test_mode=bool(raw.get("test_mode", False)),
        pact_broker=_url(broker, path, "pact_broker") if broker else None,
    )


def _url(value: Any, path: Path, key: str) -> str:
    parts = urlsplit(str(value or ""))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"target file {path}: {key} must be an http(s) URL like http://127.0.0.1:8000, "
            f"got {value!r}"
        )
    return str(value).rstrip("/")
