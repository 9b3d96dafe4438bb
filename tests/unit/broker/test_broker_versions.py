"""The version and branch a publication is made under: flags, environment, git."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from harness.broker.versions import current_build
from harness.errors import ConfigError


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    _git(tmp_path, "init", "-q", "-b", "feature/pacts")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty",
         "-m", "one")  # fmt: skip
    return tmp_path


def test_git_gives_the_commit_and_branch(repo: Path) -> None:
    build = current_build(version=None, branch=None, env={}, cwd=repo)
    assert (build.version, build.branch) == (_git(repo, "rev-parse", "HEAD"), "feature/pacts")


def test_flags_then_environment_override_git(repo: Path) -> None:
    env = {"HARNESS_PACT_VERSION": "1.2.3", "HARNESS_PACT_BRANCH": "env-branch"}
    assert current_build(version=None, branch=None, env=env, cwd=repo).version == "1.2.3"
    flagged = current_build(version="9", branch="b", env=env, cwd=repo, tags=("rc",))
    assert (flagged.version, flagged.branch, flagged.tags) == ("9", "b", ("rc",))


def test_a_detached_checkout_has_no_branch_unless_ci_names_it(repo: Path) -> None:
    _git(repo, "checkout", "-q", "--detach")
    assert current_build(version=None, branch=None, env={}, cwd=repo).branch is None
    env = {"GITHUB_HEAD_REF": "pr-branch"}
    assert current_build(version=None, branch=None, env=env, cwd=repo).branch == "pr-branch"


def test_no_git_and_no_version_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="pass --version V or set HARNESS_PACT_VERSION"):
        current_build(version=None, branch=None, env={}, cwd=tmp_path)
