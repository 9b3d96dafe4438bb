"""The broker's documents: HAL links and templates, request bodies, can-i-deploy answers."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from harness.broker import hal
from harness.broker.deploy import parse_answer
from harness.broker.errors import BrokerResponseError
from harness.broker.publish import (
    PactDocument,
    VerificationResult,
    contracts_body,
    verification_body,
)
from harness.broker.versions import Build
from harness.errors import ConfigError


def test_templates_are_filled_with_percent_encoded_values() -> None:
    template = "http://b/pacticipants/{pacticipant}/branches/{branch}/versions/{version}"
    url = hal.expand(template, pacticipant="my app", branch="feature/x", version="1")
    assert url == "http://b/pacticipants/my%20app/branches/feature%2Fx/versions/1"
    with pytest.raises(ValueError, match="version"):
        hal.expand(template, pacticipant="a", branch="b")


def test_a_missing_relation_names_the_links_there_are() -> None:
    document = {"_links": {"self": {"href": "/"}, "pb:a": [{"href": "/a", "name": "x"}]}}
    assert hal.links(document, "pb:a") == [{"href": "/a", "name": "x"}]
    with pytest.raises(BrokerResponseError, match=r"no 'pb:b' link \(links: pb:a, self\)"):
        hal.href(document, "pb:b", where="the index")


def test_pacts_are_published_base64_encoded_with_branch_and_tags(tmp_path: Path) -> None:
    path = tmp_path / "web-api.json"
    path.write_text(json.dumps({"consumer": {"name": "web"}, "provider": {"name": "api"}}))
    pact = PactDocument.read(path)
    body = contracts_body("web", [pact], Build("abc", "main", tags=("rc",)))
    assert body["pacticipantName"] == "web" and body["pacticipantVersionNumber"] == "abc"
    assert (body["branch"], body["tags"]) == ("main", ["rc"])
    [contract] = body["contracts"]
    assert (contract["consumerName"], contract["providerName"]) == ("web", "api")
    assert (contract["specification"], contract["contentType"]) == ("pact", "application/json")
    assert base64.b64decode(contract["content"]) == path.read_bytes()
    assert "branch" not in contracts_body("web", [pact], Build("abc", None))


def test_a_file_that_is_no_pact_is_named(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text('{"consumer": "web"}')
    with pytest.raises(ConfigError, match=r"x\.json: not a pact"):
        PactDocument.read(tmp_path / "x.json")


def test_a_verification_result_lists_each_interaction() -> None:
    failure = {"interaction": "b", "mismatches": [{"type": "BodyMismatch", "path": "$.id"}]}
    result = VerificationResult("web", "api", False, {"a": "OK", "b": "failed"}, (failure,))
    body = verification_body(result, Build("v9", "main", build_url="http://ci/1"))
    assert (body["success"], body["providerApplicationVersion"]) == (False, "v9")
    assert body["buildUrl"] == "http://ci/1"
    assert body["testResults"] == [
        {"interactionDescription": "a", "success": True},
        {"interactionDescription": "b", "success": False, "mismatches": failure["mismatches"]},
    ]


@pytest.mark.parametrize(("deployable", "word"), [(True, "yes"), (False, "no"), (None, "unknown")])
def test_can_i_deploy_answers_are_read_from_the_summary(deployable: bool | None, word: str) -> None:
    document = {
        "summary": {"deployable": deployable, "reason": "why", "success": 1, "failed": 0},
        "notices": [{"type": "success", "text": "why"}],
        "matrix": [
            {
                "consumer": {"name": "web", "version": {"number": "1"}},
                "provider": {"name": "api", "version": None},
                "verificationResult": None,
            }
        ],
    }
    answer = parse_answer(document, pacticipant="web", version="1", environment="prod")
    assert (answer.deployable, answer.word, answer.reason) == (deployable, word, "why")
    assert str(answer.rows[0]) == "web 1 -> api ?: not verified"


def test_an_answer_without_a_summary_is_no_broker_answer() -> None:
    with pytest.raises(BrokerResponseError, match=r"summary\.deployable"):
        parse_answer({"matrix": []}, pacticipant="a", version="1", environment="e")
