"""Prometheus text for /metrics: bytes received and sent per proxy and direction.

Same names and labels as the real server's ``-proxy-metrics``:
``toxiproxy_proxy_received_bytes_total`` (read from the source of a direction) and
``toxiproxy_proxy_sent_bytes_total`` (written to its destination), labelled
``direction``, ``listener``, ``proxy``, ``upstream``. Counts include open connections.
"""

from __future__ import annotations

from collections.abc import Iterable

from chaos.proxy.proxy import MetricKey

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

_FAMILIES = (
    (
        "toxiproxy_proxy_received_bytes_total",
        "The total number of bytes received on a proxy link, per direction.",
    ),
    (
        "toxiproxy_proxy_sent_bytes_total",
        "The total number of bytes sent on a proxy link, per direction.",
    ),
)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(key: MetricKey) -> str:
    direction, proxy, listener, upstream = (_escape(part) for part in key)
    return f'direction="{direction}",listener="{listener}",proxy="{proxy}",upstream="{upstream}"'


def render(rows: Iterable[tuple[MetricKey, int, int]]) -> str:
    """Exposition text for ``(labels, received, sent)`` rows."""
    rows = list(rows)
    lines: list[str] = []
    for index, (name, help_text) in enumerate(_FAMILIES):
        if not rows:
            continue
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} counter")
        for key, *values in rows:
            lines.append(f"{name}{{{_labels(key)}}} {values[index]}")
    return "".join(f"{line}\n" for line in lines)
