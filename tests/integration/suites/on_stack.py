"""Run one harness suite, as ``harness run`` runs it, against an embedded stack that the
test starts (optionally with planted defects)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from harness.run.runner import ReportPaths, SuiteResult, run_suite
from harness.run.suites import select_suites
from harness.run.targets import target_from_state
from harness.stack.embedded import EmbeddedStack
from harness.stack.options import StackOptions
from harness.stack.ports import pick_free_port_base
from harness.stack.topology import Topology
from harness.target import Target


@contextmanager
def embedded_stack(state_dir: Path, *defects: str) -> Iterator[EmbeddedStack]:
    """A test-mode stack on free ports; ``defects`` as ``service:name``."""
    options = StackOptions(test_mode=True, ready_timeout=120.0, defects=defects)
    stack = EmbeddedStack(Topology(port_base=pick_free_port_base()), state_dir, options=options)
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()


def run_suite_on(
    stack: EmbeddedStack,
    workdir: Path,
    name: str,
    *extra: str,
    env: Mapping[str, str] | None = None,
    target: Target | None = None,
) -> SuiteResult:
    """Suite ``name`` against ``stack`` (or ``target``), reports under ``workdir/reports``."""
    paths = ReportPaths(workdir / "reports")
    paths.root.mkdir(parents=True)
    paths.target_file.write_text((target or target_from_state(stack.state)).to_json())
    [suite] = select_suites([name])
    return run_suite(suite, paths, env=dict(env or {}), extra=list(extra), say=lambda _: None)


def suite_log(workdir: Path, name: str) -> str:
    return (workdir / "reports" / "logs" / f"{name}.log").read_text()
