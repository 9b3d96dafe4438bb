"""Server processes for benchmarks: free ports, start/ready/stop, and CPU counters.

:func:`cpu_seconds` reads ``/proc/<pid>/stat`` for a process and its descendants, so a
server's CPU per request can be set beside the generator's and a reader can see which
side was the bottleneck; :func:`machine_cpu` reads ``/proc/stat`` so the CPU that other
processes (and the hypervisor) took during a run can be shown too.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
_TICK = os.sysconf("SC_CLK_TCK")


class ServerStartError(RuntimeError):
    """A benchmark server did not answer its readiness URL in time."""


def free_port(host: str = "127.0.0.1") -> int:
    """A port the kernel just handed out (free now; another process may still take it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def cpu_seconds(*pids: int) -> float:
    """User + system CPU seconds of ``pids`` and all their live descendants (each once)."""
    stats = _all_stats()
    family, frontier = set(pids), list(pids)
    while frontier:
        parent = frontier.pop()
        children = [p for p, (ppid, _) in stats.items() if ppid == parent and p not in family]
        family.update(children)
        frontier += children
    return sum(stats[p][1] for p in family if p in stats)


@dataclass(frozen=True)
class MachineCpu:
    """Whole-machine CPU counters from ``/proc/stat``, in CPU-seconds since boot."""

    busy_s: float
    steal_s: float

    def __sub__(self, other: MachineCpu) -> MachineCpu:
        return MachineCpu(self.busy_s - other.busy_s, self.steal_s - other.steal_s)


def machine_cpu() -> MachineCpu:
    """CPU time all processes used (user + nice + system) and the hypervisor stole.

    Interrupt time is left out: most of it is our own loopback traffic, which no
    per-process counter shows.
    """
    with open("/proc/stat") as stat:
        ticks = [int(v) for v in stat.readline().split()[1:]]
    user, nice, system, steal = ticks[0], ticks[1], ticks[2], ticks[7]
    return MachineCpu((user + nice + system) / _TICK, steal / _TICK)


def wait_quiet(
    *, below_cpus: float = 0.25, window_s: float = 0.25, timeout_s: float = 15.0
) -> float:
    """Poll until the machine used fewer than ``below_cpus`` CPUs over a ``window_s`` window
    (or ``timeout_s`` passed); return the seconds waited.

    A target may leave work behind (an order's saga runs on after the POST is answered);
    without this the run after it would pay for that work.
    """
    began = time.monotonic()
    while time.monotonic() - began < timeout_s:
        before, t0 = machine_cpu(), time.perf_counter()
        time.sleep(window_s)
        if (machine_cpu() - before).busy_s / (time.perf_counter() - t0) < below_cpus:
            break
    return time.monotonic() - began


def _all_stats() -> dict[int, tuple[int, float]]:
    """``pid -> (ppid, cpu seconds)`` for every process we can read."""
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue  # exited while we looked
        fields = raw[raw.rfind(")") + 2 :].split()
        stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK)
    return stats


def wait_ready(
    url: str, *, timeout_s: float = 20.0, proc: subprocess.Popen[bytes] | None = None
) -> None:
    """Poll ``url`` until it answers < 500, the process dies, or the deadline passes."""
    deadline = time.monotonic() + timeout_s
    with httpx.Client(trust_env=False, timeout=1.0) as client:
        while time.monotonic() < deadline:
            if proc is not None and proc.poll() is not None:
                raise ServerStartError(f"server exited with {proc.returncode} before ready")
            try:
                if client.get(url).status_code < 500:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    raise ServerStartError(f"{url} not ready after {timeout_s:.0f}s")


@contextmanager
def running_server(
    argv: Sequence[str],
    *,
    ready_url: str,
    env: Mapping[str, str] | None = None,
    timeout_s: float = 20.0,
) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``argv``, wait for ``ready_url``, yield the process, then stop it (by its pid).

    Output goes to a temporary log whose tail is shown if the server fails to start.
    """
    with tempfile.TemporaryFile(prefix="bench-server-", suffix=".log") as log:
        proc = subprocess.Popen(
            list(argv), stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
        try:
            try:
                wait_ready(ready_url, timeout_s=timeout_s, proc=proc)
            except ServerStartError as exc:
                log.seek(0)
                tail = log.read().decode(errors="replace")[-1500:]
                raise ServerStartError(f"{exc}; command {list(argv)}; log tail:\n{tail}") from None
            yield proc
        finally:
            _stop(proc)


def bare_app_argv(port: int) -> list[str]:
    """The command that serves ``bench/bare_app.py`` on ``port``."""
    return [sys.executable, str(ROOT / "bench" / "bare_app.py"), "--port", str(port)]


def _stop(proc: subprocess.Popen[bytes], timeout_s: float = 10.0) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout_s)
