"""Breaker state changes become marks on the timeline (the pure part of the plot)."""

from __future__ import annotations

import re

from harness.chaos.marks import Mark, Reading, breaker_states, draw_marks, transitions
from harness.chaos.report import timeline
from harness.chaos.world import Sample
from harness.load.charts import PAD, WIDTH

METRICS = """# HELP circuit_breaker_state Circuit breaker state (0 closed, 1 open, 2 half-open)
# TYPE circuit_breaker_state gauge
circuit_breaker_state{dependency="products"} 1.0
circuit_breaker_state{dependency="users"} 0.0
circuit_breaker_transitions_total{dependency="products",state="open"} 1.0
"""


def test_breaker_states_are_read_from_the_metrics_text() -> None:
    assert breaker_states("orders", METRICS) == {
        "orders->products": "open",
        "orders->users": "closed",
    }
    assert breaker_states("users", "# no breakers here\n") == {}


def test_only_changes_are_marked() -> None:
    readings = [
        Reading(0.0, {"orders->products": "closed", "orders->users": "closed"}),
        Reading(1.0, {"orders->products": "closed"}),  # users did not answer: no change
        Reading(2.0, {"orders->products": "open", "orders->users": "closed"}),
        Reading(3.0, {"orders->products": "open"}),
        Reading(7.5, {"orders->products": "half_open"}),
        Reading(8.0, {"orders->products": "closed", "gateway->orders": "open"}),
    ]
    assert transitions(readings) == [
        Mark(2.0, "orders->products", "open"),
        Mark(7.5, "orders->products", "half_open"),
        Mark(8.0, "gateway->orders", "open"),  # first seen open: it opened unseen
        Mark(8.0, "orders->products", "closed"),
    ]
    assert transitions([]) == []


def test_marks_are_drawn_on_both_charts_at_their_time() -> None:
    samples = [Sample(t / 2, 10.0 + t, 201, "", None, None) for t in range(21)]  # 0..10 s
    marks = [Mark(5.0, "orders->products", "open"), Mark(10.0, "orders->products", "closed")]
    svg = timeline(samples, (2.0, 6.0), marks)
    assert svg.count("<svg") == 2
    assert svg.count('class="breaker-mark"') == 4
    assert svg.count("orders-&gt;products open") == 2
    xs = {float(x) for x in re.findall(r'class="breaker-mark" x1="([\d.]+)"', svg)}
    assert xs == {PAD + (WIDTH - 2 * PAD) / 2, WIDTH - PAD}
    assert "breaker-mark" not in timeline(samples, (2.0, 6.0))


def test_a_mark_after_the_last_second_stays_on_the_chart() -> None:
    svg = draw_marks("<svg>\n</svg>", [Mark(99.0, "a->b", "closed")], x_max=10.0)
    assert f'x1="{WIDTH - PAD:.1f}"' in svg and svg.endswith("</svg>")
