"""A circuit breaker: pure state, an injectable clock, no I/O.

closed --(threshold consecutive failures)--> open --(recovery timeout)--> half_open
half_open --(trial succeeds)--> closed;  half_open --(trial fails)--> open
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"


@dataclass
class CircuitBreaker:
    name: str
    failure_threshold: int = 5
    recovery_timeout: float = 5.0
    enabled: bool = True
    clock: Callable[[], float] = time.monotonic
    on_change: Callable[[str, str], None] | None = None
    state: str = field(default=CLOSED, init=False)
    failures: int = field(default=0, init=False)
    opened_at: float = field(default=0.0, init=False)
    trial_in_flight: bool = field(default=False, init=False)

    def allow(self) -> bool:
        """May a call go out now? In half-open, only one trial call at a time."""
        if not self.enabled or self.state == CLOSED:
            return True
        if self.state == OPEN:
            if self.clock() - self.opened_at < self.recovery_timeout:
                return False
            self._move(HALF_OPEN)
        if self.trial_in_flight:
            return False
        self.trial_in_flight = True
        return True

    def retry_after(self) -> float:
        """Seconds until the breaker will let a trial call through."""
        if self.state != OPEN:
            return 0.0
        return max(0.0, self.recovery_timeout - (self.clock() - self.opened_at))

    def record_success(self) -> None:
        self.failures = 0
        self.trial_in_flight = False
        if self.state != CLOSED:
            self._move(CLOSED)

    def record_failure(self) -> None:
        self.trial_in_flight = False
        if not self.enabled:
            return
        self.failures += 1
        if self.state == HALF_OPEN or self.failures >= self.failure_threshold:
            self.opened_at = self.clock()
            if self.state != OPEN:
                self._move(OPEN)

    def _move(self, state: str) -> None:
        self.state = state
        if state == CLOSED:
            self.failures = 0
        if self.on_change:
            self.on_change(self.name, state)
