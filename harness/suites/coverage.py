"""What the suites exercised: HTTP (service, method, path, status) and messages
(channel, message), one JSON line each, in ``$HARNESS_COVERAGE_DIR/<suite>.jsonl``.
``harness run`` maps paths to operationIds with the contracts and prints the table."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

COVERAGE_DIR_ENV = "HARNESS_COVERAGE_DIR"


class CoverageRecorder:
    def __init__(self, suite: str, directory: Path | None) -> None:
        self.suite = suite
        self.path = directory / f"{suite}.jsonl" if directory else None
        self._lock = threading.Lock()
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)

    @classmethod
    def from_env(cls, suite: str) -> CoverageRecorder:
        directory = os.environ.get(COVERAGE_DIR_ENV)
        return cls(suite, Path(directory) if directory else None)

    def http(self, service: str, method: str, path: str, status: int) -> None:
        """``path`` is the concrete request path (ids included); the report templates it."""
        self._write(
            {
                "kind": "http",
                "service": service,
                "method": method.upper(),
                "path": path,
                "status": int(status),
            }
        )

    def message(self, channel: str, message: str, *, outcome: str = "seen") -> None:
        self._write({"kind": "message", "channel": channel, "message": message, "outcome": outcome})

    def _write(self, entry: dict[str, Any]) -> None:
        if self.path is None:
            return
        line = json.dumps({"suite": self.suite, **entry}) + "\n"
        with self._lock, self.path.open("a") as out:
            out.write(line)
