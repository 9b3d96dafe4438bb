"""A generic supervisor: start process specs, wait for readiness, notice exits, stop.

It knows nothing about Kafka or the reference services; ``EmbeddedStack`` feeds it
specs. Readiness is polled against one deadline for the whole batch, and a child that
exits while we wait fails the batch at once rather than at the deadline.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from harness.errors import (
    Interrupted,
    ProcessExitedError,
    ReadinessTimeoutError,
    StackError,
    StopError,
)
from harness.stack.process import ProcessSpec, RunningProcess, spawn, tail
from harness.stack.procs import stop_groups

POLL_INTERVAL = 0.05
LOG_TAIL_LINES = 20

ReadyCallback = Callable[[str, float], None]


class Supervisor:
    """Owns the children it spawned, by name; logs go to ``log_dir/NAME.log``."""

    def __init__(self, log_dir: Path, *, on_spawn: Callable[[RunningProcess], None] | None = None):
        self.log_dir = log_dir
        self._on_spawn = on_spawn
        self.processes: dict[str, RunningProcess] = {}

    def log_path(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    def start(self, spec: ProcessSpec, *, append_log: bool = False) -> RunningProcess:
        current = self.processes.get(spec.name)
        if current is not None and current.returncode() is None:
            raise StackError(f"{spec.name} is already running (pid {current.pid})")
        process = spawn(spec, self.log_path(spec.name), append=append_log)
        self.processes[spec.name] = process
        if self._on_spawn is not None:
            self._on_spawn(process)
        return process

    def wait_ready(
        self,
        names: Iterable[str],
        *,
        timeout: float,
        on_ready: ReadyCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> float:
        """Block until every named process's probe passes; return the seconds it took.

        Raises ``ProcessExitedError`` as soon as one exits, ``ReadinessTimeoutError``
        naming the first laggard (and listing the others) when the deadline passes, and
        ``Interrupted`` once ``cancel`` is set.
        """
        began = time.monotonic()
        deadline = began + timeout
        pending = {name: "not probed yet" for name in names}
        while pending:
            if cancel is not None and cancel.is_set():
                raise Interrupted(f"stop requested while waiting for {', '.join(pending)}")
            for name in list(pending):
                process = self.processes[name]
                self._raise_if_exited(process)
                result = process.spec.probe.check()
                if result.ready:
                    del pending[name]
                    if on_ready is not None:
                        on_ready(name, time.monotonic() - process.started_at)
                else:
                    pending[name] = result.detail
            if pending and time.monotonic() >= deadline:
                raise self._timeout(pending, timeout)
            if pending:
                time.sleep(POLL_INTERVAL)
        return time.monotonic() - began

    def first_exited(self) -> RunningProcess | None:
        """A supervised child that has exited, if any (for the foreground watch loop)."""
        for process in self.processes.values():
            if process.returncode() is not None:
                return process
        return None

    def exit_error(self, process: RunningProcess) -> ProcessExitedError:
        code = process.returncode()
        return ProcessExitedError(
            process.name,
            code if code is not None else -1,
            log_tail=tail(process.log_path, LOG_TAIL_LINES),
        )

    def stop(self, names: Iterable[str], *, timeout: float) -> None:
        """Stop the named processes together; raise ``StopError`` if any survive SIGKILL."""
        targets = [self.processes[n] for n in names if n in self.processes]
        left = stop_groups([p.group for p in targets], timeout=timeout)
        for process in targets:
            process.reap()
        if left:
            raise StopError(f"processes still alive after SIGKILL: {left}")

    def forget(self, name: str) -> None:
        self.processes.pop(name, None)

    def _raise_if_exited(self, process: RunningProcess) -> None:
        if process.returncode() is not None:
            raise self.exit_error(process)

    def _timeout(self, pending: dict[str, str], timeout: float) -> ReadinessTimeoutError:
        name, detail = next(iter(pending.items()))
        others = [n for n in pending if n != name]
        if others:
            detail += f"; also not ready: {', '.join(others)}"
        log_tail = tail(self.processes[name].log_path, LOG_TAIL_LINES)
        return ReadinessTimeoutError(name, timeout=timeout, detail=detail, log_tail=log_tail)
