"""``harness up/status/down`` as real commands: detach, foreground signals, failures."""

from __future__ import annotations

import json
import os
import shlex
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.stack.state import StackState, load_state
from harness.stack.teardown import down
from tests.helpers import wait_until
from tests.integration.stack.conftest import HARNESS, alive_pids, fake_command, harness_cli

pytestmark = pytest.mark.integration

PROCESSES = 10  # the fault proxy, Tansu, payments' Kafka entry proxy and seven services


def up_args(state_dir: Path, port_base: int, *fake_options: str) -> list[str]:
    command = shlex.join(fake_command(*fake_options))
    return [
        "up",
        "--state-dir",
        str(state_dir),
        "--port-base",
        str(port_base),
        "--service-command",
        command,
    ]


def all_pids(state: StackState) -> list[int]:
    return [r.pid for r in state.processes.values() if r.pid is not None]


@pytest.fixture
def cleanup(state_dir: Path) -> Iterator[None]:
    """Whatever a test leaves running is stopped through the state file."""
    yield
    down(state_dir, timeout=5)


@pytest.fixture
def foreground(
    state_dir: Path, port_base: int, tmp_path: Path, cleanup: None
) -> Iterator[subprocess.Popen[str]]:
    """``harness up`` in the foreground, returned once its state says all-ready."""
    process = subprocess.Popen(
        [HARNESS, *up_args(state_dir, port_base)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until(lambda: ready_state(state_dir), timeout=60, what="harness up all-ready")
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def ready_state(state_dir: Path) -> StackState | None:
    state = load_state(state_dir)
    return state if state is not None and state.ready_at is not None else None


def test_detach_status_down(state_dir: Path, port_base: int, tmp_path: Path, cleanup: None) -> None:
    started = harness_cli(*up_args(state_dir, port_base), "--detach", cwd=tmp_path)
    assert started.returncode == 0, started.stderr
    assert "all ready in" in started.stdout
    assert f"http://127.0.0.1:{port_base + 3}" in started.stdout
    state = load_state(state_dir)
    assert state is not None
    pids = all_pids(state)
    assert len(alive_pids(pids)) == PROCESSES  # the harness has exited, its children have not

    status = harness_cli("status", "--state-dir", str(state_dir), cwd=tmp_path)
    assert status.returncode == 0
    ready = [line.endswith("  ready") for line in status.stdout.splitlines()]
    assert ready.count(True) == PROCESSES
    report = json.loads(
        harness_cli("status", "--state-dir", str(state_dir), "--json", cwd=tmp_path).stdout
    )
    assert report["all_ready"] is True
    assert {p["name"]: p["pid"] for p in report["processes"]}["kafka"] == state.processes[
        "kafka"
    ].pid

    stopped = harness_cli("down", "--state-dir", str(state_dir), cwd=tmp_path)
    assert stopped.returncode == 0
    assert f"stopped {PROCESSES} process(es)" in stopped.stdout
    assert alive_pids(pids) == []
    again = harness_cli("down", "--state-dir", str(state_dir), cwd=tmp_path)
    assert (again.returncode, "nothing running" in again.stdout) == (0, True)
    after = harness_cli("status", "--state-dir", str(state_dir), cwd=tmp_path)
    assert after.returncode == 1
    assert "nothing running" in after.stdout


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_foreground_stops_everything_on_a_signal(
    foreground: subprocess.Popen[str], state_dir: Path, sig: signal.Signals
) -> None:
    state = ready_state(state_dir)
    assert state is not None
    pids = all_pids(state)
    foreground.send_signal(sig)
    out, err = foreground.communicate(timeout=60)
    assert foreground.returncode == 0, err
    assert "stopped; no process left" in out
    assert alive_pids(pids) == []


def test_foreground_reports_a_service_that_dies(
    foreground: subprocess.Popen[str], state_dir: Path
) -> None:
    state = ready_state(state_dir)
    assert state is not None
    pids = all_pids(state)
    victim = state.processes["payments"].pid
    assert victim is not None
    os.kill(victim, signal.SIGKILL)
    _, err = foreground.communicate(timeout=60)
    assert foreground.returncode == 1
    assert "payments failed: exited with code -9" in err
    assert "last" in err and "payments: listening on" in err
    assert alive_pids(pids) == []


def test_down_from_another_terminal_stops_the_foreground_harness(
    foreground: subprocess.Popen[str], state_dir: Path, tmp_path: Path
) -> None:
    state = ready_state(state_dir)
    assert state is not None
    stopped = harness_cli("down", "--state-dir", str(state_dir), cwd=tmp_path)
    assert stopped.returncode == 0
    assert f"stopped the foreground harness (pid {foreground.pid})" in stopped.stdout
    foreground.communicate(timeout=30)
    assert foreground.returncode == 0
    assert alive_pids(all_pids(state)) == []


def test_a_crash_at_startup_exits_1_with_the_log(
    state_dir: Path, port_base: int, tmp_path: Path, cleanup: None
) -> None:
    result = harness_cli(*up_args(state_dir, port_base, "--crash=inventory"), cwd=tmp_path)
    assert result.returncode == 1
    assert "inventory failed: exited with code 3" in result.stderr
    assert "simulated crash at startup" in result.stderr
    state = load_state(state_dir)
    assert state is not None and all_pids(state) == []


def test_ctrl_c_while_starting_leaves_nothing(
    state_dir: Path, port_base: int, tmp_path: Path, cleanup: None
) -> None:
    args = [*up_args(state_dir, port_base, "--never-ready=gateway"), "--timeout", "300"]
    process = subprocess.Popen([HARNESS, *args], cwd=tmp_path, stdout=subprocess.PIPE, text=True)

    def services_spawned() -> list[int]:
        state = load_state(state_dir)
        return all_pids(state) if state is not None and len(all_pids(state)) == PROCESSES else []

    pids = wait_until(services_spawned, timeout=60, what="every process spawned")
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 0
    assert "stopped; no process left" in out
    assert alive_pids(pids) == []


def test_a_taken_port_is_a_one_line_error_suggesting_port_base(
    state_dir: Path, port_base: int, tmp_path: Path
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port_base + 92))
        sock.listen()
        result = harness_cli(*up_args(state_dir, port_base), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"harness: error: port {port_base + 92} already in use (port base {port_base}); "
        "stop what holds it or choose another base with --port-base N"
    )


def test_down_cleans_up_after_a_killed_harness(
    foreground: subprocess.Popen[str], state_dir: Path, tmp_path: Path
) -> None:
    state = ready_state(state_dir)
    assert state is not None
    pids = all_pids(state)
    foreground.kill()  # SIGKILL: no chance to stop its children
    foreground.wait(timeout=30)
    assert len(alive_pids(pids)) == PROCESSES
    stopped = harness_cli("down", "--state-dir", str(state_dir), cwd=tmp_path)
    assert stopped.returncode == 0
    assert f"stopped {PROCESSES} process(es)" in stopped.stdout
    assert alive_pids(pids) == []
