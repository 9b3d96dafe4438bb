"""What is up: each recorded process's liveness and a fresh readiness probe."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from harness.stack.probes import probe_from_dict
from harness.stack.state import ProcessRecord, StackState, load_state


@dataclass(frozen=True)
class ProcessStatus:
    name: str
    kind: str
    url: str
    pid: int | None
    alive: bool
    ready: bool
    detail: str

    @property
    def label(self) -> str:
        if self.pid is None:
            return "stopped"
        if not self.alive:
            return "dead"
        return "ready" if self.ready else f"not ready ({self.detail})"


@dataclass(frozen=True)
class StackStatus:
    state_dir: Path
    state: StackState | None
    processes: tuple[ProcessStatus, ...]

    @property
    def running(self) -> bool:
        return any(p.alive for p in self.processes)

    @property
    def all_ready(self) -> bool:
        return bool(self.processes) and all(p.alive and p.ready for p in self.processes)

    def to_dict(self) -> dict[str, Any]:
        state = self.state
        return {
            "state_dir": str(self.state_dir),
            "running": self.running,
            "all_ready": self.all_ready,
            "port_base": state.port_base if state else None,
            "started_at": state.started_at if state else None,
            "ready_seconds": state.ready_seconds if state else None,
            "database": state.database.mode if state else None,
            "processes": [asdict(p) | {"status": p.label} for p in self.processes],
        }


def process_status(record: ProcessRecord) -> ProcessStatus:
    alive = record.alive()
    ready, detail = False, "process not running"
    if alive:
        result = probe_from_dict(record.probe).check()
        ready, detail = result.ready, result.detail
    return ProcessStatus(
        name=record.name,
        kind=record.kind,
        url=record.url,
        pid=record.pid,
        alive=alive,
        ready=ready,
        detail=detail,
    )


def stack_status(state_dir: Path) -> StackStatus:
    """Probe every recorded process in parallel (one slow service does not add up)."""
    state = load_state(state_dir)
    if state is None:
        return StackStatus(state_dir, None, ())
    records = list(state.processes.values())
    with ThreadPoolExecutor(max_workers=max(1, len(records))) as pool:
        statuses = tuple(pool.map(process_status, records))
    return StackStatus(state_dir, state, statuses)
