"""History carry-over: one line per run, a regenerated report neither adds a line nor
shows its own run as the previous one."""

from __future__ import annotations

import json
from pathlib import Path

from harness.report.history import (
    HistoryPlan,
    HistoryStore,
    LastRun,
    plan_history,
    results_fingerprint,
)

LINES = ['{"uuid": "r1"}', '{"uuid": "r2"}']


def test_new_results_see_all_earlier_runs_and_are_recorded() -> None:
    assert plan_history(LINES, LastRun("old", 2), "new") == HistoryPlan(tuple(LINES), True)
    assert plan_history([], None, "new") == HistoryPlan((), True)


def test_the_same_results_again_hide_their_own_line_and_add_none() -> None:
    assert plan_history(LINES, LastRun("same", 2), "same") == HistoryPlan((LINES[0],), False)


def test_a_history_edited_since_is_shown_whole_and_left_alone() -> None:
    assert plan_history(LINES, LastRun("same", 5), "same") == HistoryPlan(tuple(LINES), False)


def test_fingerprint_changes_with_a_new_run_only(tmp_path: Path) -> None:
    (tmp_path / "a-result.json").write_text("{}")
    (tmp_path / "a-attachment.txt").write_text("x")
    first = results_fingerprint(tmp_path)
    (tmp_path / "environment.properties").write_text("k=v")  # written after each run
    assert results_fingerprint(tmp_path) == first
    (tmp_path / "b-result.json").write_text("{}")
    assert results_fingerprint(tmp_path) != first


def test_store_records_what_allure_wrote(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history")
    assert store.lines() == []
    assert store.last_run() is None
    view = store.write_view(HistoryPlan(tuple(LINES), True), tmp_path / "history" / "v.jsonl")
    with view.open("a") as out:  # what Allure does when it appends this run
        out.write('{"uuid": "r3"}\n')
    store.record(view, "fp")
    assert store.lines() == [*LINES, '{"uuid": "r3"}']
    assert store.last_run() == LastRun("fp", 3)
    assert not view.exists()


def test_an_unreadable_last_run_counts_as_none(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path)
    store.last_run_file.write_text("{not json")
    assert store.last_run() is None
    store.last_run_file.write_text(json.dumps({"fingerprint": "x"}))
    assert store.last_run() is None
