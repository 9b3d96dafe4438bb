"""Dockerfile and .dockerignore checks that need no engine: pinned bases, a non-root user,
a healthcheck, pinned packages, and a build context of only what the image copies."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from harness.compose.variables import VARIABLES

# A patch release (python:3.11.14-slim-bookworm) or a digest, never a moving tag.
EXACT_BASE = re.compile(r":\d+\.\d+\.\d+[\w.-]*(@sha256:[0-9a-f]{64})?$|@sha256:[0-9a-f]{64}$")


@dataclass
class Stage:
    base: str
    name: str
    steps: list[tuple[str, str]] = field(default_factory=list)

    def last(self, instruction: str) -> str | None:
        found = [args for op, args in self.steps if op == instruction]
        return found[-1] if found else None


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per logical line: comments dropped, continuations joined."""
    found, pending = [], ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#") or not (line or pending):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        op, _, args = (pending + line).partition(" ")
        found.append((op.upper(), " ".join(args.split())))
        pending = ""
    return found


def stages(text: str) -> dict[str, Stage]:
    parsed: dict[str, Stage] = {}
    current: Stage | None = None
    for op, args in instructions(text):
        if op == "FROM":
            words = args.split()
            current = Stage(base=words[0], name=words[2] if len(words) > 2 else words[0])
            parsed[current.name] = current
        elif current is not None:
            current.steps.append((op, args))
    return parsed


def ignored(path: str, rules: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """Docker's .dockerignore: the last rule matching the path or a parent decides."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    verdict = False
    for exception, pattern in rules:
        if any(pattern.fullmatch(candidate) for candidate in candidates):
            verdict = not exception
    return verdict


def _regex(pattern: str) -> re.Pattern[str]:
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        elif pattern[i] == "[":
            end = pattern.index("]", i)
            out, i = out + pattern[i : end + 1], end + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out)


def dockerignore_rules(text: str) -> list[tuple[bool, re.Pattern[str]]]:
    rules = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        exception = line.startswith("!")
        rules.append((exception, _regex(line.lstrip("!").strip("/"))))
    return rules


@pytest.fixture
def dockerfile(root: Path) -> dict[str, Stage]:
    return stages((root / "Dockerfile").read_text())


@pytest.fixture
def rules(root: Path) -> list[tuple[bool, re.Pattern[str]]]:
    return dockerignore_rules((root / ".dockerignore").read_text())


def copies(stage: Stage) -> list[list[str]]:
    """The context sources of each COPY (not ``--from`` another stage)."""
    found = []
    for op, args in stage.steps:
        words = shlex.split(args)
        if op == "COPY" and not any(w.startswith("--from=") for w in words):
            found.append([w for w in words if not w.startswith("--")][:-1])
    return found


def test_base_images_are_pinned_to_exact_versions(dockerfile: dict[str, Stage]) -> None:
    for stage in dockerfile.values():
        if stage.base not in dockerfile:  # not built FROM an earlier stage
            assert EXACT_BASE.search(stage.base), f"{stage.name}: {stage.base} is not pinned"
            assert "slim" in stage.base, f"{stage.name}: {stage.base} is not a slim image"


def effective_user(dockerfile: dict[str, Stage], name: str) -> str | None:
    """The stage's last USER, else the one of the stage it is built FROM."""
    stage = dockerfile[name]
    while (user := stage.last("USER")) is None and stage.base in dockerfile:
        stage = dockerfile[stage.base]
    return user


@pytest.mark.parametrize("target", ["service", "harness"])
def test_images_run_as_a_non_root_user(dockerfile: dict[str, Stage], target: str) -> None:
    user = effective_user(dockerfile, target)
    assert user and user.split(":")[0] not in ("root", "0")


def test_service_image_checks_readiness(dockerfile: dict[str, Stage], root: Path) -> None:
    service = dockerfile["service"]
    check = service.last("HEALTHCHECK")
    assert check and "CMD" in check and "/app/docker/healthcheck.py" in check
    env = " ".join(args for op, args in service.steps if op == "ENV")
    assert "HEALTHCHECK_URL=http://127.0.0.1:8000/health/ready" in env
    assert (root / "docker" / "healthcheck.py").is_file()


def test_python_packages_come_from_constraints(dockerfile: dict[str, Stage]) -> None:
    runs = [args for op, args in dockerfile["deps"].steps if op == "RUN"]
    assert any("pip install" in run and "--constraint constraints.txt" in run for run in runs)


def test_nothing_is_copied_wholesale(dockerfile: dict[str, Stage]) -> None:
    for stage in dockerfile.values():
        assert all(op != "ADD" for op, _ in stage.steps), f"{stage.name}: use COPY"
        for sources in copies(stage):
            assert "." not in sources and "./" not in sources, f"{stage.name}: {sources}"


def test_every_copied_file_is_in_the_build_context(
    dockerfile: dict[str, Stage], rules: list[tuple[bool, re.Pattern[str]]], root: Path
) -> None:
    for stage in dockerfile.values():
        for sources in copies(stage):
            for source in sources:
                path = source.rstrip("/")
                assert (root / path).exists(), f"{stage.name} copies {source}: missing"
                assert not ignored(path, rules), f"{stage.name} copies {source}: ignored"
                for inside in sorted((root / path).rglob("*"))[:50]:  # a folder's files
                    if inside.is_file() and "__pycache__" not in inside.parts:
                        assert not ignored(inside.relative_to(root).as_posix(), rules), inside


@pytest.mark.parametrize(
    "path",
    [
        ".git/HEAD",
        ".venv/bin/python",
        ".harness/stack.json",
        ".env",
        "reports/allure-report/index.html",
        "node_modules/allure/package.json",
        "tests/unit/compose/conftest.py",
        "bench/proxy_bench.py",
        "contract_harness.egg-info/PKG-INFO",
        "harness/__pycache__/target.cpython-311.pyc",
        "docker-compose.yml",
        "targets/compose.yaml",
    ],
)
def test_dockerignore_leaves_out_local_state(
    path: str, rules: list[tuple[bool, re.Pattern[str]]]
) -> None:
    assert ignored(path, rules)


def test_dockerignore_matcher_follows_docker_rules() -> None:
    rules = dockerignore_rules("*\n!keep\n**/*.pyc\n!keep/a/b.txt\n")
    assert ignored("x.txt", rules) and ignored("dir/x.txt", rules)
    assert not ignored("keep/x.py", rules)
    assert ignored("keep/deep/x.pyc", rules)
    assert not ignored("keep/a/b.txt", rules)


def test_no_secret_is_baked_into_the_image(root: Path, dockerfile: dict[str, Stage]) -> None:
    text = (root / "Dockerfile").read_text()
    for stage in dockerfile.values():
        for op, args in stage.steps:
            if op in ("ENV", "ARG"):
                assert not re.search(r"SECRET|PASSWORD|TOKEN", args, re.I), f"{op} {args}"
    for variable in VARIABLES:
        if variable.secret:
            assert variable.default not in text and variable.name not in text


def test_compose_builds_stages_the_dockerfile_has(
    dockerfile: dict[str, Stage], services: dict[str, dict[str, Any]]
) -> None:
    targets = {s["build"]["target"] for s in services.values() if "build" in s}
    assert targets == {"service", "harness"} and targets <= set(dockerfile)
