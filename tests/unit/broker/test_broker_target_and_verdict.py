"""The target file's optional ``pact_broker``, and can-i-deploy answers in the verdict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.broker.deploy import DeployAnswer
from harness.errors import ConfigError
from harness.gate.reporters import FORMATS, ReportOptions
from harness.gate.verdict import Verdict
from harness.target import PROJECT_ROOT, Target, load_target

TARGET = """\
gateway: http://127.0.0.1:8000
contracts:
  openapi: {openapi}
"""


def _target(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "shop.yaml"
    path.write_text(TARGET.format(openapi=PROJECT_ROOT / "contracts" / "openapi") + extra)
    return path


def test_a_target_file_may_name_its_pact_broker(tmp_path: Path) -> None:
    assert load_target(_target(tmp_path)).pact_broker is None  # old files stay valid
    target = load_target(_target(tmp_path, "pact_broker: http://127.0.0.1:9292/\n"))
    assert target.pact_broker == "http://127.0.0.1:9292"
    assert Target.from_json(target.to_json()) == target


def test_a_target_json_from_before_the_field_still_loads(tmp_path: Path) -> None:
    raw = json.loads(load_target(_target(tmp_path)).to_json())
    del raw["pact_broker"]
    assert Target.from_json(json.dumps(raw)).pact_broker is None


def test_a_bad_broker_url_in_a_target_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="pact_broker must be an http"):
        load_target(_target(tmp_path, "pact_broker: broker:9292\n"))


def _answer(deployable: bool | None, name: str = "web") -> DeployAnswer:
    reason = "All required verification results are published and successful"
    if deployable is not True:
        reason = f"There is no verified pact between version 1 of {name} and api in prod"
    return DeployAnswer(name, "1", "prod", deployable, reason)


def _verdict(*answers: DeployAnswer) -> Verdict:
    return Verdict(base="a", head="b", policy="strict", findings=(), deployments=answers)


def test_only_a_yes_from_every_pacticipant_passes_the_gate() -> None:
    assert _verdict().passed and _verdict(_answer(True)).exit_code == 0
    assert _verdict(_answer(True), _answer(None, "api")).exit_code == 1
    assert not _verdict(_answer(False)).passed
    assert (
        _verdict(_answer(True), _answer(False))
        .summary()
        .endswith("can-i-deploy to prod: 1 no, 1 yes")
    )


def test_reporters_show_each_answer_and_the_reasons_of_a_no() -> None:
    verdict = _verdict(_answer(True, "api"), _answer(None))
    text = FORMATS["text"](verdict, ReportOptions())
    assert "  api 1 to prod: yes\n" in text and "  web 1 to prod: unknown\n" in text
    assert "    There is no verified pact between version 1 of web" in text
    assert "published and successful" not in text
    document = json.loads(FORMATS["json"](verdict, ReportOptions()))
    assert [a["deployable"] for a in document["can_i_deploy"]] == [True, None]
    assert document["verdict"] == "fail"
