"""Turn the engine's changes into findings of one rule family (see ``rules.py``).

Input families (``request``, ``subscribe``) break on what narrows; output families
(``response``, ``publish``) break on what widens. The kind of change picks the most
telling rule of the family; everything else falls into ``narrowed``/``widened``.
"""

from __future__ import annotations

from dataclasses import replace

from harness.gate.context import Sides, field_pointer, field_text, finding
from harness.gate.model import Finding, Test, Usage
from harness.gate.rules import INPUT_FAMILIES, Family, schema_rule_id
from harness.gate.schema import Change, Effect

_OUTPUT_KINDS = {
    "property-removed": "property-removed",
    "property-optional": "property-optional",
    "enum-value-added": "enum-value-added",
    "type-changed": "type-changed",
}
_INPUT_KINDS = {
    "property-required": "property-required",
    "enum-value-removed": "enum-value-removed",
    "type-changed": "type-changed",
}


def change_rule(family: Family, change: Change) -> str:
    """The rule id a change falls under in ``family``."""
    effect = change.effect
    if effect is Effect.UNKNOWN:
        return schema_rule_id(family, "unverifiable")
    if family in INPUT_FAMILIES:
        if effect is Effect.DEFAULT:
            return schema_rule_id(family, "default-changed")
        if change.kind == "property-removed" and effect is Effect.WIDENS:
            return schema_rule_id(family, "property-removed")
        if effect in (Effect.NARROWS, Effect.BOTH):
            return schema_rule_id(family, _INPUT_KINDS.get(change.kind, "narrowed"))
        return schema_rule_id(family, "compatible")
    if effect in (Effect.WIDENS, Effect.BOTH):
        return schema_rule_id(family, _OUTPUT_KINDS.get(change.kind, "widened"))
    return schema_rule_id(family, "compatible")


def schema_findings(
    changes: list[Change],
    *,
    family: Family,
    sides: Sides,
    contract: str,
    subject: str,
    pointer: str,
    usage: Usage,
) -> list[Finding]:
    """One finding per change; ``subject`` and ``pointer`` name the compared schema."""
    found = []
    for change in changes:
        rule_id = change_rule(family, change)
        at = change.new or change.old
        assert at is not None
        field = field_text(change.path)
        test: Test = "reads"
        if family in INPUT_FAMILIES:
            test = "omits" if rule_id.endswith("-property-required") else "sends"
        found.append(
            finding(
                rule_id,
                contract=contract,
                subject=f"{subject}: {field}" if field else subject,
                message=change.detail,
                place=sides.place(at),
                pointer=pointer + field_pointer(change.path),
                usage=replace(usage, field=change.path, values=change.values, test=test),
            )
        )
    return found
