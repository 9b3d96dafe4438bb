"""The shipped experiments on the embedded stack (routed through chaos.proxy): all hold;
a planted defect makes the right one deviate; an interrupted run leaves no fault behind."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from harness.run.targets import target_from_state
from harness.stack.embedded import EmbeddedStack
from harness.stack.options import StackOptions
from harness.stack.ports import pick_free_port_base
from harness.stack.topology import Topology
from tests.helpers import wait_until

pytestmark = pytest.mark.integration
SHIPPED = Path(__file__).resolve().parents[3] / "chaos" / "experiments"


def start(where: Path, *defects: str) -> EmbeddedStack:
    stack = EmbeddedStack(
        Topology(port_base=pick_free_port_base()),
        where / "state",
        options=StackOptions(test_mode=True, routed=True, defects=defects),
    )
    stack.start()
    (where / "target.json").write_text(target_from_state(stack.state).to_json())
    return stack


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[EmbeddedStack]:
    built = start(tmp_path)
    yield built
    built.stop()


def chaos(where: Path, name: str, folder: Path | None = None) -> subprocess.Popen[str]:
    extra = ["--folder", str(folder)] if folder else []
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "harness.cli.main",
            "chaos",
            "run",
            name,
            "--target",
            str(where / "target.json"),
            "--reports",
            str(where / "reports"),
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    out, _ = process.communicate(timeout=300)
    return process.returncode, out


def test_every_shipped_experiment_holds(stack: EmbeddedStack, tmp_path: Path) -> None:
    code, out = finish(chaos(tmp_path, "all"))
    assert code == 0, out
    journals = list((tmp_path / "reports" / "chaos").glob("*.json"))
    shipped = list((Path(__file__).resolve().parents[3] / "chaos" / "experiments").glob("*.yaml"))
    assert len(journals) == len(shipped) >= 6
    assert all(json.loads(j.read_text())["held"] for j in journals)
    assert list((tmp_path / "reports" / "allure-results").glob("*-result.json"))


def test_without_a_breaker_the_latency_experiment_deviates(tmp_path: Path) -> None:
    stack = start(tmp_path, "orders:no-breaker")
    try:
        code, out = finish(chaos(tmp_path, "latency-orders-products"))
    finally:
        stack.stop()
    assert code == 1, out
    assert "DEVIATED breaker" in out and "DEVIATED fail_fast" in out


def test_bypassing_the_outbox_loses_orders_and_the_experiment_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "experiments"
    folder.mkdir()
    shipped = Path(__file__).resolve().parents[3] / "chaos" / "experiments" / "kafka-down.yaml"
    # the same experiment with a shorter convergence deadline, to fail sooner
    (folder / "kafka-down.yaml").write_text(
        shipped.read_text().replace("converge: {within: 60}", "converge: {within: 20}")
    )
    stack = start(tmp_path, "orders:outbox-bypass")
    try:
        code, out = finish(chaos(tmp_path, "kafka-down", folder))
    finally:
        stack.stop()
    assert code == 1, out
    assert "DEVIATED converge" in out


def test_when_payments_kafka_does_not_go_dark_the_blackhole_experiment_says_so(
    stack: EmbeddedStack, tmp_path: Path
) -> None:
    folder = tmp_path / "experiments"
    folder.mkdir()
    shipped = SHIPPED / "payments-kafka-blackhole.yaml"
    # the same experiment with toxics that never apply: the saga flows on
    (folder / shipped.name).write_text(
        shipped.read_text().replace("toxicity: 1.0", "toxicity: 0.0")
    )
    code, out = finish(chaos(tmp_path, "payments-kafka-blackhole", folder))
    assert code == 1, out
    assert "DEVIATED stalled" in out and "DEVIATED ready: payments" in out
    assert "held     converge" in out


def test_an_experiment_on_a_link_the_proxy_lacks_is_refused_before_it_runs(
    stack: EmbeddedStack, tmp_path: Path
) -> None:
    folder = tmp_path / "experiments"
    folder.mkdir()
    (folder / "typo.yaml").write_text(
        "title: a misspelt link\nhypothesis: {}\n"
        "method: [{link: {name: orders-product, enabled: false}}, {wait: 1}]\n"
        "rollbacks: [{link: {name: orders-product, enabled: true}}]\n"
    )
    code, out = finish(chaos(tmp_path, "typo", folder))
    assert code == 1
    assert "link 'orders-product' (did you mean 'orders-products'?) not on" in out
    code, out = finish(chaos(tmp_path, "all", folder))
    assert code == 1 and "skipped typo:" in out
    assert "a misspelt link" not in out  # the title is printed only when an experiment runs
    assert not list((tmp_path / "reports").glob("chaos/*.json"))  # nothing ran


def test_an_interrupted_experiment_rolls_back(stack: EmbeddedStack, tmp_path: Path) -> None:
    proxy = stack.url("proxy")
    process = chaos(tmp_path, "latency-orders-products")
    wait_until(
        lambda: httpx.get(f"{proxy}/proxies/orders-products/toxics", timeout=5).json(),
        timeout=60,
        what="the experiment's toxic on the link",
    )
    process.send_signal(signal.SIGINT)
    code, out = finish(process)
    assert code == 1 and "interrupted: rolling back" in out, out
    assert httpx.get(f"{proxy}/proxies/orders-products/toxics", timeout=5).json() == []
