"""History between runs, so the report shows trends (status dynamics, per-test history).

Allure 3 keeps history in one JSON Lines file, a line per generated report, named by
``historyPath`` in its config: it reads the file before generating and appends the new
report's line after (``appendHistory``), keeping the last ``historyLimit`` lines. (Allure
2's way, copying ``allure-report/history/`` into the next results folder, does nothing
for Allure 3's default report.)

Here the file is ``reports/history/history.jsonl``, outside the results and HTML folders
that each run replaces. One run must be one line: ``harness report`` regenerating the
same results must neither add a line nor show the run as its own predecessor. So the
results folder is fingerprinted, and ``last-run.json`` remembers which results the last
line came from and how many lines there were then.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

HISTORY_LIMIT = 20
"""Runs kept in the history (Allure's ``historyLimit``)."""


@dataclass(frozen=True)
class LastRun:
    fingerprint: str
    lines: int


@dataclass(frozen=True)
class HistoryPlan:
    shown: tuple[str, ...]
    """Earlier runs, as history lines for Allure to read."""
    append: bool
    """These results are a new run: Allure appends their line."""


def plan_history(lines: list[str], last: LastRun | None, fingerprint: str) -> HistoryPlan:
    """What Allure should see, and whether this generation records a new run."""
    if last is None or last.fingerprint != fingerprint:
        return HistoryPlan(tuple(lines), append=True)
    if last.lines == len(lines) and lines:
        return HistoryPlan(tuple(lines[:-1]), append=False)  # the last line is this run
    return HistoryPlan(tuple(lines), append=False)  # edited since: keep it, add nothing


def results_fingerprint(results_dir: Path) -> str:
    """Names and sizes of the result files: a new run writes new uuid-named files."""
    digest = hashlib.sha256()
    for path in sorted(results_dir.glob("*-result.json")):
        digest.update(f"{path.name}:{path.stat().st_size}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class HistoryStore:
    folder: Path

    @property
    def file(self) -> Path:
        return self.folder / "history.jsonl"

    @property
    def last_run_file(self) -> Path:
        return self.folder / "last-run.json"

    def lines(self) -> list[str]:
        if not self.file.exists():
            return []
        return [line for line in self.file.read_text().splitlines() if line.strip()]

    def last_run(self) -> LastRun | None:
        try:
            raw = json.loads(self.last_run_file.read_text())
            return LastRun(str(raw["fingerprint"]), int(raw["lines"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or unreadable: treat the results as a new run

    def write_view(self, plan: HistoryPlan, path: Path) -> Path:
        """The history file Allure is pointed at: a copy, so a failed generation
        leaves the real history untouched."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{line}\n" for line in plan.shown))
        return path

    def record(self, view: Path, fingerprint: str) -> None:
        """Keep the history Allure wrote (this run appended) as the real one."""
        self.folder.mkdir(parents=True, exist_ok=True)
        os.replace(view, self.file)
        state = {"fingerprint": fingerprint, "lines": len(self.lines())}
        self.last_run_file.write_text(json.dumps(state) + "\n")
