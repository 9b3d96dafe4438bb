"""``environment.properties``: what ran against what, shown on the report's front page.

Versions of the harness, Python and the libraries the suites are built on, the target
(its name and URLs; never its credentials), the project's git commit, and each suite's
verdict. Written into the Allure results folder, where both Allure 2 and Allure 3 read
it (Allure 3 shows it as the report's "Metadata").
"""

from __future__ import annotations

import platform
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path

from harness.run.runner import SuiteResult
from harness.target import PROJECT_ROOT, Target

ENVIRONMENT_FILE = "environment.properties"
LIBRARIES = ("pact-python", "schemathesis", "aiokafka", "locust", "allure-pytest", "pytest")
DISTRIBUTION = "contract-harness"


def installed_versions(names: Iterable[str] = LIBRARIES) -> dict[str, str]:
    """Versions of the installed distributions among ``names`` (missing ones left out)."""
    found = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def git_revision(root: Path = PROJECT_ROOT) -> str | None:
    """``<sha>`` of the project's checkout, ``<sha> (modified)`` with uncommitted changes
    to tracked files; None outside a git checkout or without git."""
    try:
        sha = _git(root, "rev-parse", "HEAD")
        dirty = _git(root, "status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired):
        return None
    return f"{sha} (modified)" if dirty else sha


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True, timeout=10
    )
    return done.stdout.strip()


def environment_entries(
    *,
    target: Target | None,
    results: Sequence[SuiteResult] = (),
    versions: Mapping[str, str],
    revision: str | None,
    allure_version: str | None = None,
) -> dict[str, str]:
    """The report's environment, in display order (pure: callers collect the facts)."""
    entries = {
        "harness": versions.get(DISTRIBUTION, "unknown"),
        "python": f"{platform.python_version()} ({platform.python_implementation()})",
        "os": f"{platform.system()} {platform.release()} {platform.machine()}",
    }
    if revision:
        entries["git.commit"] = revision
    for name, version in versions.items():
        if name != DISTRIBUTION:
            entries[f"lib.{name}"] = version
    if allure_version:
        entries["allure"] = allure_version
    if target is not None:
        entries.update(target_entries(target))
    for result in results:
        entries[f"suite.{result.suite.name}"] = (
            f"{result.verdict}, {result.total} checks, {result.seconds:.1f} s"
        )
    return entries


def target_entries(target: Target) -> dict[str, str]:
    entries = {"target": target.name, "target.gateway": target.gateway}
    for name, url in sorted(target.services.items()):
        entries[f"target.service.{name}"] = url
    if target.kafka:
        entries["target.kafka"] = target.kafka
    if target.toxiproxy:
        entries["target.toxiproxy"] = target.toxiproxy
    return entries


def render_properties(entries: Mapping[str, str]) -> str:
    """Java ``.properties`` text (ISO 8859-1 with ``\\uXXXX`` escapes), one entry a line."""
    return "".join(f"{_escape(k, key=True)}={_escape(v, key=False)}\n" for k, v in entries.items())


_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\f": "\\f"}
_KEY_ESCAPES = {**_ESCAPES, "=": "\\=", ":": "\\:", " ": "\\ ", "#": "\\#", "!": "\\!"}


def _escape(text: str, *, key: bool) -> str:
    table = _KEY_ESCAPES if key else _ESCAPES
    out = []
    for index, char in enumerate(text):
        if char in table:
            out.append(table[char])
        elif not key and index == 0 and char in " #!":
            out.append("\\" + char)  # a leading space would be dropped, # or ! kept as text
        elif ord(char) > 0x7E or ord(char) < 0x20:
            out.append(_unicode_escape(char))
        else:
            out.append(char)
    return "".join(out)


def _unicode_escape(char: str) -> str:
    units = char.encode("utf-16-be")  # two units (a surrogate pair) beyond U+FFFF
    return "".join(f"\\u{units[i] << 8 | units[i + 1]:04x}" for i in range(0, len(units), 2))


def write_environment(results_dir: Path, entries: Mapping[str, str]) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / ENVIRONMENT_FILE
    path.write_text(render_properties(entries), encoding="ascii")
    return path
