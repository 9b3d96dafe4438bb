"""docker-compose.yml on its own terms: the Compose Specification, loopback-only ports,
health-gated start order, pinned images, secrets from the environment, profiles."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from harness.compose import images, schema
from harness.compose.variables import VARIABLES
from harness.errors import ConfigError
from harness.stack.links import service_names

CORE = {"kafka", "toxiproxy", "postgres", *service_names()}
PROFILES = {
    "load": {"locust-master", "locust-worker"},
    "broker": {"pact-broker", "pact-broker-db"},
    "report": {"report"},
    "harness": {"harness"},
}
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
# A release, not a moving tag: postgres:17.6-alpine, apache/kafka:4.1.1, or a digest.
EXACT_VERSION = re.compile(r":[^:/@]*\d+\.\d+[^:/@]*$|@sha256:[0-9a-f]{64}$")


def test_compose_file_follows_the_compose_specification(compose: dict[str, Any]) -> None:
    assert schema.problems(compose) == []


def test_a_document_that_breaks_the_specification_is_refused_with_where() -> None:
    broken = {"services": {"web": {"image": "x", "depends_on": {"db": {"condition": "soon"}}}}}
    found = schema.problems(broken)
    assert found and found[0].startswith("/services/web/depends_on/db/condition:")
    with pytest.raises(ConfigError, match="breaks the Compose Specification"):
        schema.validate(broken)


def test_the_core_runs_without_profiles_and_the_rest_behind_theirs(
    services: dict[str, dict[str, Any]],
) -> None:
    assert {n for n, s in services.items() if not s.get("profiles")} == CORE
    for profile, members in PROFILES.items():
        assert {n for n, s in services.items() if profile in s.get("profiles", ())} == members


def test_published_ports_bind_to_loopback_only(services: dict[str, dict[str, Any]]) -> None:
    published = [(n, p) for n, s in services.items() for p in s.get("ports", ())]
    assert published
    for name, port in published:
        assert isinstance(port, str) and port.startswith("127.0.0.1:"), f"{name}: {port}"


def test_start_order_waits_on_health(services: dict[str, dict[str, Any]]) -> None:
    for name, spec in services.items():
        for needed, how in spec.get("depends_on", {}).items():
            assert how == {"condition": "service_healthy"}, f"{name} -> {needed}"
            check = services[needed].get("healthcheck")
            assert check and not check.get("disable"), f"{needed} has no healthcheck"
            # No test of its own: the project's image HEALTHCHECK (tests: Dockerfile).
            assert "test" in check or "build" in services[needed], needed


def test_images_are_pinned_to_exact_versions(services: dict[str, dict[str, Any]]) -> None:
    for name, spec in services.items():
        if "build" in spec:
            assert spec["image"] == images.LOCAL_IMAGES[spec["build"]["target"]], name
        else:
            assert EXACT_VERSION.search(spec["image"]), f"{name}: {spec['image']} is not pinned"


def test_locust_is_the_version_constraints_pin(
    services: dict[str, dict[str, Any]], root: Path
) -> None:
    pinned = re.search(r"^locust==(\S+)$", (root / "constraints.txt").read_text(), re.M)
    assert pinned
    for name in PROFILES["load"]:
        assert services[name]["image"] == f"locustio/locust:{pinned.group(1)}"
        locustfile = services[name]["command"][1]
        assert locustfile == "/mnt/locust/loadtests/locustfile.py"
        assert "./loadtests:/mnt/locust/loadtests:ro" in services[name]["volumes"]
    assert (root / "loadtests" / "locustfile.py").is_file()


def test_secrets_reach_containers_only_as_interpolations_with_the_documented_default(
    root: Path,
) -> None:
    text = (root / "docker-compose.yml").read_text()
    defaults = {v.name: v.default for v in VARIABLES}
    used = INTERPOLATION.findall(text)
    assert used
    for name, default in used:
        assert name in defaults, f"${{{name}}} is not in harness/compose/variables.py"
        assert default == defaults[name], name
    bare = INTERPOLATION.sub("", text)
    for variable in VARIABLES:
        if variable.secret:
            assert variable.default not in bare, f"{variable.name}'s value is written out"


def test_env_example_lists_every_variable_with_its_default(root: Path) -> None:
    lines = (root / ".env.example").read_text().splitlines()
    entries = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    assert entries == {v.name: v.default for v in VARIABLES}


def test_harness_runs_one_shot_in_the_network_after_the_stack_is_healthy(
    services: dict[str, dict[str, Any]],
) -> None:
    spec = services["harness"]
    assert spec["build"]["target"] == "harness"
    assert spec["command"] == ["run"]
    assert set(spec["depends_on"]) == {"toxiproxy", "gateway"}
    assert "./reports:/app/reports" in spec["volumes"]
    assert spec["environment"]["HARNESS_ADMIN_PASSWORD"].startswith("${HARNESS_ADMIN_PASSWORD:-")


OUTPUT_FOLDERS = {"./reports"}  # written by harness runs; docs/docker.md: mkdir -p reports


def test_bind_mounts_name_files_in_the_repository(
    services: dict[str, dict[str, Any]], root: Path
) -> None:
    for name, spec in services.items():
        for volume in spec.get("volumes", ()):
            source = volume.split(":", 1)[0]
            if source.startswith("./") and source not in OUTPUT_FOLDERS:
                assert (root / source).exists(), f"{name} mounts {source}, which is missing"
