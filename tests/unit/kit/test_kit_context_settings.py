import pytest
from pydantic import ValidationError

from reference_services.kit.context import (
    clean_request_id,
    outgoing_headers,
    parse_traceparent,
    request_id_var,
    trace_var,
)
from reference_services.orders.config import OrdersSettings


def test_traceparent_round_trip_and_rejects_malformed_values() -> None:
    value = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    trace = parse_traceparent(value)
    assert trace is not None and trace.traceparent == value
    for bad in ("", "garbage", "00-" + "0" * 32 + "-00f067aa0ba902b7-01", value + "x"):
        assert parse_traceparent(bad) is None


def test_outgoing_headers_continue_the_current_trace_with_a_new_span() -> None:
    trace = parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
    tokens = request_id_var.set("req-1"), trace_var.set(trace)
    try:
        headers = outgoing_headers()
    finally:
        request_id_var.reset(tokens[0])
        trace_var.reset(tokens[1])
    child = parse_traceparent(headers["traceparent"])
    assert headers["x-request-id"] == "req-1"
    assert child is not None and trace is not None
    assert child.trace_id == trace.trace_id and child.span_id != trace.span_id


def test_hostile_request_ids_are_replaced() -> None:
    assert clean_request_id("abc-123") == "abc-123"
    assert clean_request_id("a\nb") != "a\nb"
    assert len(clean_request_id("x" * 500)) < 100


def test_default_jwt_secret_is_refused_outside_test_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ORDERS_TEST_MODE", raising=False)
    monkeypatch.delenv("ORDERS_JWT_SECRET", raising=False)
    with pytest.raises(ValidationError, match="ORDERS_JWT_SECRET is the development default"):
        OrdersSettings()
    assert OrdersSettings(test_mode=True).test_mode
    monkeypatch.setenv("ORDERS_JWT_SECRET", "a" * 40)
    assert OrdersSettings().jwt_secret.get_secret_value() == "a" * 40


def test_database_urls_are_mapped_to_async_drivers(tmp_path: object) -> None:
    s = OrdersSettings(test_mode=True, database_url="postgresql://u@h:5432/db")
    assert s.resolved_database_url() == "postgresql+asyncpg://u@h:5432/db"
    s = OrdersSettings(test_mode=True, database_url="")
    assert s.resolved_database_url().startswith("sqlite+aiosqlite:///")
    assert s.resolved_database_url().endswith("/orders.db")
