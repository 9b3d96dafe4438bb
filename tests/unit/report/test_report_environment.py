"""environment.properties: versions, target, git commit, suites; never credentials."""

from __future__ import annotations

import platform
import subprocess
from pathlib import Path

from harness.report.environment import (
    environment_entries,
    git_revision,
    installed_versions,
    render_properties,
    write_environment,
)
from harness.run.runner import SuiteResult
from harness.run.suites import Suite
from harness.target import Auth, Contracts, Target

TARGET = Target(
    name="shop-staging",
    gateway="http://127.0.0.1:8000",
    services={"users": "http://127.0.0.1:8001", "orders": "http://127.0.0.1:8003"},
    contracts=Contracts(openapi=Path("o"), asyncapi=None, pacts=Path("p")),
    kafka="127.0.0.1:9092",
    auth=Auth(admin_email="admin@example.com", admin_password="s3cret-password"),
)
VERSIONS = {"contract-harness": "0.1.0", "pact-python": "4.2.0", "aiokafka": "0.14.0"}


def entries(**overrides: object) -> dict[str, str]:
    arguments: dict[str, object] = {
        "target": TARGET,
        "results": [SuiteResult(Suite("drift", "Drift"), 1, 7, 2, 3.25)],
        "versions": VERSIONS,
        "revision": "abc123",
        "allure_version": "3.18.0",
    }
    arguments.update(overrides)
    return environment_entries(**arguments)  # type: ignore[arg-type]


def test_versions_target_commit_and_suites() -> None:
    found = entries()
    assert found["harness"] == "0.1.0"
    assert found["python"].startswith(platform.python_version())
    assert found["lib.pact-python"] == "4.2.0"
    assert found["lib.aiokafka"] == "0.14.0"
    assert found["allure"] == "3.18.0"
    assert found["git.commit"] == "abc123"
    assert found["target"] == "shop-staging"
    assert found["target.gateway"] == "http://127.0.0.1:8000"
    assert found["target.service.orders"] == "http://127.0.0.1:8003"
    assert found["target.kafka"] == "127.0.0.1:9092"
    assert found["suite.drift"] == "2 failed, 7 checks, 3.2 s"
    assert list(found)[:2] == ["harness", "python"]


def test_no_credentials_and_nothing_unknown_is_invented() -> None:
    found = entries(target=None, results=[], revision=None, allure_version=None)
    assert not any(key.startswith(("target", "suite", "git", "allure")) for key in found)
    text = render_properties(entries())
    assert "s3cret-password" not in text
    assert "admin@example.com" not in text


def test_installed_versions_leave_out_what_is_not_installed() -> None:
    found = installed_versions(["pytest", "no-such-distribution-anywhere"])
    assert set(found) == {"pytest"}


def test_properties_escape_like_java() -> None:
    text = render_properties({"key with=sep:": " lead\nnext \u00fc \U0001f600", "#k": "#v"})
    assert text.splitlines() == [
        r"key\ with\=sep\:=\ lead\nnext \u00fc \ud83d\ude00",
        r"\#k=\#v",
    ]
    assert text.isascii()


def test_environment_file_is_written_into_the_results(tmp_path: Path) -> None:
    path = write_environment(tmp_path / "allure-results", {"harness": "0.1.0"})
    assert path.read_text() == "harness=0.1.0\n"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    return done.stdout.decode().strip()


def test_git_revision_names_the_commit_and_uncommitted_changes(tmp_path: Path) -> None:
    assert git_revision(tmp_path) is None  # not a checkout
    git(tmp_path, "init", "-q")
    (tmp_path / "f.txt").write_text("1")
    git(tmp_path, "add", "f.txt")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "one")
    sha = git(tmp_path, "rev-parse", "HEAD")
    assert git_revision(tmp_path) == sha
    (tmp_path / "f.txt").write_text("2")
    assert git_revision(tmp_path) == f"{sha} (modified)"
