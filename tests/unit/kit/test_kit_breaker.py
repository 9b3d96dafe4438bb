from reference_services.kit.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make(**kwargs: object) -> tuple[CircuitBreaker, Clock, list[str]]:
    clock, changes = Clock(), []
    breaker = CircuitBreaker(
        "products",
        failure_threshold=3,
        recovery_timeout=5.0,
        clock=clock,
        on_change=lambda _n, s: changes.append(s),
        **kwargs,
    )  # type: ignore[arg-type]
    return breaker, clock, changes


def test_opens_after_threshold_consecutive_failures_and_fails_fast() -> None:
    breaker, _, changes = make()
    for _ in range(2):
        assert breaker.allow()
        breaker.record_failure()
    assert breaker.state == CLOSED
    breaker.record_failure()
    assert breaker.state == OPEN and changes == [OPEN]
    assert not breaker.allow()
    assert breaker.retry_after() == 5.0


def test_a_success_resets_the_failure_count() -> None:
    breaker, _, _ = make()
    breaker.record_failure()
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    breaker.record_failure()
    assert breaker.state == CLOSED


def test_half_open_lets_one_trial_through_and_closes_on_success() -> None:
    breaker, clock, changes = make()
    for _ in range(3):
        breaker.record_failure()
    clock.now += 5.0
    assert breaker.allow()
    assert breaker.state == HALF_OPEN
    assert not breaker.allow(), "a second concurrent trial must wait"
    breaker.record_success()
    assert breaker.state == CLOSED and changes == [OPEN, HALF_OPEN, CLOSED]
    assert breaker.allow()


def test_failed_trial_reopens_for_a_full_recovery_timeout() -> None:
    breaker, clock, _ = make()
    for _ in range(3):
        breaker.record_failure()
    clock.now += 6.0
    assert breaker.allow()
    breaker.record_failure()
    assert breaker.state == OPEN
    clock.now += 4.9
    assert not breaker.allow()
    clock.now += 0.2
    assert breaker.allow()


def test_disabled_breaker_never_opens() -> None:
    breaker, _, _ = make(enabled=False)
    for _ in range(10):
        breaker.record_failure()
    assert breaker.state == CLOSED and breaker.allow()
