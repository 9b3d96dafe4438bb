"""Every error the harness raises on purpose derives from ``HarnessError``.

The CLI turns a ``HarnessError`` into a one-line reason and exit code 1; anything else
is a bug and keeps its traceback. Third-party errors (OSError from sockets, asyncpg,
aiokafka) are translated where they enter, so callers catch one tree::

    HarnessError
     +-- ConfigError                  bad option or setting (what, where, how to fix)
     +-- StackError                   the embedded stack could not do what was asked
     |    +-- PortInUseError          a port of the topology is taken
     |    +-- StackAlreadyRunningError the state folder already tracks live processes
     |    +-- StateError              the state file is missing or unreadable
     |    +-- DatabaseError           PostgreSQL could not be reached or prepared
     |    +-- StopError               a process would not die
     |    +-- ServiceFailedError      a process failed to become ready
     |         +-- ProcessExitedError      it exited
     |         +-- ReadinessTimeoutError   the deadline passed first
     +-- FeatureUnavailableError      a part of the product is not installed or not built yet
     +-- Interrupted                  a stop was requested (a signal) while waiting
"""

from __future__ import annotations

from collections.abc import Sequence


class HarnessError(Exception):
    """Root of the harness's own errors."""


class ConfigError(HarnessError):
    """An option or setting is invalid."""


class FeatureUnavailableError(HarnessError):
    """A command needs a part of the product that is missing."""


class Interrupted(HarnessError):
    """A stop was requested while waiting; not a failure of the thing waited for."""


class StackError(HarnessError):
    """The embedded stack could not start, stop or inspect its processes."""


class PortInUseError(StackError):
    def __init__(self, ports: Sequence[int], *, port_base: int) -> None:
        self.ports = tuple(ports)
        self.port_base = port_base
        listed = ", ".join(str(p) for p in self.ports)
        noun = "port" if len(self.ports) == 1 else "ports"
        super().__init__(
            f"{noun} {listed} already in use (port base {port_base}); stop what holds "
            f"{'it' if len(self.ports) == 1 else 'them'} or choose another base with "
            f"--port-base N"
        )


class StackAlreadyRunningError(StackError):
    """The state folder records processes that are still alive."""


class StateError(StackError):
    """The state file is missing, unreadable or from an unknown version."""


class DatabaseError(StackError):
    """PostgreSQL could not be reached, or a database could not be created or dropped."""


class StopError(StackError):
    """Processes survived SIGTERM and SIGKILL."""


class ServiceFailedError(StackError):
    """A process did not become ready; carries the last lines of its log."""

    def __init__(self, name: str, reason: str, *, log_tail: Sequence[str] = ()) -> None:
        self.name = name
        self.reason = reason
        self.log_tail = tuple(log_tail)
        super().__init__(f"{name}: {reason}")


class ProcessExitedError(ServiceFailedError):
    def __init__(self, name: str, returncode: int, *, log_tail: Sequence[str] = ()) -> None:
        self.returncode = returncode
        super().__init__(name, f"exited with code {returncode}", log_tail=log_tail)


class ReadinessTimeoutError(ServiceFailedError):
    def __init__(
        self, name: str, *, timeout: float, detail: str, log_tail: Sequence[str] = ()
    ) -> None:
        self.timeout = timeout
        reason = f"not ready after {timeout:g} s (last probe: {detail})"
        super().__init__(name, reason, log_tail=log_tail)
