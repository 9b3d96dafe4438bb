"""Every rule the gate knows: id, default severity, what it detects, and whom it breaks.

Structural rules (an operation, status code, channel... gone or changed) are listed one by
one. Schema rules come in four families built from one table, because the same change
means opposite things depending on who writes the data:

- ``request`` (what a client sends: bodies, parameters, request headers) and
  ``subscribe`` (what others send to a channel the documented service receives from)
  may only widen: a narrowing rejects data that was valid yesterday.
- ``response`` (what a provider returns: bodies and headers) and ``publish`` (what the
  documented service sends to a channel) may only narrow: a widening hands readers data
  they were promised they would never get.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from harness.gate.model import Severity

Family = Literal["request", "response", "publish", "subscribe"]
INPUT_FAMILIES: tuple[Family, ...] = ("request", "subscribe")
OUTPUT_FAMILIES: tuple[Family, ...] = ("response", "publish")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    contract: Literal["openapi", "asyncapi", "pacts"]
    title: str
    breaks: str  # one line: whom it breaks, and why

    def __str__(self) -> str:
        return self.id


RULES: dict[str, Rule] = {}

B, W, INFO = Severity.BREAKING, Severity.WARNING, Severity.INFO


def _add(rule: Rule) -> Rule:
    if rule.id in RULES:
        raise ValueError(f"rule {rule.id} defined twice")
    RULES[rule.id] = rule
    return rule


def get_rule(rule_id: str) -> Rule:
    return RULES[rule_id]


def closest_rule(text: str) -> str | None:
    """The known rule id closest to ``text`` (for "did you mean" hints)."""
    close = difflib.get_close_matches(text, list(RULES), n=1)
    return close[0] if close else None


_OPENAPI = (
    ("path-removed", B, "path removed", "clients calling it get 404"),
    ("operation-removed", B, "method removed from a path", "clients calling it get 405/404"),
    (
        "request-parameter-added-required",
        B,
        "required parameter added",
        "clients that do not send it are rejected",
    ),
    (
        "request-parameter-made-required",
        B,
        "optional parameter made required",
        "clients that omit it are rejected",
    ),
    (
        "request-parameter-location-changed",
        B,
        "parameter moved (e.g. query to header)",
        "clients send it where the provider no longer looks",
    ),
    (
        "request-parameter-removed",
        W,
        "parameter removed",
        "clients still send it and the provider silently ignores it",
    ),
    (
        "request-body-required",
        B,
        "request body made required",
        "clients that send no body are rejected",
    ),
    (
        "request-body-removed",
        W,
        "request body removed",
        "clients still send a body the provider now ignores",
    ),
    (
        "request-media-type-removed",
        B,
        "request media type no longer accepted",
        "clients sending it get 415",
    ),
    (
        "response-status-removed",
        B,
        "success or redirect status code removed",
        "clients that expect it see an undocumented response",
    ),
    (
        "response-error-status-removed",
        W,
        "error status code removed",
        "clients handling it keep dead code; harmless unless they rely on it",
    ),
    (
        "response-status-added",
        W,
        "status code added",
        "clients may not handle the new status",
    ),
    (
        "response-media-type-removed",
        B,
        "response media type removed",
        "clients that ask for it (Accept) or parse it lose it",
    ),
    (
        "response-header-removed",
        B,
        "response header removed",
        "clients that read it no longer get it",
    ),
    (
        "security-added",
        B,
        "security requirement added",
        "clients without the new credentials get 401/403",
    ),
    (
        "security-changed",
        B,
        "security requirement changed (scheme or scopes)",
        "clients holding the old credentials or scopes get 401/403",
    ),
    (
        "operation-id-changed",
        W,
        "operationId changed",
        "generated clients rename their method; links by operationId break",
    ),
)

_ASYNCAPI = (
    ("channel-removed", B, "channel (topic) removed", "subscribers and producers lose the topic"),
    (
        "channel-renamed",
        B,
        "channel address or Kafka topic renamed",
        "services still use the old topic name",
    ),
    (
        "channel-operation-removed",
        B,
        "send or receive operation removed",
        "a send removed starves the channel's subscribers; a receive removed leaves "
        "messages unprocessed",
    ),
    (
        "channel-message-removed",
        B,
        "message removed from a channel",
        "subscribers waiting for it never get it; senders of it are rejected",
    ),
    (
        "channel-message-added",
        B,
        "message added to a published channel",
        "subscribers receive a message type they cannot parse",
    ),
    (
        "message-content-type-changed",
        B,
        "message content type changed",
        "subscribers decode the value with the old format",
    ),
    (
        "message-key-changed",
        B,
        "Kafka message key changed",
        "partitioning and per-key ordering change for subscribers",
    ),
)

_PACTS = (
    (
        "pact-interaction-unmatched",
        W,
        "pact interaction matches nothing in the contracts",
        "a consumer relies on an operation or topic its provider does not document",
    ),
)

for _id, _severity, _title, _breaks in _OPENAPI:
    _add(Rule(_id, _severity, "openapi", _title, _breaks))
for _id, _severity, _title, _breaks in _ASYNCAPI:
    _add(Rule(_id, _severity, "asyncapi", _title, _breaks))
for _id, _severity, _title, _breaks in _PACTS:
    _add(Rule(_id, _severity, "pacts", _title, _breaks))

# Schema rules. {noun} names the data, {who} the readers (output) or writers (input).
_FAMILY_WORDS: dict[Family, tuple[str, str]] = {
    "request": ("request field", "clients whose requests no longer validate get 4xx"),
    "subscribe": ("received message field", "producers whose messages are now rejected"),
    "response": ("response field", "clients that read the response"),
    "publish": ("published message field", "subscribers that parse the message"),
}
_OUTPUT_CHANGES = (
    ("property-removed", B, "{noun} removed", "{who} no longer get it"),
    ("property-optional", B, "{noun} made optional", "{who} may not get it"),
    ("enum-value-added", B, "enum value added to a {noun}", "{who} get a value they do not know"),
    ("type-changed", B, "{noun} type changed", "{who} get another type"),
    (
        "widened",
        B,
        "{noun} widened (looser bounds or format, null allowed, new variant, closed object opened)",
        "{who} get values they were promised they would never get",
    ),
    ("unverifiable", W, "{noun} changed in a way the gate cannot prove compatible", "{who}"),
    ("compatible", INFO, "{noun} changed compatibly (narrowed)", "nobody"),
)
_INPUT_CHANGES = (
    ("property-required", B, "{noun} made required (or added as required)", "{who}"),
    ("enum-value-removed", B, "enum value removed from a {noun}", "{who}"),
    ("type-changed", B, "{noun} type changed", "{who}"),
    (
        "narrowed",
        B,
        "{noun} narrowed (tighter bounds or format, null refused, variant removed, object closed)",
        "{who}",
    ),
    ("property-removed", W, "{noun} removed", "senders still send it and it is ignored"),
    ("default-changed", W, "{noun} default changed", "senders that omit it get new behaviour"),
    ("unverifiable", W, "{noun} changed in a way the gate cannot prove compatible", "{who}"),
    ("compatible", INFO, "{noun} changed compatibly (widened)", "nobody"),
)


def schema_rule_id(family: Family, change: str) -> str:
    return f"{family}-{change}"


for _family, (_noun, _who) in _FAMILY_WORDS.items():
    _contract: Literal["openapi", "asyncapi"] = (
        "openapi" if _family in ("request", "response") else "asyncapi"
    )
    _changes = _INPUT_CHANGES if _family in INPUT_FAMILIES else _OUTPUT_CHANGES
    for _change, _severity, _title, _breaks in _changes:
        _add(
            Rule(
                schema_rule_id(_family, _change),
                _severity,
                _contract,
                _title.format(noun=_noun),
                _breaks.format(who=_who),
            )
        )
