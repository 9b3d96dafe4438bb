"""Circuit breaker state changes on the timeline (pure).

The world polls every breaker's state from the services' /metrics during a run; here the
readings become marks (when a breaker changed, and to what) and the marks become
vertical lines on the timeline's SVG charts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from harness.load.charts import HEIGHT, PAD, WIDTH

BREAKER_STATES = {0.0: "closed", 1.0: "open", 2.0: "half_open"}  # the kit's gauge values
_GAUGE = re.compile(r'^circuit_breaker_state\{dependency="([^"]+)"\} (\S+)$', re.MULTILINE)
STATE_COLOURS = {"open": "#d62728", "half_open": "#ff7f0e", "closed": "#2ca02c"}


@dataclass(frozen=True)
class Reading:
    """Every breaker's state at one moment: ``{"orders->products": "open", ...}``."""

    at: float  # seconds since the experiment began
    states: Mapping[str, str]


@dataclass(frozen=True)
class Mark:
    at: float
    breaker: str  # "service->dependency"
    state: str

    @property
    def label(self) -> str:
        return f"{self.breaker} {self.state}"


def breaker_states(service: str, metrics: str) -> dict[str, str]:
    """``{"service->dependency": state}`` from a service's /metrics text."""
    return {
        f"{service}->{dependency}": BREAKER_STATES.get(float(value), value)
        for dependency, value in _GAUGE.findall(metrics)
    }


def transitions(readings: Iterable[Reading]) -> list[Mark]:
    """A mark wherever a breaker's state differs from its previous reading.

    A breaker first seen in a state other than closed is marked too (it was open
    before anyone looked); one first seen closed is not.
    """
    last: dict[str, str] = {}
    marks = []
    for reading in readings:
        for breaker, state in sorted(reading.states.items()):
            if last.get(breaker, "closed") != state:
                marks.append(Mark(reading.at, breaker, state))
            last[breaker] = state
    return marks


def draw_marks(svg: str, marks: Sequence[Mark], x_max: float) -> str:
    """Add a dashed vertical line and a label per mark to one of ``line_chart``'s SVGs,
    on the same x scale (``x_max`` seconds across the plot area)."""
    if not marks:
        return svg
    x_max = x_max or 1.0
    parts = []
    for index, mark in enumerate(marks):
        x = PAD + (WIDTH - 2 * PAD) * min(mark.at, x_max) / x_max
        colour = STATE_COLOURS.get(mark.state, "#555")
        y = PAD + 10 + 11 * (index % 4)  # stagger labels of marks close together
        # labels on the right half end at their line, so they stay inside the chart
        anchor, dx = ("end", -2) if x > WIDTH / 2 else ("start", 2)
        parts.append(
            f'<line class="breaker-mark" x1="{x:.1f}" y1="{PAD}" x2="{x:.1f}" '
            f'y2="{HEIGHT - PAD}" stroke="{colour}" stroke-dasharray="4,3"/>'
            f'<text x="{x + dx:.1f}" y="{y}" text-anchor="{anchor}" fill="{colour}">'
            f"{escape(mark.label)}</text>"
        )
    head, tail = svg.rsplit("</svg>", 1)
    return head + "\n".join(parts) + "\n</svg>" + tail
