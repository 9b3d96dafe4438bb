"""The suites ``harness run`` knows, in the order it runs them.

The event suite runs last: it reads every topic from the beginning, so it also checks
what the other suites' traffic put on the bus.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.errors import ConfigError

SUITES_ROOT = Path(__file__).resolve().parents[1] / "suites"


@dataclass(frozen=True)
class Suite:
    name: str
    title: str
    needs_kafka: bool = False

    @property
    def directory(self) -> Path:
        return SUITES_ROOT / self.name


SUITES: tuple[Suite, ...] = (
    Suite("drift", "Drift: each service serves its contract"),
    Suite("contract", "Contract: consumer pacts, provider verification"),
    Suite("fuzz", "Fuzz: Schemathesis over every operation"),
    Suite("events", "Events: AsyncAPI over Kafka, consumers, saga flow", needs_kafka=True),
)


def select_suites(names: list[str]) -> list[Suite]:
    by_name = {s.name: s for s in SUITES}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise ConfigError(f"unknown suite(s) {unknown}; choose from {list(by_name)}")
    chosen = set(names) or set(by_name)
    return [s for s in SUITES if s.name in chosen]
