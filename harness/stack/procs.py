"""Process liveness and process-group shutdown by pid, for processes we may not own.

``harness down`` runs in another process than ``harness up``, so it cannot wait() on
the children. It reads /proc instead: a zombie counts as gone (nobody may reap it in a
container), and a recorded start time guards against signalling a recycled pid.
Elsewhere than Linux it falls back to ``os.kill(pid, 0)``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class ProcStat:
    pid: int
    state: str
    pgid: int
    start_ticks: int


def read_stat(pid: int) -> ProcStat | None:
    """Parse ``/proc/PID/stat``; None when the process does not exist or /proc is absent."""
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except (OSError, ValueError):
        return None
    # The command name sits in parentheses and may hold spaces: split after the last ')'.
    fields = raw.rsplit(")", 1)[1].split()
    return ProcStat(pid=pid, state=fields[0], pgid=int(fields[2]), start_ticks=int(fields[19]))


def start_ticks(pid: int) -> int | None:
    stat = read_stat(pid)
    return stat.start_ticks if stat else None


def has_procfs() -> bool:
    return (PROC / "self" / "stat").exists()


def is_alive(pid: int, ticks: int | None = None) -> bool:
    """True when ``pid`` runs (not a zombie) and, if given, started at ``ticks``."""
    if has_procfs():
        stat = read_stat(pid)
        if stat is None or stat.state in ("Z", "X"):
            return False
        return ticks is None or stat.start_ticks == ticks
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes in process group ``pgid``."""
    if not has_procfs():
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return []
        return [pgid]
    members = []
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            stat = read_stat(int(entry.name))
            if stat and stat.pgid == pgid and stat.state not in ("Z", "X"):
                members.append(stat.pid)
    return members


@dataclass(frozen=True)
class GroupRef:
    """A process group we started: its leader's pid (= pgid) and the leader's start time."""

    pid: int
    pgid: int
    start_ticks: int | None = None

    def belongs_to_us(self) -> bool:
        """False when the leader's pid now names another process.

        A pgid cannot be reused while any process is in the group, so a live leader with
        another start time means our group is gone.
        """
        stat = read_stat(self.pid)
        if stat is None or self.start_ticks is None or stat.state in ("Z", "X"):
            return True
        return stat.start_ticks == self.start_ticks

    def members(self) -> list[int]:
        return group_members(self.pgid) if self.belongs_to_us() else []


def signal_group(ref: GroupRef, sig: int) -> None:
    if ref.members():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(ref.pgid, sig)


def wait_groups_gone(refs: Iterable[GroupRef], *, timeout: float) -> list[GroupRef]:
    """Poll until every group is empty or the deadline passes; return the ones left."""
    pending = list(refs)
    deadline = time.monotonic() + timeout
    while pending:
        pending = [ref for ref in pending if ref.members()]
        if not pending or time.monotonic() >= deadline:
            break
        time.sleep(0.02)
    return pending


def stop_groups(refs: Sequence[GroupRef], *, timeout: float) -> list[int]:
    """SIGTERM every group, wait up to ``timeout``, SIGKILL stragglers.

    Returns the pids still alive afterwards (empty on success).
    """
    for ref in refs:
        signal_group(ref, signal.SIGTERM)
    stragglers = wait_groups_gone(refs, timeout=timeout)
    for ref in stragglers:
        signal_group(ref, signal.SIGKILL)
    left = wait_groups_gone(stragglers, timeout=min(timeout, 5.0))
    return sorted(pid for ref in left for pid in ref.members())
