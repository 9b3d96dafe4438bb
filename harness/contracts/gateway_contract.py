"""Derive the gateway's public contract from the service contracts and its route table.

The services' contracts are the source of truth; the gateway exposes a subset of their
operations under /api, adds what the gateway itself can answer (401 for a missing token,
429 rate limited, 503 breaker open, each with its headers) and its own health routes.
"""

from __future__ import annotations

import copy
from typing import Any

from harness.contracts.openapi_links import add_links
from reference_services.gateway.routes import ROUTES, Route
from reference_services.kit.openapi import problem_response

GATEWAY_STATUSES = (429, 503)
HEALTH_PATHS = ("/health", "/health/ready", "/metrics")


class ContractMismatch(Exception):
    """A route has no operation in its service's contract, or components clash."""


def _operation(route: Route, service_doc: dict[str, Any]) -> dict[str, Any]:
    upstream = route.path.removeprefix("/api")
    operation = service_doc.get("paths", {}).get(upstream, {}).get(route.method.lower())
    if operation is None or operation.get("operationId") != route.operation_id:
        raise ContractMismatch(
            f"gateway route {route.method} {route.path} needs operation {route.operation_id} "
            f"at {route.method} {upstream} in the {route.service} contract"
        )
    operation = copy.deepcopy(operation)
    responses = operation.setdefault("responses", {})
    extra = (401, *GATEWAY_STATUSES) if route.auth else GATEWAY_STATUSES
    for response in responses.values():
        response.pop("links", None)  # re-added for the gateway's own operations below
    for status in extra:
        responses.setdefault(str(status), problem_response(status))
    if not route.auth:
        operation.pop("security", None)
    operation["tags"] = [route.service]
    return operation


def _merge_components(target: dict[str, Any], source: dict[str, Any], service: str) -> None:
    for kind, entries in source.get("components", {}).items():
        bucket = target.setdefault("components", {}).setdefault(kind, {})
        for name, value in entries.items():
            if name in bucket and bucket[name] != value:
                raise ContractMismatch(
                    f"components/{kind}/{name} differs between {service} and another service; "
                    "rename one of them"
                )
            bucket[name] = value


def gateway_document(services: dict[str, dict[str, Any]], *, version: str) -> dict[str, Any]:
    """``services`` maps service name to its OpenAPI document (already with links)."""
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "gateway",
            "version": version,
            "description": "The public API of the reference system. Every operation is "
            "forwarded to the service that owns it (tag).",
        },
        "servers": [{"url": "http://127.0.0.1:8000"}],
        "paths": {},
    }
    health_source = services["users"]
    for path in HEALTH_PATHS:
        document["paths"][path] = copy.deepcopy(health_source["paths"][path])
    for route in ROUTES:
        operation = _operation(route, services[route.service])
        document["paths"].setdefault(route.path, {})[route.method.lower()] = operation
    for name in sorted(services):
        _merge_components(document, services[name], name)
    return add_links(document)
