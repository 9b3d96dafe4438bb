"""The coverage table: concrete requests map to their operation and documented status."""

from __future__ import annotations

from pathlib import Path

import yaml

from harness.run.coverage import apply_records, measure, render, universe
from harness.target import Contracts, Target

DOC = {
    "openapi": "3.1.0",
    "paths": {
        "/orders": {"post": {"operationId": "createOrder", "responses": {"201": {}, "422": {}}}},
        "/orders/{order_id}": {
            "get": {"operationId": "getOrder", "responses": {"200": {}, "404": {}}}
        },
    },
}


def make_target(tmp_path: Path) -> Target:
    (tmp_path / "openapi").mkdir()
    (tmp_path / "openapi" / "orders.yaml").write_text(yaml.safe_dump(DOC))
    contracts = Contracts(openapi=tmp_path / "openapi", asyncapi=None, pacts=tmp_path / "pacts")
    return Target(name="t", gateway="http://127.0.0.1:1", services={}, contracts=contracts)


def test_requests_count_for_their_template_and_status(tmp_path: Path) -> None:
    coverage, operations = universe(make_target(tmp_path))
    assert coverage.total == 4 and coverage.covered == 0
    records = [
        {
            "suite": "fuzz",
            "kind": "http",
            "service": "orders",
            "method": "get",
            "path": "/orders/8d1c?x=1",
            "status": 404,
        },
        {
            "suite": "contract",
            "kind": "http",
            "service": "orders",
            "method": "GET",
            "path": "/orders/8d1c",
            "status": 404,
        },
        {
            "suite": "fuzz",
            "kind": "http",
            "service": "orders",
            "method": "POST",
            "path": "/orders",
            "status": 201,
        },
    ]
    apply_records(coverage, operations, records)
    assert coverage.rows[("http", "orders", "GET /orders/{order_id}", "404")] == {
        "fuzz",
        "contract",
    }
    assert coverage.covered == 2 and coverage.percent == 50.0


def test_undocumented_statuses_are_listed_not_counted(tmp_path: Path) -> None:
    coverage, operations = universe(make_target(tmp_path))
    record = {
        "suite": "fuzz",
        "kind": "http",
        "service": "orders",
        "method": "GET",
        "path": "/orders/1",
        "status": 500,
    }
    apply_records(coverage, operations, [record])
    assert coverage.covered == 0
    assert ("orders", "GET /orders/{order_id}", "500") in coverage.undocumented
    assert "undocumented status 500 seen by fuzz" in render(coverage)


def test_a_path_segment_parameter_does_not_match_across_slashes(tmp_path: Path) -> None:
    coverage, operations = universe(make_target(tmp_path))
    record = {
        "suite": "fuzz",
        "kind": "http",
        "service": "orders",
        "method": "GET",
        "path": "/orders/1/extra",
        "status": 200,
    }
    apply_records(coverage, operations, [record])
    assert coverage.covered == 0 and not coverage.undocumented


def test_measure_reads_every_suites_records(tmp_path: Path) -> None:
    target = make_target(tmp_path)
    records = tmp_path / "coverage"
    records.mkdir()
    (records / "fuzz.jsonl").write_text(
        '{"suite": "fuzz", "kind": "http", "service": "orders", "method": "POST", '
        '"path": "/orders", "status": 422}\n'
    )
    coverage = measure(target, records)
    assert coverage.covered == 1
    assert "coverage: 1/4 (25.0%)" in render(coverage, markdown=True)
