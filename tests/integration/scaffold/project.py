"""A working copy of the project to scaffold into, and the CLI run inside it."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from harness.stack.ports import pick_free_port_base
from harness.target import PROJECT_ROOT


def copy_project(target: Path) -> Path:
    """The project's tracked files (and untracked ones, as in a working tree)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = PROJECT_ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def run(copy: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``python -m ARGS`` inside the copy, so it imports the copy's code."""
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def harness(copy: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return run(copy, "harness.cli.main", *args, timeout=timeout)


def fingerprint(root: Path, folders: Iterable[str]) -> dict[str, str]:
    """Every file below the folders, by path, with a digest of its bytes."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in folders
        for path in sorted((root / folder).rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def apply_todos(copy: Path, todos: dict[str, tuple[str, str]]) -> None:
    """Do what each generated TODO asks: replace its line (``todo``) with ``done``."""
    for name, (todo, done) in todos.items():
        source = copy / name
        assert todo in source.read_text(), name
        source.write_text(source.read_text().replace(todo, done))


@contextmanager
def detached_stack(copy: Path, state: Path) -> Iterator[tuple[int, str]]:
    """``harness up --detach`` in the copy on free ports: yields the port base and what
    ``up`` printed (it must have succeeded); ``harness down`` afterwards, always."""
    base = pick_free_port_base()
    up = harness(copy, "up", "--detach", "--port-base", str(base), "--state-dir", str(state))
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        yield base, up.stdout
    finally:
        down = harness(copy, "down", "--state-dir", str(state))
        assert down.returncode == 0, down.stderr
