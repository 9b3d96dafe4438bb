"""The gate on this project's own contracts: compatible with themselves; a deliberate
break fails with the right rule, at the right line, naming the consumers it breaks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from harness.gate.loading import ContractSet
from harness.gate.runner import GateOptions, run_gate
from harness.gate.verdict import Verdict


def _judge(base: ContractSet, head: ContractSet, **options: object) -> Verdict:
    return run_gate(base, head, GateOptions(**options))  # type: ignore[arg-type]


def test_the_project_contracts_are_compatible_with_themselves(
    project_copy: Callable[[str], Path], load: Callable[[Path], ContractSet]
) -> None:
    base, head = project_copy("base"), project_copy("head")
    verdict = _judge(load(base), load(head))
    assert verdict.exit_code == 0
    assert verdict.findings == ()
    documents = [*base.glob("openapi/*.yaml"), *base.glob("asyncapi/*.yaml")]
    assert len(verdict.documents) == len(documents) >= 8
    assert {p.status for p in verdict.pacts} == {"unverified"}  # fixtures carry no records


def _drop_total_cents(head: Path) -> None:
    orders = head / "openapi" / "orders.yaml"
    text = orders.read_text()
    text = text.replace(
        "        total_cents:\n          title: Total Cents\n          type: integer\n", "", 1
    )
    orders.write_text(text.replace("      - items\n      - total_cents\n", "      - items\n", 1))
    events = head / "asyncapi" / "events.yaml"
    text = events.read_text()
    text = text.replace(
        "required: [order_id, user_id, items, total_cents, currency, payment_token]",
        "required: [order_id, user_id, items, currency, payment_token]",
    )
    events.write_text(text)


def test_a_deliberate_break_names_rule_place_and_consumers(
    project_copy: Callable[[str], Path], load: Callable[[Path], ContractSet]
) -> None:
    base, head = project_copy("base"), project_copy("head")
    _drop_total_cents(head)
    verdict = _judge(load(base), load(head))
    assert verdict.exit_code == 1
    by_subject = {f.subject: f for f in verdict.failing}
    order = by_subject["GET /orders/{order_id} -> 200 application/json: total_cents"]
    assert order.rule == "response-property-removed"
    assert order.consumers == ("gateway",)
    assert order.place.file == "openapi/orders.yaml" and order.place.side == "base"
    assert (
        "total_cents:"
        in (base / "openapi/orders.yaml").read_text().splitlines()[order.place.line - 1]
    )
    event = by_subject["order.created OrderCreated payload: total_cents"]
    assert event.rule == "publish-property-optional"
    assert event.consumers == ("payments",)  # notifications reads order.cancelled only
    assert order.where.startswith(
        "openapi/orders.yaml#/paths/~1orders~1{order_id}/get/responses/200"
    )


def test_under_the_consumers_policy_only_used_fields_fail(
    project_copy: Callable[[str], Path], load: Callable[[Path], ContractSet]
) -> None:
    base, head = project_copy("base"), project_copy("head")
    events = head / "asyncapi" / "events.yaml"
    # order.completed has no pact in the fixtures: its change breaks no known consumer
    text = events.read_text()
    marker = "    OrderCompletedPayload:\n      type: object\n      additionalProperties: false\n"
    assert marker in text
    events.write_text(
        text.replace(
            marker, marker.replace("additionalProperties: false", "additionalProperties: true")
        )
    )
    strict = _judge(load(base), load(head))
    assert [f.rule for f in strict.failing] == ["publish-widened"]
    lenient = _judge(load(base), load(head), policy="consumers")
    assert lenient.exit_code == 0 and lenient.unused == 1
