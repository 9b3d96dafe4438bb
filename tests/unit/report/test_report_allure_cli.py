"""Finding the Allure command line: a missing or old Node.js, or a missing `npm ci`,
is a clear error that says how to fix it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.cli.main import main
from harness.report.allure_cli import AllureCli
from harness.report.errors import AllureCliMissingError


def fake_node(folder: Path, version: str) -> str:
    script = folder / "node"
    script.write_text(f"#!/bin/sh\necho {version}\n")
    script.chmod(0o755)
    return str(script)


def which_only(**found: str) -> Callable[[str], str | None]:
    return found.get


def test_no_node_says_install_node_and_npm_ci(tmp_path: Path) -> None:
    with pytest.raises(AllureCliMissingError) as caught:
        AllureCli.locate(tmp_path, which=which_only())
    assert "Node.js 20+" in str(caught.value)
    assert "npm ci" in str(caught.value)


def test_an_old_node_is_named(tmp_path: Path) -> None:
    node = fake_node(tmp_path, "v18.19.0")
    with pytest.raises(AllureCliMissingError, match=r"needs Node.js 20\+, found v18.19.0"):
        AllureCli.locate(tmp_path, which=which_only(node=node))


def test_no_node_modules_says_npm_ci_and_npm_when_missing(tmp_path: Path) -> None:
    node = fake_node(tmp_path, "v20.20.2")
    with pytest.raises(AllureCliMissingError) as caught:
        AllureCli.locate(tmp_path, which=which_only(node=node))
    message = str(caught.value)
    assert "Allure command line is not installed" in message
    assert "install npm" in message
    assert f"`npm ci` in {tmp_path}" in message
    with pytest.raises(AllureCliMissingError) as again:
        AllureCli.locate(tmp_path, which=which_only(node=node, npm="/usr/bin/npm"))
    assert "install npm" not in str(again.value)


def test_the_installed_package_is_found(tmp_path: Path) -> None:
    node = fake_node(tmp_path, "v22.1.0")
    package = tmp_path / "node_modules" / "allure"
    package.mkdir(parents=True)
    (package / "package.json").write_text(json.dumps({"version": "3.18.0", "bin": "./cli.js"}))
    cli = AllureCli.locate(tmp_path, which=which_only(node=node))
    assert cli == AllureCli(node=node, script=package / "cli.js", version="3.18.0")


def test_harness_report_exits_1_with_the_fix_when_node_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no node, no npm
    assert main(["report", "--reports", str(tmp_path / "reports")]) == 1
    error = capsys.readouterr().err
    assert error.startswith("harness: error: the HTML report needs Node.js")
    assert "npm ci" in error
