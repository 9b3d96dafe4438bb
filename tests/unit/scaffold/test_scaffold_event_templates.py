"""The generated code stays within the line length for the longest names allowed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harness.scaffold.event_code import TEMPLATES, render, template_fields
from harness.scaffold.event_contract import EventSpec
from harness.scaffold.event_names import EventNames, name_problem

LONGEST_EVENT = "a" * 24 + "." + "b" * 25
LONGEST_SERVICE = "s" * 31  # harness new service allows 2-31 characters


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.tmpl")))
def test_rendered_code_fits_the_line_length(template: str, tmp_path: Path) -> None:
    assert name_problem(LONGEST_EVENT) is None
    spec = EventSpec(EventNames(LONGEST_EVENT), LONGEST_SERVICE, (LONGEST_SERVICE + "x",))
    module = tmp_path / "module.py"
    module.write_text(render(template, **template_fields(spec, LONGEST_SERVICE)))
    ruff = [sys.executable, "-m", "ruff"]
    width = "--line-length=100"  # the project's; the module lives outside its config
    subprocess.run([*ruff, "format", "-q", width, str(module)], check=True)
    lint = subprocess.run(
        [*ruff, "check", "--select", "E501", "--no-fix", width, str(module)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout
