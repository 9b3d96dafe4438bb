"""Chaos under load, the pure parts: faults from the experiment files, the headless
schedule and when it switches, the fault journal, and fault windows on the charts."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from harness.errors import ConfigError
from harness.load.faults import (
    Scheduled,
    Window,
    due,
    faults_from_experiments,
    link_cut,
    parse_schedule,
    read_journal,
    write_journal,
)
from harness.load.results import fault_spans, write_summary
from harness.target import PROJECT_ROOT

EXPERIMENTS = PROJECT_ROOT / "chaos" / "experiments"


def test_each_experiment_gives_a_fault_without_its_waits() -> None:
    faults = {f.name: f for f in faults_from_experiments(EXPERIMENTS)}
    kafka = faults["kafka-down"]
    cut = [{"link": {"name": name, "enabled": False}} for name in ("kafka", "payments-kafka")]
    assert kafka.on == tuple(cut)
    assert kafka.off == tuple({"link": {**a["link"], "enabled": True}} for a in cut)
    slow = faults["latency-orders-products"]
    assert [next(iter(a)) for a in slow.on] == ["toxic"] and slow.links == ("orders-products",)
    assert all("wait" not in action for f in faults.values() for action in f.on)


def test_a_link_cut_disables_then_enables_its_link() -> None:
    cut = link_cut("orders-users")
    assert cut.name == "cut-orders-users" and cut.links == ("orders-users",)
    assert cut.on[0]["link"]["enabled"] is False and cut.off[0]["link"]["enabled"] is True


def test_a_schedule_parses_and_names_are_checked() -> None:
    schedule = parse_schedule("kafka-down@5-15, cut-kafka@20.5-30", ["kafka-down", "cut-kafka"])
    assert schedule == [Scheduled("kafka-down", 5, 15), Scheduled("cut-kafka", 20.5, 30)]
    with pytest.raises(ConfigError, match="did you mean 'kafka-down'"):
        parse_schedule("kafka-dwn@1-2", ["kafka-down"])


@pytest.mark.parametrize("entry", ["kafka-down", "kafka-down@5", "kafka-down@9-3", "@1-2", "x@a-b"])
def test_a_malformed_schedule_entry_says_the_form(entry: str) -> None:
    with pytest.raises(ConfigError, match="expected NAME@START-STOP"):
        parse_schedule(entry)


def test_due_switches_on_inside_the_window_and_off_after_it() -> None:
    entry = Scheduled("kafka-down", 5, 10)
    assert due([entry], 1, active=set(), done=set()) == []
    assert due([entry], 5, active=set(), done=set()) == [(entry, True)]
    assert due([entry], 7, active={"kafka-down"}, done=set()) == []
    assert due([entry], 10, active={"kafka-down"}, done=set()) == [(entry, False)]
    assert due([entry], 12, active=set(), done={entry}) == []


def test_the_journal_round_trips_and_writes_csv(tmp_path: Path) -> None:
    windows = [Window("kafka-down", "ui", 1000.0, 1012.5), Window("cut-kafka", "schedule", 1020.0)]
    write_journal(tmp_path, windows)
    assert read_journal(tmp_path) == windows
    rows = list(csv.DictReader((tmp_path / "faults.csv").open()))
    assert rows[0]["fault"] == "kafka-down" and rows[0]["seconds_on"] == "12.500"
    assert rows[1]["switched_off"] == ""


def test_a_broken_journal_says_how_to_fix_it(tmp_path: Path) -> None:
    (tmp_path / "faults.json").write_text("{}")
    with pytest.raises(ConfigError, match="delete it and rerun"):
        read_journal(tmp_path)


def test_fault_windows_are_placed_on_the_charts_time_axis(tmp_path: Path) -> None:
    history = tmp_path / "stats_stats_history.csv"
    history.write_text("Timestamp,User Count,Type,Name,Requests/s\n1000,1,,Aggregated,2\n")
    windows = [Window("kafka-down", "schedule", 1005.0, 1009.0)]
    spans = fault_spans(windows, history)
    assert spans == [(5.0, 9.0)]
    summary = json.loads(write_summary(tmp_path, [], windows, spans).read_text())
    assert summary["faults"][0] == {
        "fault": "kafka-down",
        "source": "schedule",
        "on": 1005.0,
        "off": 1009.0,
        "on_s": 5.0,
        "off_s": 9.0,
    }
