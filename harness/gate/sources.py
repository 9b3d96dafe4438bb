"""Where the two sides come from: a folder, or the contracts folder at a git ref.

A ref is written out to a temporary folder with ``git archive``, so ``$ref``s between
files resolve exactly as they did at that commit. The default base is the merge base of
``HEAD`` with the main branch (``main``, else ``origin/main``, ``master``,
``origin/master``): what a pull request would be merged into.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from harness.gate.errors import GateInputError

_NO_GIT_HINT = "install git, or pass --base DIR with a copy of the base contracts"


@dataclass(frozen=True)
class Side:
    path: Path  # the contracts folder to read
    label: str  # how the user knows it: a folder, or "main@1a2b3c4:contracts"


def repo_root(start: Path) -> Path | None:
    """The top of the git work tree holding ``start``; None outside git (or without git)."""
    try:
        out = _git(start, "rev-parse", "--show-toplevel")
    except GateInputError:
        return None
    return Path(out.strip())


def folder_side(path: Path, *, contracts: str) -> Side:
    """A contracts folder given directly, or a checkout that has one at ``contracts``."""
    if not path.is_dir():
        raise GateInputError(
            f"{path} is neither a folder nor a git ref",
            hint="pass a contracts folder, or a branch, tag or commit of this repository",
        )
    for candidate in (path, path / contracts):
        if (candidate / "openapi").is_dir() or (candidate / "asyncapi").is_dir():
            return Side(candidate, str(candidate))
    raise GateInputError(
        f"{path} has no openapi/ or asyncapi/ folder (nor has {path / contracts})",
        hint="point at the folder that holds openapi/ and asyncapi/ (e.g. contracts/)",
    )


def ref_side(repo: Path, ref: str, *, contracts: str, into: Path) -> Side:
    """The contracts folder as it is at ``ref``, written below ``into``."""
    commit = resolve_ref(repo, ref)
    folder = into / "contracts"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        archive = _git_bytes(repo, "archive", "--format=tar", commit, "--", contracts)
    except GateInputError as exc:
        if "did not match any files" not in str(exc):
            raise
        archive = b""  # the folder did not exist yet: everything in the head is new
    if archive:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(into, filter="data")
        folder = into / contracts
    return Side(folder, f"{ref}@{commit[:7]}:{contracts}")


def default_base(repo: Path, *, main: str | None) -> str:
    """The merge base of HEAD with the main branch, as a commit id."""
    names = [main, f"origin/{main}"] if main else ["main", "origin/main", "master", "origin/master"]
    for name in names:
        if name and _exists(repo, name):
            return _git(repo, "merge-base", "HEAD", name).strip()
    tried = ", ".join(n for n in names if n)
    raise GateInputError(
        f"no main branch to compare with in {repo} (tried {tried})",
        hint="pass --base REF (e.g. --base origin/main after git fetch origin main) or "
        "--main-branch NAME; in GitHub Actions check out with fetch-depth: 0",
    )


def resolve_ref(repo: Path, ref: str) -> str:
    if not _exists(repo, ref):
        raise GateInputError(
            f"base ref {ref!r} not found in the git repository at {repo}",
            hint=f"fetch it first (git fetch origin {ref.removeprefix('origin/')}), check the "
            "name, or pass --base DIR",
        )
    return _git(repo, "rev-parse", "--verify", f"{ref}^{{commit}}").strip()


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="harness-gate-")


def _exists(repo: Path, ref: str) -> bool:
    try:
        _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except GateInputError as exc:
        if "git is not installed" in str(exc) or "not a git repository" in str(exc):
            raise
        return False
    return True


def _git(repo: Path, *args: str) -> str:
    return _git_bytes(repo, *args).decode("utf-8", "replace")


def _git_bytes(repo: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=repo, capture_output=True, check=False)
    except FileNotFoundError:
        raise GateInputError("git is not installed (or not on PATH)", hint=_NO_GIT_HINT) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed"
        if "not a git repository" in message:
            raise GateInputError(
                f"{repo} is not a git repository, so no base ref can be read",
                hint="run the gate inside the repository, or pass --base DIR",
            )
        raise GateInputError(f"git {' '.join(args[:2])}: {message}")
    return done.stdout
