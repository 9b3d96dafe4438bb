"""``harness gate`` end to end: real git repositories, real files, the CLI's own entry
point (a few through a real process; the rest in this process, which is quicker and
goes through the same argument parsing, exit codes and output).

Exit codes: 0 compatible, 1 breaking, 2 unusable input (with where and how to fix).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.cli.main import main

pytestmark = pytest.mark.integration

PROJECT = Path(__file__).resolve().parents[3]
FIXTURE_PACTS = PROJECT / "tests" / "unit" / "gate" / "fixtures" / "pacts"
ORDER_TOTAL = "        total_cents:\n          title: Total Cents\n          type: integer\n"
ORDER_REQUIRED = "      - items\n      - total_cents\n"


@dataclass(frozen=True)
class Done:
    returncode: int
    stdout: str
    stderr: str


def process(*args: str, cwd: Path) -> Done:
    """``harness gate`` as its own process."""
    done = subprocess.run(
        [sys.executable, "-m", "harness.cli.main", "gate", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return Done(done.returncode, done.stdout, done.stderr)


Gate = Callable[..., Done]


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Gate:
    """``harness gate ARGS`` through ``harness.cli.main.main``, in ``cwd``."""

    def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Done:
        with monkeypatch.context() as patch:
            patch.chdir(cwd)
            for name, value in (env or {}).items():
                patch.setenv(name, value)
            try:
                code = main(["gate", *args])
            except SystemExit as exit_:  # argparse's usage errors
                code = int(exit_.code or 0)
        out = capsys.readouterr()
        return Done(code, out.out, out.err)

    return run


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=gate", "-c", "user.email=gate@example.com", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def contracts(target: Path) -> Path:
    for kind in ("openapi", "asyncapi"):
        shutil.copytree(PROJECT / "contracts" / kind, target / kind)
    shutil.copytree(FIXTURE_PACTS, target / "pacts")
    return target


def break_orders(folder: Path) -> None:
    orders = folder / "openapi" / "orders.yaml"
    text = orders.read_text().replace(ORDER_TOTAL, "", 1)
    orders.write_text(text.replace(ORDER_REQUIRED, "      - items\n", 1))


def new_repo(root: Path, *, branch: str, with_contracts: bool = True) -> Path:
    """A git repository with one commit on ``branch``: the contracts, or only a README."""
    root.mkdir()
    git(root, "init", "-q", "-b", branch)
    if with_contracts:
        contracts(root / "contracts")
    else:
        (root / "README.md").write_text("x\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose main branch holds this project's contracts, on a feature branch."""
    root = new_repo(tmp_path / "repo", branch="main")
    git(root, "checkout", "-q", "-b", "feature")
    return root


def test_the_project_contracts_against_themselves_pass(gate: Gate, tmp_path: Path) -> None:
    folder = contracts(tmp_path / "c")
    done = process("--base", str(folder), "--head", str(folder), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "gate PASS: 0 breaking" in done.stdout


def test_a_breaking_change_fails_against_the_merge_base(gate: Gate, repo: Path) -> None:
    break_orders(repo / "contracts")
    done = process(cwd=repo)
    assert done.returncode == 1, done.stderr
    assert "response-property-removed" in done.stdout and "gateway" in done.stdout
    assert "merge base with main" in done.stdout
    assert done.stdout.strip().splitlines()[-1].startswith("gate FAIL: 4 breaking")


def test_the_merge_base_is_used_not_the_tip_of_main(gate: Gate, repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    break_orders(repo / "contracts")
    git(repo, "commit", "-q", "-am", "main moves on with the change")
    git(repo, "checkout", "-q", "feature")
    assert gate(cwd=repo).returncode == 0  # the feature branch did not change anything
    assert gate("--base", "main", cwd=repo).returncode == 0  # main's own break is no change here
    assert gate("--base", "main", "--head", "feature", cwd=repo).returncode == 0


def test_refs_as_base_and_head(gate: Gate, repo: Path) -> None:
    break_orders(repo / "contracts")
    git(repo, "commit", "-q", "-am", "break")
    done = gate("--base", "main", "--head", "feature", "--format", "json", cwd=repo)
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["base"].startswith("main@") and report["head"].startswith("feature@")
    assert {f["rule"] for f in report["findings"] if f["fails"]} == {"response-property-removed"}


def test_a_missing_base_ref_is_unusable_input(gate: Gate, repo: Path) -> None:
    done = process("--base", "release/9", cwd=repo)
    assert done.returncode == 2
    assert "base ref 'release/9' not found" in done.stderr
    assert "git fetch origin release/9" in done.stderr and "--base DIR" in done.stderr


def test_no_main_branch_says_how_to_choose_one(gate: Gate, tmp_path: Path) -> None:
    root = new_repo(tmp_path / "trunk", branch="trunk")
    done = gate(cwd=root)
    assert (
        done.returncode == 2 and "no main branch" in done.stderr and "--main-branch" in done.stderr
    )
    assert gate("--main-branch", "trunk", cwd=root).returncode == 0


def test_a_base_commit_without_contracts_makes_everything_new(gate: Gate, tmp_path: Path) -> None:
    root = new_repo(tmp_path / "young", branch="main", with_contracts=False)
    contracts(root / "contracts")
    done = gate(cwd=root)
    assert done.returncode == 0, done.stderr


def test_outside_git_or_without_git_a_base_folder_is_needed(gate: Gate, tmp_path: Path) -> None:
    contracts(tmp_path / "plain" / "contracts")
    done = gate(cwd=tmp_path / "plain")
    assert done.returncode == 2 and "not inside a git repository" in done.stderr
    no_git = gate(cwd=tmp_path / "plain", env={"PATH": str(Path(sys.executable).parent)})
    assert no_git.returncode == 2 and "--base DIR" in no_git.stderr


def _broken_copy(tmp_path: Path, name: str, text: str) -> Path:
    folder = contracts(tmp_path / name)
    (folder / "openapi" / "orders.yaml").write_text(text)
    return folder


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("openapi: 3.1.0\npaths:\n  /a: [unclosed\n", ["orders.yaml:4:", "YAML syntax error"]),
        (
            (PROJECT / "contracts/openapi/orders.yaml")
            .read_text()
            .replace("'#/components/schemas/OrderLine'", "'#/components/schemas/OrderLin'", 1),
            ["orders.yaml:", "points to nothing", "did you mean 'OrderLine'"],
        ),
        (
            "asyncapi: 3.0.0\ninfo: {title: x, version: '1'}\n",
            ["not an OpenAPI document", "move it to asyncapi/"],
        ),
        (
            "openapi: 3.1.0\ninfo: {title: x}\npaths: {}\n",
            ["orders.yaml:2:", "#/info", '"version" is a required property'],
        ),
    ],
    ids=["yaml-syntax", "dangling-ref", "not-openapi", "invalid-openapi"],
)
def test_unusable_contracts_exit_2_saying_where_and_how(
    gate: Gate, tmp_path: Path, text: str, expected: list[str]
) -> None:
    base = contracts(tmp_path / "base")
    head = _broken_copy(tmp_path, "head", text)
    done = gate("--base", str(base), "--head", str(head), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    for part in expected:
        assert part in done.stderr


def test_reports_are_written_next_to_the_stdout_format(gate: Gate, tmp_path: Path) -> None:
    base = contracts(tmp_path / "base")
    head = contracts(tmp_path / "head")
    break_orders(head)
    out = tmp_path / "out"
    done = gate(
        "--base",
        str(base),
        "--head",
        str(head),
        "--format",
        "github",
        "--report",
        f"markdown:{out}/gate.md",
        "--report",
        f"junit:{out}/gate.xml",
        cwd=tmp_path,
    )
    assert done.returncode == 1
    assert done.stdout.startswith("::error file=")
    assert (out / "gate.md").read_text().startswith("<!-- harness-gate -->")
    assert "<failure" in (out / "gate.xml").read_text()


def test_accepted_and_expired_ignores(gate: Gate, tmp_path: Path) -> None:
    base = contracts(tmp_path / "base")
    head = contracts(tmp_path / "head")
    break_orders(head)
    ignore = head / "gate-ignore.yaml"
    entry = (
        "- rule: response-property-removed\n  where: '*total_cents'\n"
        "  reason: the web app stopped reading it\n"
    )
    ignore.write_text(entry)
    assert gate("--base", str(base), "--head", str(head), cwd=tmp_path).returncode == 0
    ignore.write_text(entry + "  expires: 2020-01-01\n")
    done = gate("--base", str(base), "--head", str(head), cwd=tmp_path)
    assert done.returncode == 1 and "expired ignore" in done.stdout
    ignore.write_text(entry.replace("response-property-removed", "response-field-removed"))
    done = gate("--base", str(base), "--head", str(head), cwd=tmp_path)
    assert (
        done.returncode == 2
        and "gate-ignore.yaml:1" in done.stderr
        and "did you mean" in done.stderr
    )


def test_the_consumers_policy_passes_changes_no_pact_uses(gate: Gate, tmp_path: Path) -> None:
    base = contracts(tmp_path / "base")
    head = contracts(tmp_path / "head")
    health = head / "openapi" / "orders.yaml"
    text = health.read_text()
    marker = "      required:\n      - status\n      - service\n      title: Liveness\n"
    assert marker in text
    health.write_text(
        text.replace(marker, "      required:\n      - status\n      title: Liveness\n")
    )
    args = ("--base", str(base), "--head", str(head))
    assert gate(*args, cwd=tmp_path).returncode == 1
    done = gate(*args, "--policy", "consumers", cwd=tmp_path)
    assert done.returncode == 0 and "no known consumer" in done.stdout


def test_rules_are_listed_and_bad_options_are_usage_errors(gate: Gate, tmp_path: Path) -> None:
    listed = gate("--list-rules", cwd=tmp_path)
    assert listed.returncode == 0 and "response-property-removed" in listed.stdout
    assert gate("--policy", "lenient", cwd=tmp_path).returncode == 2
    assert gate("--report", "pdf:x.pdf", cwd=tmp_path).returncode == 2
