"""Defect categories: realistic failures land where docs/reports.md says they do."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from harness.report.categories import (
    CATEGORIES,
    allure2_categories,
    allure3_rules,
    classify,
    whole_text,
    write_categories,
)

INFRA, CONTRACT, PRODUCT, TEST = (
    "Infrastructure problems",
    "Contract violations",
    "Product defects",
    "Test defects",
)


def pytest_trace(source_line: str, error: str) -> str:
    """A trace as allure-pytest records it: the test's source, then pytest's E lines."""
    errors = "\n".join(f"E       {line}" for line in error.splitlines())
    return f"    def test_it():\n>       {source_line}\n{errors}\n\ntest_x.py:3: Error"


GROUP_TRACE = """+ Exception Group Traceback (most recent call last):
  |   File "test_fuzz.py", line 6, in test_api
  |     case.call_and_validate()
  | schemathesis.core.failures.FailureGroup: Schemathesis found 2 distinct failures
  +-+---------------- 1 ----------------
    | schemathesis.openapi.checks.UndefinedStatusCode: Undocumented HTTP status code
    |
    | Received: 500
    +---------------- 2 ----------------
    | schemathesis.openapi.checks.JsonSchemaError: Response violates schema
    +------------------------------------"""

CASES = [
    # (status, message, trace, expected)
    ("broken", "httpx.ConnectError: [Errno 111] Connection refused", "", INFRA),
    ("broken", "ConnectionRefusedError: [Errno 111] Connection refused", "", INFRA),
    ("broken", "httpx.ReadTimeout: timed out", "", INFRA),
    ("broken", "aiokafka.errors.KafkaConnectionError: Unable to bootstrap from", "", INFRA),
    ("failed", "Failed: Timeout >300.0s", "", INFRA),
    ("broken", "harness.errors.ReadinessTimeoutError: orders: not ready after 30 s", "", INFRA),
    (
        "broken",
        "RuntimeError: could not reach orders",
        pytest_trace("raise ConnectionRefusedError()", "ConnectionRefusedError: refused"),
        INFRA,
    ),
    ("failed", "AssertionError: orders drifted from orders.yaml:\n- GET /x", "", CONTRACT),
    (
        "failed",
        "harness.contracts.errors.RecordViolationError: order.created breaks AsyncAPI",
        "",
        CONTRACT,
    ),
    ("broken", "jsonschema.exceptions.ValidationError: 'id' is a required property", "", CONTRACT),
    ("broken", "pact.error.MismatchesError: Mismatches:\n  (1) Body mismatch", "", CONTRACT),
    ("failed", "AssertionError: users does not honour gateway-users.json:", "", CONTRACT),
    ("broken", "FailureGroup: Schemathesis found 2 distinct failures", GROUP_TRACE, CONTRACT),
    ("broken", "UndefinedStatusCode: Undocumented HTTP status code", "", CONTRACT),
    (
        "broken",
        "FailureGroup: Schemathesis found 2 distinct failures",
        GROUP_TRACE.replace("Response violates schema", "Server error"),
        PRODUCT,  # a 500 outranks the undocumented status code that comes with it
    ),
    ("broken", "ServerError: Server error\n\n[500] Internal Server Error", "", PRODUCT),
    ("broken", "httpx.HTTPStatusError: Server error '503 Service Unavailable'", "", PRODUCT),
    ("broken", "IgnoredAuth: Authentication declared but not enforced", "", PRODUCT),
    ("failed", "AssertionError: order o-1 never COMPLETED\nassert 'CANCELLED' == 'x'", "", PRODUCT),
    ("broken", "KeyError: 'items'", pytest_trace("body['items']", "KeyError: 'items'"), TEST),
    ("passed", "", "", None),
    ("skipped", "Skipped: no contract", "", None),
]


@pytest.mark.parametrize(("status", "message", "trace", "expected"), CASES)
def test_each_failure_lands_in_its_category(
    status: str, message: str, trace: str, expected: str | None
) -> None:
    assert classify(status, message, trace) == expected


def test_the_test_source_in_a_trace_is_not_read_as_the_error() -> None:
    trace = pytest_trace(
        "except httpx.ConnectError: pytest.fail('x')", "AssertionError: total is 3, not 4"
    )
    assert classify("failed", "AssertionError: total is 3, not 4", trace) == PRODUCT


def test_allure3_rules_keep_first_match_order_one_rule_per_name() -> None:
    rules = allure3_rules()
    assert [r["name"] for r in rules] == [INFRA, CONTRACT, PRODUCT, TEST]
    product = rules[2]["matchers"]
    assert [set(m) for m in product] == [
        {"statuses", "message"},
        {"statuses", "trace"},
        {"statuses"},  # the catch-all for failed assertions comes last
    ]


def test_categories_of_one_name_stand_together() -> None:
    # Allure 3 merges same-name rules into the first one's place.
    names = [c.name for c in CATEGORIES]
    for name in set(names):
        first = names.index(name)
        assert names[first : first + names.count(name)] == [name] * names.count(name)


@pytest.mark.parametrize(("status", "message", "trace", "expected"), CASES)
def test_allure2_whole_text_patterns_agree(
    status: str, message: str, trace: str, expected: str | None
) -> None:
    # Allure 2 matches whole texts (Java Matcher.matches); the first entry that matches.
    for entry in allure2_categories():
        if status not in entry["matchedStatuses"]:
            continue
        if "messageRegex" in entry and not re.fullmatch(entry["messageRegex"], message):
            continue
        if "traceRegex" in entry and not re.fullmatch(entry["traceRegex"], trace):
            continue
        assert entry["name"] == expected
        return
    assert expected is None


def test_whole_text_wraps_a_search_pattern() -> None:
    assert re.fullmatch(whole_text("b+"), "a\nbb\nc")
    assert not re.fullmatch(whole_text("b+"), "a\nc")


def test_categories_json_is_written_into_the_results(tmp_path: Path) -> None:
    path = write_categories(tmp_path / "allure-results")
    assert path.name == "categories.json"
    assert {entry["name"] for entry in json.loads(path.read_text())} == {
        INFRA,
        CONTRACT,
        PRODUCT,
        TEST,
    }
