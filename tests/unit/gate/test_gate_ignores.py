"""Justified ignores: accepted by rule and place, with a reason; expired ones stop applying."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from harness.gate.errors import GateInputError
from harness.gate.ignores import apply_ignores, load_ignores
from harness.gate.model import Finding, Place, Severity


def _finding(rule: str = "response-property-removed") -> Finding:
    return Finding(
        rule=rule,
        severity=Severity.BREAKING,
        contract="openapi/orders.yaml",
        subject="GET /orders/{id} -> 200 application/json: total",
        message="field 'total' removed",
        why="clients that read the response no longer get it",
        place=Place(
            "openapi/orders.yaml", "/components/schemas/Order/properties/total", 12, "base"
        ),
        pointer="/paths/~1orders~1{id}/get/responses/200/content/application~1json/schema/properties/total",
    )


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "gate-ignore.yaml"
    path.write_text(text)
    return path


def test_the_shipped_ignore_file_is_an_empty_list() -> None:
    shipped = Path(__file__).resolve().parents[3] / "contracts" / "gate-ignore.yaml"
    assert load_ignores(shipped) == []


def test_an_entry_accepts_the_finding_by_location_or_subject(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "- rule: response-property-removed\n"
        "  where: 'openapi/orders.yaml#/paths/~1orders~1{id}/get/*/total'\n"
        "  reason: the web app reads it from the page\n"
        "- rule: response-*\n"
        "  where: 'GET /orders/{id} -> 200 *'\n"
        "  reason: second entry\n"
        "  expires: 2026-12-31\n",
    )
    entries = load_ignores(path)
    marked, expired = apply_ignores([_finding()], entries, dt.date(2026, 6, 1))
    assert marked[0].ignored == "the web app reads it from the page" and expired == []
    assert entries[1].covers(_finding()) and entries[1].line == 4


def test_an_expired_entry_stops_applying_and_is_reported(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "- {rule: response-property-removed, where: '*', reason: r, expires: 2026-01-31}\n",
    )
    marked, expired = apply_ignores([_finding()], load_ignores(path), dt.date(2026, 2, 1))
    assert marked[0].ignored is None and [e.expires for e in expired] == [dt.date(2026, 1, 31)]
    marked, expired = apply_ignores([_finding()], load_ignores(path), dt.date(2026, 1, 31))
    assert marked[0].ignored == "r" and expired == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "- {rule: response-property-removd, where: x, reason: r}\n",
            "did you mean 'response-property-removed'",
        ),
        ("- {rule: path-removed, where: x}\n", "lacks reason"),
        ("- {rule: path-removed, where: x, reason: r, expires: soon}\n", "expires must be a date"),
        ("- {rule: path-removed, where: x, reason: r, owner: me}\n", "unknown field 'owner'"),
        ("rule: path-removed\n", "expected a list"),
        ("- rule: [unclosed\n", "gate-ignore.yaml:2: YAML syntax error"),
    ],
)
def test_a_bad_entry_says_where_and_what(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(GateInputError) as caught:
        load_ignores(_write(tmp_path, text))
    assert expected in str(caught.value)
