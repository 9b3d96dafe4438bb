"""One supervised process: what to run (``ProcessSpec``) and the running child.

Each child leads its own session, so the terminal's Ctrl-C reaches only the harness
(which then stops children in order), and the whole group can be signalled at once.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from harness.stack.probes import HttpProbe, KafkaProbe
from harness.stack.procs import GroupRef, start_ticks

BROKER = "broker"
SERVICE = "service"
FAULT_PROXY = "proxy"


@dataclass(frozen=True)
class ProcessSpec:
    """What to run. ``env`` is laid over the harness's own environment."""

    name: str
    argv: tuple[str, ...]
    probe: HttpProbe | KafkaProbe
    env: Mapping[str, str] = field(default_factory=dict)
    url: str = ""
    kind: str = SERVICE
    cwd: Path | None = None


@dataclass
class RunningProcess:
    spec: ProcessSpec
    popen: subprocess.Popen[bytes]
    log_path: Path
    started_at: float
    start_ticks: int | None

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def group(self) -> GroupRef:
        return GroupRef(pid=self.pid, pgid=self.pid, start_ticks=self.start_ticks)

    def returncode(self) -> int | None:
        """The exit code once the child has exited (reaping it), else None."""
        return self.popen.poll()

    def reap(self, timeout: float = 5.0) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=timeout)


def spawn(spec: ProcessSpec, log_path: Path, *, append: bool = False) -> RunningProcess:
    """Start ``spec`` with stdout and stderr going to ``log_path``."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab" if append else "wb") as log:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        log.write(f"--- harness: starting {spec.name} at {stamp}\n".encode())
        log.flush()
        popen = subprocess.Popen(
            spec.argv,
            env={**os.environ, **spec.env},
            cwd=spec.cwd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return RunningProcess(
        spec=spec,
        popen=popen,
        log_path=log_path,
        started_at=time.monotonic(),
        start_ticks=start_ticks(popen.pid),
    )


def tail(path: Path, lines: int = 20) -> list[str]:
    """The last ``lines`` lines of a log file (empty if it does not exist)."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - 64 * 1024))
            text = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return []
    return text.splitlines()[-lines:]
