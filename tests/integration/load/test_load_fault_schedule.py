"""A headless run with a fault schedule (``--fault NAME@START-STOP``): the fault is
switched on and off by the shape's clock, its window lands in faults.json, faults.csv,
summary.json and the charts, and the link is whole again after the run."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from harness.load.faults import read_journal
from harness.target import Target
from tests.integration.load.commands import harness_load

pytestmark = pytest.mark.integration

FAULT, LINK = "products-link-down", "orders-products"


def test_a_scheduled_fault_is_switched_and_its_window_recorded(
    load_stack: tuple[Path, Target], tmp_path: Path
) -> None:
    target_file, target = load_stack
    lenient = tmp_path / "lenient.yaml"  # the fault fails orders on purpose
    lenient.write_text("aggregate:\n  rps_min: 0.1\n")
    done = harness_load(
        target_file,
        tmp_path,
        *("--users", "4", "--spawn-rate", "4", "--duration", "10"),
        *("--fault", f"{FAULT}@2-6", "--slo", str(lenient)),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = tmp_path / "load"
    [window] = read_journal(out)
    assert (window.fault, window.source) == (FAULT, "schedule")
    assert window.off is not None and window.off > window.on
    [recorded] = json.loads((out / "summary.json").read_text())["faults"]
    assert recorded["fault"] == FAULT and recorded["on_s"] < recorded["off_s"]
    assert FAULT in (out / "faults.csv").read_text() and FAULT in done.stdout
    assert "<rect" in (out / "requests-per-second.svg").read_text()  # the shaded window
    proxy = httpx.get(f"{target.toxiproxy}/proxies/{LINK}", timeout=5).raise_for_status()
    assert proxy.json()["enabled"] is True


def test_an_unknown_fault_is_refused_with_the_known_names(
    target_file: Path, tmp_path: Path
) -> None:
    done = harness_load(target_file, tmp_path, "--fault", "products-link-dwn@1-2")
    assert done.returncode == 1
    assert "did you mean 'products-link-down'" in done.stderr
    assert not (tmp_path / "load" / "stats_stats.csv").exists()


def test_a_malformed_fault_entry_is_a_usage_error(target_file: Path, tmp_path: Path) -> None:
    done = harness_load(target_file, tmp_path, "--fault", "kafka-down@5")
    assert done.returncode == 2
    assert "expected NAME@START-STOP" in done.stderr
