"""Write Allure results directly (``<uuid>-result.json`` plus attachment files), for
outcomes that are not pytest tests: the coverage table, the load run's SLOs."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Attachment:
    name: str
    content: str
    mime: str = "text/plain"
    extension: str = "txt"


def write_result(
    results: Path,
    *,
    name: str,
    passed: bool,
    epic: str,
    feature: str = "",
    message: str = "",
    attachments: tuple[Attachment, ...] = (),
    history_id: str | None = None,
) -> Path:
    results.mkdir(parents=True, exist_ok=True)
    files = []
    for attachment in attachments:
        source = f"{uuid.uuid4()}-attachment.{attachment.extension}"
        (results / source).write_text(attachment.content)
        files.append({"name": attachment.name, "source": source, "type": attachment.mime})
    now = int(time.time() * 1000)
    labels = [{"name": "epic", "value": epic}, {"name": "suite", "value": epic}]
    if feature:
        labels.append({"name": "feature", "value": feature})
    result = {
        "uuid": str(uuid.uuid4()),
        "historyId": history_id or f"{epic}:{feature}:{name}",
        "name": name,
        "fullName": f"harness.{epic}.{name}",
        "status": "passed" if passed else "failed",
        "statusDetails": {"message": message} if message else {},
        "stage": "finished",
        "start": now,
        "stop": now,
        "labels": labels,
        "attachments": files,
    }
    path = results / f"{result['uuid']}-result.json"
    path.write_text(json.dumps(result, indent=2))
    return path


def attach_coverage(results: Path, table_markdown: str, *, percent: float) -> Path:
    return write_result(
        results,
        name=f"Coverage across suites: {percent:.1f}%",
        passed=True,
        epic="coverage",
        attachments=(
            Attachment(
                "operation x status, channel x message", table_markdown, "text/markdown", "md"
            ),
        ),
        history_id="harness-coverage",
    )
