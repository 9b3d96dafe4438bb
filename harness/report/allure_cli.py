"""The Allure 3 command line (npm package ``allure``), installed in the project's
``node_modules`` by ``npm ci`` (package.json pins it; the Makefile runs it).

Allure 3 is plain Node.js, so nothing but Node 20+ is needed (Allure 2's
``allure-commandline`` would also need a Java runtime). It is run as
``node node_modules/allure/cli.js`` so neither the ``.bin`` link nor a global install
matters.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from harness.report.errors import AllureCliMissingError, ReportError
from harness.target import PROJECT_ROOT

MIN_NODE = 20
GENERATE_TIMEOUT = 600.0
Which = Callable[[str], str | None]


@dataclass(frozen=True)
class AllureCli:
    node: str
    script: Path
    version: str

    @classmethod
    def locate(cls, root: Path = PROJECT_ROOT, *, which: Which = shutil.which) -> AllureCli:
        """The installed CLI, or an error that says exactly what to install."""
        node = which("node")
        if node is None:
            raise AllureCliMissingError(
                f"the HTML report needs Node.js {MIN_NODE}+ and `node` is not on PATH; install "
                f"Node.js and npm (Debian: apt-get install nodejs npm), then run `npm ci` in "
                f"{root} (make run and make test do it)"
            )
        _check_node_version(node)
        package = root / "node_modules" / "allure" / "package.json"
        if not package.exists():
            npm = "" if which("npm") else "install npm (Debian: apt-get install npm), then "
            raise AllureCliMissingError(
                f"the Allure command line is not installed (no {package.parent}); {npm}run "
                f"`npm ci` in {root} to install the version package-lock.json pins "
                f"(make run and make test do it)"
            )
        manifest = json.loads(package.read_text())
        bin_entry = manifest.get("bin", "cli.js")  # a path, or {command: path}
        if isinstance(bin_entry, dict):
            bin_entry = bin_entry.get("allure", "cli.js")
        script = package.parent / str(bin_entry)
        return cls(node=node, script=script, version=str(manifest.get("version", "unknown")))

    def generate(self, *, config: Path, results: Path, cwd: Path) -> None:
        """``allure generate --config CONFIG RESULTS``; a failure carries Allure's output."""
        config, results = config.resolve(), results.resolve()  # Allure resolves from cwd
        command = [self.node, str(self.script), "generate", "--config", str(config), str(results)]
        try:
            done = subprocess.run(
                command, cwd=cwd.resolve(), capture_output=True, text=True, timeout=GENERATE_TIMEOUT
            )
        except subprocess.TimeoutExpired as exc:
            raise ReportError(f"allure generate did not finish in {exc.timeout:g} s") from exc
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-20:])
            raise ReportError(
                f"allure generate failed with exit code {done.returncode} "
                f"(config {config}, results {results}):\n{tail}"
            )


def _check_node_version(node: str) -> None:
    try:
        text = subprocess.run(
            [node, "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        problem = f"`{node} --version` failed ({exc}); reinstall Node.js"
        raise AllureCliMissingError(problem) from exc
    found = re.match(r"v?(\d+)", text)
    if found is None or int(found.group(1)) < MIN_NODE:
        raise AllureCliMissingError(
            f"the Allure 3 command line needs Node.js {MIN_NODE}+, found {text or 'unknown'} "
            f"at {node}; install a newer Node.js"
        )
