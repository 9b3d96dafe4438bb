"""OpenAPI rules: what a client calls (paths, methods, parameters, bodies) and what it gets
back (status codes, media types, headers, bodies), each judged from the client's side.

Every check is registered on ``DOCUMENTS`` (a base/head document pair) or ``OPERATIONS``
(an operation present on both sides); ``diff_openapi`` runs them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from harness.gate.context import DocumentPairBase, finding
from harness.gate.model import Finding, Part, Usage
from harness.gate.openapi import model
from harness.gate.openapi.model import Media, Operation
from harness.gate.openapi.security import describe, requirements, unmet
from harness.gate.registry import Registry
from harness.gate.rules import Family
from harness.gate.schema import Comparator, Conj
from harness.gate.schema_rules import schema_findings


@dataclass
class DocumentPair(DocumentPairBase):
    def __post_init__(self) -> None:
        self.requests = Comparator(view="request")
        self.responses = Comparator(view="response")

    @functools.cached_property
    def base_operations(self) -> dict[tuple[str, str], Operation]:
        return model.operations(self.base) if self.base else {}

    @functools.cached_property
    def head_operations(self) -> dict[tuple[str, str], Operation]:
        return model.operations(self.head) if self.head else {}


@dataclass(frozen=True)
class OperationPair:
    document: DocumentPair
    base: Operation
    head: Operation

    def usage(self, part: Part, **fields: Any) -> Usage:
        return Usage(
            self.document.provider, part, method=self.base.method, path=self.base.key, **fields
        )

    def emit(
        self, rule_id: str, message: str, *, on: Any, usage: Usage, subject: str = ""
    ) -> Finding:
        """A finding placed on ``on`` (a model object with ``at`` and ``pointer``)."""
        return finding(
            rule_id,
            contract=self.document.contract,
            subject=subject or self.base.label,
            message=message,
            place=self.document.sides.place(on.at),
            pointer=on.pointer,
            usage=usage,
        )

    def schemas(
        self, family: Family, old: Conj, new: Conj, *, subject: str, pointer: str, usage: Usage
    ) -> list[Finding]:
        comparator = self.document.requests if family == "request" else self.document.responses
        return schema_findings(
            comparator.compare(old, new),
            family=family,
            sides=self.document.sides,
            contract=self.document.contract,
            subject=subject,
            pointer=pointer,
            usage=usage,
        )


DOCUMENTS: Registry[DocumentPair] = Registry("openapi documents")
OPERATIONS: Registry[OperationPair] = Registry("openapi operations")


def diff_openapi(pair: DocumentPair) -> list[Finding]:
    found = DOCUMENTS.run(pair)
    for key, base in pair.base_operations.items():
        head = pair.head_operations.get(key)
        if head is not None:
            found += OPERATIONS.run(OperationPair(pair, base, head))
    return found


@DOCUMENTS.check
def removed_operations(pair: DocumentPair) -> Iterator[Finding]:
    head_paths = {key for _, key in pair.head_operations}
    for (method, key), op in pair.base_operations.items():
        if (method, key) in pair.head_operations:
            continue
        rule_id = "operation-removed" if key in head_paths else "path-removed"
        yield finding(
            rule_id,
            contract=pair.contract,
            subject=op.label,
            message=f"{op.label} removed" + (" (the path remains)" if key in head_paths else ""),
            place=pair.sides.place(op.at),
            pointer=op.pointer,
            usage=Usage(pair.provider, "operation", method=method, path=key),
        )


@OPERATIONS.check
def parameter_changes(pair: OperationPair) -> Iterator[Finding]:
    before, after = model.parameters(pair.base), model.parameters(pair.head)
    for key, old in before.items():
        new = after.get(key)
        usage = pair.usage("parameter", name=old.name, location=old.location, test="sends")
        if new is None:
            moved = next(
                (p for k, p in after.items() if _same_name(p.name, old.name) and k not in before),
                None,
            )
            if moved is not None:
                message = f"{old.label} moved to {moved.location}"
                yield pair.emit(
                    "request-parameter-location-changed", message, on=moved, usage=usage
                )
            else:
                yield pair.emit(
                    "request-parameter-removed", f"{old.label} removed", on=old, usage=usage
                )
            continue
        if new.required and not old.required:
            omits = pair.usage("parameter", name=old.name, location=old.location, test="omits")
            yield pair.emit(
                "request-parameter-made-required", f"{old.label} now required", on=new, usage=omits
            )
        subject = f"{pair.base.label} {old.label}"
        yield from pair.schemas(
            "request",
            old.schema,
            new.schema,
            subject=subject,
            pointer=new.pointer + "/schema",
            usage=usage,
        )
    for key, new in after.items():
        if key in before or any(
            _same_name(new.name, p.name) for k, p in before.items() if k not in after
        ):
            continue
        usage = pair.usage("parameter", name=new.name, location=new.location, test="omits")
        if new.required:
            yield pair.emit(
                "request-parameter-added-required",
                f"required {new.label} added",
                on=new,
                usage=usage,
            )
        else:
            yield pair.emit(
                "request-compatible", f"optional {new.label} added", on=new, usage=usage
            )


def _same_name(left: str, right: str) -> bool:
    return left.lower() == right.lower()


@OPERATIONS.check
def request_body_changes(pair: OperationPair) -> Iterator[Finding]:
    old, new = model.request_body(pair.base), model.request_body(pair.head)
    if new is not None and new.required and not (old is not None and old.required):
        usage = pair.usage("request", test="omits")
        yield pair.emit(
            "request-body-required", "a request body is now required", on=new, usage=usage
        )
    if old is None:
        return
    if new is None:
        usage = pair.usage("request", test="sends")
        yield pair.emit("request-body-removed", "the request body was removed", on=old, usage=usage)
        return
    yield from _contents(pair, "request", old.content, new.content)


def _media(media_type: str, content: dict[str, Media]) -> Media | None:
    """The head media type that serves ``media_type``: the same, or a wildcard over it."""
    if media_type in content:
        return content[media_type]
    family = media_type.split("/", 1)[0]
    return content.get(f"{family}/*") or content.get("*/*")


@OPERATIONS.check
def response_changes(pair: OperationPair) -> Iterator[Finding]:
    before, after = model.responses(pair.base), model.responses(pair.head)
    for status, old in before.items():
        new = after.get(status) or next(
            (r for s, r in after.items() if s != status and model.status_covers(s, status)), None
        )
        usage = pair.usage("status", status=status, test="reads")
        if new is None:
            success = status[0] in "123"
            rule_id = "response-status-removed" if success else "response-error-status-removed"
            yield pair.emit(rule_id, f"status {status} removed", on=old, usage=usage)
            continue
        yield from _contents(pair, "response", old.content, new.content, status)
        yield from _response_headers(pair, status, old, new)
    for status, new in after.items():
        related = (model.status_covers(s, status) or model.status_covers(status, s) for s in before)
        if not any(related):  # a range folding documented statuses is no new status
            usage = pair.usage("status", status=status, test="any")
            yield pair.emit("response-status-added", f"status {status} added", on=new, usage=usage)


def _contents(
    pair: OperationPair,
    family: Family,
    before: dict[str, Media],
    after: dict[str, Media],
    status: str | None = None,
) -> Iterator[Finding]:
    """Each base media type: gone (a finding), or its schema compared with the head's."""
    request = family == "request"
    for media_type, media in before.items():
        if request:
            usage = pair.usage("request", name=media_type, test="sends")
            match = _media(media_type, after)
            message = f"{media_type} request bodies are no longer accepted"
            subject = f"{pair.base.label} request body ({media_type})"
        else:
            usage = pair.usage("response", status=status, name=media_type, test="reads")
            match = after.get(media_type)
            message = f"status {status} no longer returns {media_type}"
            subject = f"{pair.base.label} -> {status} {media_type}"
        if match is None:
            yield pair.emit(f"{family}-media-type-removed", message, on=media, usage=usage)
            continue
        yield from pair.schemas(
            family, media.schema, match.schema, subject=subject, pointer=match.pointer, usage=usage
        )


def _response_headers(
    pair: OperationPair, status: str, old: model.Response, new: model.Response
) -> Iterator[Finding]:
    for key, header in old.headers.items():
        usage = pair.usage("header", status=status, name=header.name, test="reads")
        match = new.headers.get(key)
        subject = f"{pair.base.label} -> {status} header {header.name}"
        if match is None:
            message = f"header {header.name} no longer returned with {status}"
            yield pair.emit(
                "response-header-removed", message, on=header, usage=usage, subject=subject
            )
            continue
        if header.required and not match.required:
            message = f"header {header.name} now optional"
            yield pair.emit(
                "response-property-optional", message, on=match, usage=usage, subject=subject
            )
        yield from pair.schemas(
            "response",
            header.schema,
            match.schema,
            subject=subject,
            pointer=match.pointer,
            usage=usage,
        )


@OPERATIONS.check
def security_changes(pair: OperationPair) -> Iterator[Finding]:
    old, new = requirements(pair.base), requirements(pair.head)
    if new is None:
        return
    usage = pair.usage("operation")
    needed, names = new
    wanted = " or ".join(describe(alt, names) for alt in needed)
    if old is None:
        yield pair.emit("security-added", f"now requires {wanted}", on=pair.head, usage=usage)
        return
    held, old_names = old
    for alternative in unmet(held, needed):
        shown = describe(alternative, {**names, **old_names})
        message = f"clients holding {shown} are refused; now requires {wanted}"
        yield pair.emit("security-changed", message, on=pair.head, usage=usage)


@OPERATIONS.check
def operation_id_changes(pair: OperationPair) -> Iterator[Finding]:
    old, new = pair.base.operation_id, pair.head.operation_id
    if old and new and old != new:
        message = f"operationId {old} -> {new}"
        yield pair.emit(
            "operation-id-changed", message, on=pair.head, usage=pair.usage("operation")
        )
