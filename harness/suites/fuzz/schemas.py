"""One Schemathesis schema per contract, configured for the suite.

The configuration is plain data (``schemathesis_config``, pure): the seed, the example
budget, every check, the client-side rate limit for the gateway and the few documented
allowances. ``load_schemas`` reads the contracts (closed responses, no test-only paths)
and attaches the auth and the call recording.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import schemathesis
import yaml
from schemathesis import Case, Response
from schemathesis.schemas import APIOperation, BaseSchema

from harness.suites.fuzz.budget import Budget
from harness.suites.fuzz.identities import Identities, install_bearer_auth
from harness.suites.fuzz.operations import FuzzOperation, Role, fuzzed_operations, without_test_only
from harness.suites.fuzz.strictness import close_response_schemas
from harness.target import Target

GATEWAY = "gateway"
# marks each loaded document with the service it describes (cases lead back to it)
SERVICE_KEY = "x-harness-service"
# Every built-in check. object_level_authorization needs several identities of one role
# (Schemathesis' WFC auth); the suite calls as one customer, so it has nothing to compare.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "positive_data_acceptance",
    "negative_data_rejection",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "ignored_auth",
    "use_after_free",
    "ensure_resource_availability",
)
# Schemathesis' own default for positive_data_acceptance
ACCEPTED = ("2xx", "3xx", "401", "403", "404", "409", "429", "5xx")
# The gateway limits each user (and each anonymous address) to 200 requests/s, burst 400;
# the suite stays below so that a 429 never stands in for the answer being tested.
GATEWAY_RATE_LIMIT = "150/s"
REQUEST_TIMEOUT_S = 15


@dataclass(frozen=True)
class Allowance:
    """A status a check would flag that this operation may answer, and why."""

    operation_id: str
    check: str
    statuses: tuple[str, ...]
    reason: str


ALLOWANCES = (
    Allowance(
        "createOrder",
        "positive_data_acceptance",
        ("422",),
        "an order may only name products that exist; generated product ids name none",
    ),
)


def schemathesis_config(
    *, base_url: str, budget: Budget, rate_limit: str | None = None
) -> dict[str, Any]:
    """The ``schemathesis.toml`` of one contract, as a dict."""
    config: dict[str, Any] = {
        "seed": budget.seed,
        "base-url": base_url,
        "request-timeout": REQUEST_TIMEOUT_S,
        # the suite redacts the one secret itself (curl.py); the rest must reproduce as sent
        "output": {"sanitization": {"enabled": False}},
        "generation": {"max-examples": budget.max_examples, "database": "none"},
        "phases": {"stateful": {"max-steps": budget.stateful_steps}},
        "checks": {name: {"enabled": True} for name in CHECKS}
        | {"object_level_authorization": {"enabled": False}},
        "operations": [_allowance_config(a) for a in ALLOWANCES],
    }
    if rate_limit:
        config["rate-limit"] = rate_limit
    return config


def _allowance_config(allowance: Allowance) -> dict[str, Any]:
    statuses = [*ACCEPTED, *allowance.statuses]
    return {
        "include-operation-id": allowance.operation_id,
        "checks": {allowance.check: {"expected-statuses": statuses}},
    }


@dataclass(frozen=True)
class Contract:
    service: str
    url: str
    path: Path

    @functools.cached_property
    def document(self) -> dict[str, Any]:
        loaded: dict[str, Any] = yaml.safe_load(self.path.read_text())
        return loaded

    @property
    def rate_limit(self) -> str | None:
        return GATEWAY_RATE_LIMIT if self.service == GATEWAY else None


def contracts_of(target: Target) -> list[Contract]:
    """Each service of the target that has a contract, then the gateway."""
    urls = {**dict(sorted(target.services.items())), GATEWAY: target.gateway}
    found = [Contract(s, url, target.contracts.openapi_file(s)) for s, url in urls.items()]
    return [c for c in found if c.path.exists()]


OnCall = Callable[[str, Case, Response], None]


def load_schema(
    contract: Contract,
    *,
    budget: Budget,
    identities: Identities,
    roles: Callable[[APIOperation], Role],
    on_call: OnCall,
) -> BaseSchema:
    document = close_response_schemas(without_test_only(contract.document))
    document.setdefault("info", {})[SERVICE_KEY] = contract.service
    config = schemathesis.Config.from_dict(
        schemathesis_config(base_url=contract.url, budget=budget, rate_limit=contract.rate_limit)
    )
    schema = schemathesis.openapi.from_dict(document, config=config)
    install_bearer_auth(schema, identities, roles)

    @schema.hook("after_call")
    def record(context: Any, case: Case, response: Response) -> None:
        on_call(contract.service, case, response)

    return schema


def service_of(case: Case) -> str | None:
    service = case.operation.schema.raw_schema.get("info", {}).get(SERVICE_KEY)
    return str(service) if service else None


def operation_index(contract: Contract) -> dict[str, FuzzOperation]:
    """The contract's fuzzed operations by Schemathesis label (``GET /users/me``)."""
    return {op.label: op for op in fuzzed_operations(contract.service, contract.document)}
