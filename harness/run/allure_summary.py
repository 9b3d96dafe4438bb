"""The coverage table as one Allure result, so the HTML report shows it beside the suites.

Written in the Allure results format (a ``<uuid>-result.json`` plus an attachment file),
the same files allure-pytest writes.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path


def attach_coverage(results: Path, table_markdown: str, *, percent: float) -> Path:
    results.mkdir(parents=True, exist_ok=True)
    attachment = f"{uuid.uuid4()}-attachment.md"
    (results / attachment).write_text(table_markdown + "\n")
    now = int(time.time() * 1000)
    result = {
        "uuid": str(uuid.uuid4()),
        "historyId": "harness-coverage",
        "name": f"Coverage across suites: {percent:.1f}%",
        "fullName": "harness.coverage",
        "status": "passed",
        "stage": "finished",
        "start": now,
        "stop": now,
        "labels": [{"name": "epic", "value": "coverage"}, {"name": "suite", "value": "coverage"}],
        "attachments": [
            {
                "name": "operation x status, channel x message",
                "source": attachment,
                "type": "text/markdown",
            }
        ],
    }
    path = results / f"{result['uuid']}-result.json"
    path.write_text(json.dumps(result, indent=2))
    return path
