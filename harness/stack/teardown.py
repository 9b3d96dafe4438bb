"""Stopping a recorded stack from its state file: ``harness down`` and the cleanup paths.

Works from any process: it signals process groups by pid, never relying on being the
parent. Idempotent: a second run finds nothing alive and says so.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

from harness.errors import DatabaseError, StackAlreadyRunningError, StopError
from harness.stack.database import drop_databases
from harness.stack.process import BROKER, FAULT_PROXY
from harness.stack.procs import stop_groups
from harness.stack.state import StackState, load_state, save_state

HARNESS_EXIT_GRACE = 3.0


@dataclass
class DownReport:
    found_state: bool
    stopped: list[str] = field(default_factory=list)
    dropped_databases: list[str] = field(default_factory=list)
    stopped_harness_pid: int | None = None

    @property
    def anything_stopped(self) -> bool:
        return bool(self.stopped or self.dropped_databases or self.stopped_harness_pid)


def ensure_not_running(state_dir: Path) -> None:
    """Refuse to start a second stack over one that the state folder still tracks."""
    state = load_state(state_dir)
    if state is None:
        return
    live = [f"{r.name} (pid {r.pid})" for r in state.live_processes()]
    if state.harness_alive() and state.harness_pid != os.getpid():
        live.insert(0, f"harness (pid {state.harness_pid})")
    if live:
        raise StackAlreadyRunningError(
            f"a stack is already running from {state_dir}: {', '.join(live)}; "
            f"stop it with `harness down --state-dir {state_dir}` or use another --state-dir"
        )


def teardown(state_dir: Path, state: StackState, *, timeout: float) -> DownReport:
    """Stop every recorded live process (services, the broker, the fault proxy), drop the
    databases.

    Pids are cleared from the state file even when a database cannot be dropped.
    """
    report = DownReport(found_state=True)
    live = state.live_processes()
    report.stopped = [record.name for record in live]
    left: list[int] = []
    for batch in (
        [r for r in live if r.kind not in (BROKER, FAULT_PROXY)],
        [r for r in live if r.kind == BROKER],
        [r for r in live if r.kind == FAULT_PROXY],
    ):
        left += stop_groups([g for r in batch if (g := r.group()) is not None], timeout=timeout)
    for record in state.processes.values():
        record.pid = None
        record.pgid = None
        record.start_ticks = None
    if state.harness_pid == os.getpid():
        state.harness_pid = None
        state.harness_start_ticks = None
    save_state(state_dir, state)
    if left:
        raise StopError(f"processes still alive after SIGKILL: {left}")
    _drop_recorded_databases(state_dir, state, report)
    return report


def down(state_dir: Path, *, timeout: float = 10.0) -> DownReport:
    """Stop the stack recorded in ``state_dir``; a report says what was running."""
    state = load_state(state_dir)
    if state is None:
        return DownReport(found_state=False)
    stopped_harness = None
    if state.harness_alive() and not state.detached and state.harness_pid != os.getpid():
        # A foreground `harness up` owns the children: let it stop them in order.
        stopped_harness = state.harness_pid
        _stop_harness(state, timeout=timeout)
        state = load_state(state_dir) or state
    report = teardown(state_dir, state, timeout=timeout)
    report.stopped_harness_pid = stopped_harness
    return report


def _stop_harness(state: StackState, *, timeout: float) -> None:
    assert state.harness_pid is not None
    try:
        os.kill(state.harness_pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 2 * timeout + HARNESS_EXIT_GRACE
    while time.monotonic() < deadline and state.harness_alive():
        time.sleep(0.05)


def _drop_recorded_databases(state_dir: Path, state: StackState, report: DownReport) -> None:
    info = state.database
    if not info.databases:
        return
    try:
        drop_databases(info.server_url, info.databases)
    except DatabaseError as exc:
        raise DatabaseError(f"{exc} (databases {sorted(info.databases.values())} kept)") from exc
    report.dropped_databases = sorted(info.databases.values())
    info.databases = {}
    save_state(state_dir, state)
