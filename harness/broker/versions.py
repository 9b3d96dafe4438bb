"""The version and branch a publication is made under.

Pact asks for one version per build of a pacticipant, ideally the git commit
(docs.pact.io/getting_started/versioning_in_the_pact_broker). In this monorepo every
pacticipant is built from the same commit, so consumers and providers share it. Order:
a flag, then ``HARNESS_PACT_VERSION`` / ``HARNESS_PACT_BRANCH``, then git (CI checkouts
are often detached, so ``GITHUB_HEAD_REF``/``GITHUB_REF_NAME`` name the branch there).
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from harness.errors import ConfigError

VERSION_VAR = "HARNESS_PACT_VERSION"
BRANCH_VAR = "HARNESS_PACT_BRANCH"
CI_BRANCH_VARS = ("GITHUB_HEAD_REF", "GITHUB_REF_NAME", "CI_COMMIT_REF_NAME")


@dataclass(frozen=True)
class Build:
    version: str
    branch: str | None
    tags: tuple[str, ...] = ()
    build_url: str | None = None


def current_build(
    *,
    version: str | None,
    branch: str | None,
    env: Mapping[str, str],
    cwd: Path,
    tags: tuple[str, ...] = (),
) -> Build:
    """The build to publish under; a clear error when no version can be found."""
    found = version or env.get(VERSION_VAR) or _git(cwd, "rev-parse", "HEAD")
    if not found:
        raise ConfigError(
            f"no version to publish under: {cwd} is not a git checkout (or git is missing); "
            f"pass --version V or set {VERSION_VAR}"
        )
    return Build(
        version=found,
        branch=branch or env.get(BRANCH_VAR) or _ci_branch(env) or _git_branch(cwd),
        tags=tags,
        build_url=env.get("HARNESS_BUILD_URL") or _github_run(env),
    )


def _ci_branch(env: Mapping[str, str]) -> str | None:
    return next((env[name] for name in CI_BRANCH_VARS if env.get(name)), None)


def _git_branch(cwd: Path) -> str | None:
    name = _git(cwd, "rev-parse", "--abbrev-ref", "HEAD")
    return name if name and name != "HEAD" else None  # HEAD: detached, no branch


def _github_run(env: Mapping[str, str]) -> str | None:
    keys = ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
    if all(env.get(k) for k in keys):
        server, repo, run = (env[k] for k in keys)
        return f"{server}/{repo}/actions/runs/{run}"
    return None


def _git(cwd: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(cwd), *args], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None
