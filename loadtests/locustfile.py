"""The harness's load test: shopper journeys on the gateway, an optional named shape.

Run it through ``harness load`` (which seeds the catalog and checks the SLOs), or with
Locust directly: ``locust -f loadtests/locustfile.py --host http://127.0.0.1:8000``.
"""

from __future__ import annotations

import os

from loadtests.journeys import Shopper

__all__ = ["Shopper"]

if os.environ.get("HARNESS_LOAD_SHAPE"):
    from loadtests.shapes import NamedShape

    __all__ += ["NamedShape"]
