"""Planted defects: off by default, checked by name per service, documented."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from harness.errors import ConfigError
from harness.stack.options import StackOptions
from reference_services.kit.defects import DEFECTS, planted_payload
from reference_services.payments.config import PaymentsSettings

DOC = Path(__file__).resolve().parents[3] / "docs" / "defects.md"


def test_no_defect_is_on_by_default() -> None:
    assert PaymentsSettings(test_mode=True).defects == frozenset()


def test_a_services_own_defect_is_accepted_from_a_comma_list() -> None:
    settings = PaymentsSettings(test_mode=True, defects="no-compensation")
    assert settings.has_defect("no-compensation")


def test_another_services_defect_is_refused_with_the_known_list() -> None:
    with pytest.raises(ValidationError, match="its defects: no-compensation"):
        PaymentsSettings(test_mode=True, defects="boundary-500")


def test_the_stack_refuses_an_unknown_defect_before_starting() -> None:
    with pytest.raises(ConfigError, match="payments:no-compensation"):
        StackOptions(defects=("payments:nope",)).validate()


def test_renamed_field_changes_only_order_created() -> None:
    payload = {"order_id": "o", "total_cents": 5}
    on = frozenset({"renamed-event-field"})
    assert planted_payload(on, "order.created", payload) == {"order_id": "o", "amount_cents": 5}
    assert planted_payload(on, "order.completed", payload) == payload
    assert planted_payload(frozenset(), "order.created", payload) == payload


def test_every_defect_is_documented() -> None:
    text = DOC.read_text()
    for name, defect in DEFECTS.items():
        assert f"`{defect.service}:{name}`" in text
        assert defect.does in text
