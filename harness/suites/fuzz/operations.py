"""Which operations the fuzz suite exercises, and as whom (pure).

Every operation of every contract is fuzzed, except test-only paths (provider-state
endpoints under ``/_test``, which exist only in test mode and are no part of the API).
The caller of an operation follows from its contract: no security requirement means an
anonymous call; one that documents 403 ("the token's role may not do this") is an
admin-only operation and runs as the admin; anything else runs as a customer.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
TEST_ONLY_PREFIX = "/_test"


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    CUSTOMER = "customer"
    ADMIN = "admin"


@dataclass(frozen=True)
class FuzzOperation:
    service: str
    method: str
    path: str
    operation_id: str
    role: Role

    @property
    def label(self) -> str:
        """What Schemathesis calls it: ``GET /users/{user_id}``."""
        return f"{self.method} {self.path}"


def is_test_only(path: str) -> bool:
    return path == TEST_ONLY_PREFIX or path.startswith(TEST_ONLY_PREFIX + "/")


def without_test_only(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of the OpenAPI document without its test-only paths."""
    kept = copy.deepcopy(document)
    kept["paths"] = {
        p: item for p, item in document.get("paths", {}).items() if not is_test_only(p)
    }
    return kept


def role_of(operation: dict[str, Any], document: dict[str, Any]) -> Role:
    security = operation.get("security", document.get("security"))
    # `security: []` or an empty alternative (`- {}`) makes authentication optional
    if not security or any(not requirement for requirement in security):
        return Role.ANONYMOUS
    if "403" in {str(status) for status in operation.get("responses", {})}:
        return Role.ADMIN
    return Role.CUSTOMER


def fuzzed_operations(service: str, document: dict[str, Any]) -> list[FuzzOperation]:
    found = []
    for path, item in document.get("paths", {}).items():
        if is_test_only(path):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                label = f"{method.upper()} {path}"
                found.append(
                    FuzzOperation(
                        service=service,
                        method=method.upper(),
                        path=path,
                        operation_id=str(operation.get("operationId") or label),
                        role=role_of(operation, document),
                    )
                )
    return found


def has_links(document: dict[str, Any]) -> bool:
    """Whether any response links to another operation (what a stateful run follows)."""
    for path, item in document.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method) if not is_test_only(path) else None
            responses = operation.get("responses", {}) if isinstance(operation, dict) else {}
            if any(isinstance(r, dict) and r.get("links") for r in responses.values()):
                return True
    return False


def service_of_item(name: str, original: str) -> str | None:
    """The schema name Schemathesis put in a test's name: ``test_x[users][GET /me]``."""
    prefix = f"{original}["
    if not name.startswith(prefix) or "][" not in name:
        return None
    return name[len(prefix) :].split("][", 1)[0]
