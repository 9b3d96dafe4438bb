"""``harness pacts publish``, ``harness pacts record-deployment`` and
``harness gate --can-i-deploy`` against the stand-in broker, through the real CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cli.main import main
from tests.helpers import free_port
from tests.integration.broker.conftest import write_contracts
from tests.integration.broker.standin import BrokerState

pytestmark = pytest.mark.integration

Broker = tuple[str, BrokerState]
PUBLISH = ("pacts", "publish", "--version", "v1", "--branch", "main")


def _gate(contracts: Path, *extra: str) -> list[str]:
    return ["gate", "--base", str(contracts), "--head", str(contracts), *extra]


def test_publish_sends_the_pacts_and_results_and_says_what_it_did(
    broker: Broker, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, state = broker
    pacts = write_contracts(tmp_path)
    assert main([*PUBLISH, "--broker", url, "--pacts", str(pacts)]) == 0
    out = capsys.readouterr().out
    assert f"Pact Broker {url}: version v1, branch main (no credentials)" in out
    assert "published 1 pact(s) of web v1" in out
    assert "info: Pact published for worker version v1 and provider api." in out
    assert out.count("published verification result of api v1") == 2
    assert len(state.pacts) == 2 and len(state.verifications) == 2


def test_publish_reads_the_broker_from_the_environment_and_credentials_stay_hidden(
    broker: Broker,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, state = broker
    state.username, state.password = "pact", "s3cret"
    monkeypatch.setenv("PACT_BROKER_BASE_URL", url)
    monkeypatch.setenv("PACT_BROKER_USERNAME", "pact")
    monkeypatch.setenv("PACT_BROKER_PASSWORD", "s3cret")
    assert main([*PUBLISH, "--pacts", str(write_contracts(tmp_path)), "--no-results"]) == 0
    captured = capsys.readouterr()
    assert "(basic auth)" in captured.out and "s3cret" not in captured.out + captured.err
    assert len(state.pacts) == 2 and state.verifications == []


def test_publish_without_a_broker_or_a_pact_folder_explains_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*PUBLISH, "--pacts", str(write_contracts(tmp_path))]) == 1
    assert "no Pact Broker configured: pass --broker URL" in capsys.readouterr().err
    assert main([*PUBLISH, "--broker", "http://x", "--pacts", str(tmp_path / "none")]) == 1
    assert "no pact folder at" in capsys.readouterr().err


def test_gate_can_i_deploy_folds_the_answer_into_the_verdict(
    broker: Broker, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, state = broker
    state.add_environment("production", production=True)
    pacts = write_contracts(tmp_path / "contracts")
    assert main([*PUBLISH, "--broker", url, "--pacts", str(pacts)]) == 0
    ask = _gate(tmp_path / "contracts", "--can-i-deploy", "--broker", url, "--version", "v1")
    capsys.readouterr()
    assert main([*ask, "--pacticipant", "web"]) == 1
    out = capsys.readouterr().out
    assert "  web v1 to production: unknown" in out
    assert "a version of api currently in production" in out
    assert out.rstrip().endswith("can-i-deploy to production: 1 unknown")
    deployed = ["pacts", "record-deployment", "--broker", url, "--version", "v1"]
    assert main([*deployed, "--pacticipant", "api", "--environment", "production"]) == 0
    assert "recorded api v1 in production" in capsys.readouterr().out
    assert main(ask) == 0  # every pacticipant of the pacts: api, web, worker
    out = capsys.readouterr().out
    assert "gate PASS" in out and "can-i-deploy to production: 3 yes" in out


def test_gate_can_i_deploy_without_a_usable_broker_is_unusable_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contracts = write_contracts(tmp_path / "contracts").parent
    assert main(_gate(contracts, "--can-i-deploy", "--version", "v1")) == 2
    assert "needs a Pact Broker: pass --broker URL" in capsys.readouterr().err
    dead = f"http://127.0.0.1:{free_port()}"
    assert main(_gate(contracts, "--can-i-deploy", "--broker", dead, "--version", "v1")) == 2
    assert f"can-i-deploy: Pact Broker at {dead} is unreachable" in capsys.readouterr().err
    assert main(_gate(contracts, "--broker", dead)) == 2
    assert "--broker only apply with --can-i-deploy" in capsys.readouterr().err
