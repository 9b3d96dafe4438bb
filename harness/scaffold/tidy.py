"""Format generated Python like the rest of the code (when ruff is installed)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path


def tidy(paths: Iterable[Path]) -> None:
    python = [str(p) for p in paths if p.suffix == ".py"]
    if not python:
        return
    for args in (["check", "--fix", "-q", "--select", "I,F401"], ["format", "-q"]):
        subprocess.run([sys.executable, "-m", "ruff", *args, *python], check=False)
