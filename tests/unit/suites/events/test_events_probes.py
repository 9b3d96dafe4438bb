"""Reading a consumer's counters and health from outside."""

from __future__ import annotations

from harness.suites.events.probes import Health, consumed_counts

EXPOSITION = """\
# HELP events_consumed_total Events consumed by outcome
# TYPE events_consumed_total counter
events_consumed_total{outcome="processed",topic="order.created"} 6.0
events_consumed_total{outcome="dead_lettered",topic="order.created"} 7.0
events_created{outcome="processed",topic="order.created"} 1.7e9
# TYPE consumer_lag gauge
consumer_lag{partition="0",topic="order.created"} 0.0
"""


def test_consumed_counts_by_topic_and_outcome() -> None:
    counts = consumed_counts(EXPOSITION)
    assert counts[("order.created", "processed")] == 6
    assert counts[("order.created", "dead_lettered")] == 7
    assert counts[("payment.failed", "processed")] == 0
    assert len(counts) == 2


def test_health_is_ok_only_when_both_endpoints_say_200() -> None:
    assert Health(200, 200).ok and str(Health(200, 200)) == "/health 200, /health/ready 200"
    down = Health(200, 503, "broker down")
    assert not down.ok and str(down).endswith("(broker down)")
    assert "no answer" in str(Health(0, 0))
