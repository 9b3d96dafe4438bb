"""Options of the embedded stack, validated before any side effect."""

from __future__ import annotations

from dataclasses import dataclass

from harness.errors import ConfigError
from harness.stack.database import DEFAULT_POSTGRES_URL
from harness.stack.links import service_names
from harness.stack.specs import DEFAULT_SERVICE_COMMAND, service_argv
from reference_services.kit.defects import DEFECTS

DATABASE_MODES = ("sqlite", "postgres")


@dataclass(frozen=True)
class StackOptions:
    ready_timeout: float = 30.0
    stop_timeout: float = 10.0
    database: str = "sqlite"
    postgres_url: str = DEFAULT_POSTGRES_URL
    test_mode: bool = False
    routed: bool = False
    services: tuple[str, ...] | None = None  # None: every service in the registry
    service_command: tuple[str, ...] = DEFAULT_SERVICE_COMMAND
    defects: tuple[str, ...] = ()  # "service:defect" (reference_services/kit/defects.py)

    def defects_of(self, service: str) -> tuple[str, ...]:
        return tuple(d.split(":", 1)[1] for d in self.defects if d.split(":", 1)[0] == service)

    def validate(self) -> None:
        if self.database not in DATABASE_MODES:
            raise ConfigError(f"database {self.database!r}: expected one of {DATABASE_MODES}")
        unknown = sorted(set(self.services or ()) - set(service_names()))
        if unknown:
            raise ConfigError(f"unknown services {unknown}; known: {', '.join(service_names())}")
        service_argv(self.service_command, "check")  # a bad template fails before any start
        for entry in self.defects:
            _check_defect(entry)
        if self.ready_timeout <= 0 or self.stop_timeout <= 0:
            raise ConfigError("timeouts must be positive numbers of seconds")


def _check_defect(entry: str) -> None:
    service, _, name = entry.partition(":")
    defect = DEFECTS.get(name)
    if defect is None or defect.service != service:
        known = ", ".join(f"{d.service}:{n}" for n, d in sorted(DEFECTS.items()))
        raise ConfigError(f"defect {entry!r} is not known; choose from {known}")
