"""The harness's load test: shopper journeys on the gateway, an optional named shape,
and chaos under load (faults switched from the web UI's chaos panel or a schedule).

Run it through ``harness load`` (which seeds the catalog, passes the fault proxy and
checks the SLOs), or with Locust directly:
``locust -f loadtests/locustfile.py --host http://127.0.0.1:8000``.
"""

from __future__ import annotations

import os

import loadtests.chaos  # noqa: F401  (registers the chaos panel and the fault clean-up)
from loadtests.journeys import Shopper

__all__ = ["Shopper"]

if os.environ.get("HARNESS_LOAD_SHAPE"):
    from loadtests.shapes import NamedShape

    __all__ += ["NamedShape"]
