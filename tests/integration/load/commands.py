"""``harness load`` run as a subprocess, the way a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def harness_load_argv(target: Path, reports: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "harness.cli.main",
        "load",
        "--target",
        str(target),
        "--reports",
        str(reports),
        *args,
    ]


def harness_load(target: Path, reports: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A headless run to its end."""
    return subprocess.run(
        harness_load_argv(target, reports, "--headless", *args),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
