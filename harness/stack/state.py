"""The state file ``<state>/stack.json``: what a running stack is made of.

``harness up`` writes it as each process starts (so a crashed harness still leaves a
record for ``harness down``); ``down`` and ``status`` read it from other processes. It
holds the stack's JWT secret and admin password, hence mode 0600 and atomic writes.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from harness.errors import StateError
from harness.stack.procs import GroupRef, is_alive

STATE_FILE = "stack.json"
VERSION = 1


@dataclass
class ProcessRecord:
    name: str
    kind: str
    pid: int | None
    pgid: int | None
    start_ticks: int | None
    url: str
    log: str
    probe: dict[str, Any]

    def group(self) -> GroupRef | None:
        if self.pid is None or self.pgid is None:
            return None
        return GroupRef(pid=self.pid, pgid=self.pgid, start_ticks=self.start_ticks)

    def alive(self) -> bool:
        return self.pid is not None and is_alive(self.pid, self.start_ticks)


@dataclass
class Secrets:
    jwt_secret: str
    admin_email: str
    admin_password: str


@dataclass
class DatabaseInfo:
    mode: str = "sqlite"
    server_url: str = ""
    databases: dict[str, str] = field(default_factory=dict)


@dataclass
class StackState:
    port_base: int
    host: str
    started_at: str
    secrets: Secrets
    database: DatabaseInfo
    test_mode: bool = False
    routed: bool = False
    harness_pid: int | None = None
    harness_start_ticks: int | None = None
    detached: bool = False
    ready_at: str | None = None
    ready_seconds: float | None = None
    processes: dict[str, ProcessRecord] = field(default_factory=dict)

    def live_processes(self) -> list[ProcessRecord]:
        return [record for record in self.processes.values() if record.alive()]

    def harness_alive(self) -> bool:
        return self.harness_pid is not None and is_alive(self.harness_pid, self.harness_start_ticks)

    def to_dict(self) -> dict[str, Any]:
        return {"version": VERSION, **asdict(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StackState:
        if data.get("version") != VERSION:
            raise StateError(f"state file version {data.get('version')!r}, expected {VERSION}")
        body = {k: v for k, v in data.items() if k != "version"}
        body["secrets"] = Secrets(**body["secrets"])
        body["database"] = DatabaseInfo(**body["database"])
        body["processes"] = {
            name: ProcessRecord(**record) for name, record in body["processes"].items()
        }
        return cls(**body)


def state_path(state_dir: Path) -> Path:
    return state_dir / STATE_FILE


def save_state(state_dir: Path, state: StackState) -> None:
    """Write atomically with mode 0600 (the file holds secrets)."""
    state_dir.mkdir(parents=True, exist_ok=True)
    target = state_path(state_dir)
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(state.to_dict(), handle, indent=2)
        handle.write("\n")
    os.chmod(temp, 0o600)
    os.replace(temp, target)


def load_state(state_dir: Path) -> StackState | None:
    """The recorded stack, or None when no state file exists."""
    path = state_path(state_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StateError(f"cannot read {path}: {exc}") from exc
    try:
        return StackState.from_dict(json.loads(text))
    except (ValueError, KeyError, TypeError) as exc:
        raise StateError(
            f"{path} is not a valid state file ({exc}); stop leftover processes by hand "
            f"and delete it"
        ) from exc
