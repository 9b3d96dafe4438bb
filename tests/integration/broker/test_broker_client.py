"""The broker client over real sockets against the stand-in broker (tests/.../standin.py):
publication, verification results, can-i-deploy, deployments and every kind of failure."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from harness.broker.client import BrokerClient
from harness.broker.config import resolve_broker
from harness.broker.deploy import can_i_deploy, environments, record_deployment
from harness.broker.errors import (
    BrokerAuthError,
    BrokerNotFoundError,
    BrokerRejectedError,
    BrokerResponseError,
    BrokerUnreachableError,
)
from harness.broker.sync import PactSync
from harness.broker.versions import Build
from tests.helpers import free_port
from tests.integration.broker.conftest import write_contracts, write_record
from tests.integration.broker.standin import BrokerState

pytestmark = pytest.mark.integration

Broker = tuple[str, BrokerState]


def _sync(url: str, version: str = "v1", env: dict[str, str] | None = None) -> PactSync:
    config = resolve_broker(flag=url, target=None, env=env or {})
    assert config is not None
    return PactSync.open(config, Build(version, "main", tags=("rc",)))


def test_pacts_and_their_results_are_published_under_the_build(
    broker: Broker, tmp_path: Path
) -> None:
    url, state = broker
    pacts = write_contracts(tmp_path)
    with _sync(url) as sync:
        published = sync.publish_folder(pacts)
        done, stale = sync.publish_records(pacts)
    assert [p.pacticipant for p in published] == ["web", "worker"]
    assert published[0].resources == (f"{url}/pacts/provider/api/consumer/web/version/v1",)
    assert published[0].notices == (
        ("info", "Pact published for web version v1 and provider api."),
    )
    assert state.pacts[("api", "web", "v1")] == (pacts / "web-api.json").read_bytes()
    assert state.versions["web"]["v1"]["branches"] == ["main"]
    assert (len(done), stale) == (2, [])
    results = {
        (v["consumer"], v["providerApplicationVersion"], v["success"]) for v in state.verifications
    }
    assert results == {("web", "v1", True), ("worker", "v1", True)}
    assert state.versions["api"]["v1"] == {"number": "v1", "branches": ["main"], "tags": ["rc"]}
    assert state.verifications[0]["testResults"] == [
        {"interactionDescription": "web reads an item", "success": True}
    ]


def test_can_i_deploy_follows_results_and_deployments(broker: Broker, tmp_path: Path) -> None:
    url, state = broker
    state.add_environment("production", production=True)
    pacts = write_contracts(tmp_path)
    with _sync(url) as sync:
        sync.publish_folder(pacts)
        client = sync.client
        first = can_i_deploy(client, pacticipant="web", version="v1", environment="production")
        assert (first.deployable, first.word) == (None, "unknown")
        assert "a version of api currently in production" in first.reason
        sync.publish_records(pacts)
        record_deployment(client, pacticipant="api", version="v1", environment="production")
        answer = can_i_deploy(client, pacticipant="web", version="v1", environment="production")
        assert answer.deployable is True, answer.reason
        assert [str(r) for r in answer.rows] == ["web v1 -> api v1: verified"]
        assert [e["name"] for e in environments(client)] == ["production"]


def test_a_failed_verification_makes_the_answer_no(broker: Broker, tmp_path: Path) -> None:
    url, state = broker
    state.add_environment("production")
    pacts = write_contracts(tmp_path, success=False)
    with _sync(url) as sync:
        sync.publish_folder(pacts)
        sync.publish_records(pacts)
        record_deployment(sync.client, pacticipant="api", version="v1", environment="production")
        answer = can_i_deploy(
            sync.client, pacticipant="web", version="v1", environment="production"
        )
    assert answer.deployable is False and "failed" in answer.reason
    assert state.verifications[0]["testResults"][0]["success"] is False


def test_same_bytes_are_sent_once_and_changed_bytes_for_a_version_are_refused(
    broker: Broker, tmp_path: Path
) -> None:
    url, _ = broker
    pacts = write_contracts(tmp_path)
    with _sync(url) as sync:
        assert len(sync.publish_folder(pacts)) == 2
        assert sync.publish_folder(pacts) == []
    changed = {**json.loads((pacts / "web-api.json").read_text()), "x": 1}
    (pacts / "web-api.json").write_text(json.dumps(changed))
    with _sync(url) as sync, pytest.raises(BrokerRejectedError) as refused:
        sync.publish_folder(pacts)
    message = str(refused.value)
    assert "refused POST" in message and "(409)" in message
    assert "Cannot change the content of the pact for web version v1" in message


def test_a_stale_record_is_skipped_not_published(broker: Broker, tmp_path: Path) -> None:
    url, state = broker
    pacts = write_contracts(tmp_path)
    record = write_record(pacts / "web-api.json", success=True)
    (pacts / "web-api.json").write_text(
        json.dumps({"consumer": {"name": "web"}, "provider": {"name": "api"}, "interactions": []})
    )
    with _sync(url) as sync:
        sync.publish_folder(pacts)
        done, stale = sync.publish_records(pacts)
    assert stale == [record] and [p.pacticipant for p in done] == ["api"]
    assert [v["consumer"] for v in state.verifications] == ["worker"]


def test_basic_auth_and_bearer_tokens_are_sent_and_refusals_explained(
    broker: Broker, tmp_path: Path
) -> None:
    url, state = broker
    state.username, state.password = "pact", "s3cret"
    good = {"PACT_BROKER_USERNAME": "pact", "PACT_BROKER_PASSWORD": "s3cret"}
    with _sync(url, env=good) as sync:
        assert sync.publish_folder(write_contracts(tmp_path))
    sent = state.requests[-1][2]["authorization"]
    assert base64.b64decode(sent.removeprefix("Basic ")) == b"pact:s3cret"
    wrong = {"PACT_BROKER_USERNAME": "pact", "PACT_BROKER_PASSWORD": "guess"}
    with _sync(url, env=wrong) as sync, pytest.raises(BrokerAuthError) as refused:
        sync.client.index()
    assert "answered 401 to GET" in str(refused.value) and "guess" not in str(refused.value)
    assert "basic auth sent was refused" in str(refused.value)
    with _sync(url) as sync, pytest.raises(BrokerAuthError, match="set PACT_BROKER_USERNAME"):
        sync.client.index()
    state.username, state.token = None, "t0ken"
    with _sync(url, env={"PACT_BROKER_TOKEN": "t0ken"}) as sync:
        assert "pb:publish-contracts" in sync.client.index()["_links"]
    assert state.requests[-1][2]["authorization"] == "Bearer t0ken"


def test_unknown_resources_and_bad_queries_are_named(broker: Broker) -> None:
    url, state = broker
    state.add_environment("production")
    state.version("web", "v1")
    with BrokerClient(resolve_broker(flag=url, target=None, env={})) as client:  # type: ignore[arg-type]
        with pytest.raises(BrokerNotFoundError, match="has no version nope of web: publish"):
            record_deployment(client, pacticipant="web", version="nope", environment="production")
        with pytest.raises(
            BrokerNotFoundError, match=r"GET \S+/pacts/provider/api\S+ answered 404"
        ):
            client.get(client.relation("pb:publish-pact", provider="api", consumer="web",
                                       consumerApplicationVersion="v1"))  # fmt: skip
        with pytest.raises(
            BrokerNotFoundError, match=r"no environment 'staging'.*known: production"
        ):
            record_deployment(client, pacticipant="web", version="v1", environment="staging")
        with pytest.raises(BrokerRejectedError, match="No environment found with name 'staging'"):
            can_i_deploy(client, pacticipant="web", version="v1", environment="staging")


@contextmanager
def _server(content_type: str, body: bytes) -> Iterator[str]:
    class Answer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_a_server_that_is_no_broker_is_told_apart(tmp_path: Path) -> None:
    pacts = write_contracts(tmp_path)
    with (
        _server("text/html", b"<html>It works!</html>") as url,
        _sync(url) as sync,
        pytest.raises(BrokerResponseError, match="not the Pact Broker's HAL JSON"),
    ):
        sync.publish_folder(pacts)
    with (
        _server("application/json", b'{"status": "UP"}') as url,
        _sync(url) as sync,
        pytest.raises(BrokerResponseError, match="no 'pb:publish-contracts' link"),
    ):
        sync.publish_folder(pacts)


def test_an_unreachable_broker_is_named_with_where_its_url_came_from(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with _sync(url) as sync, pytest.raises(BrokerUnreachableError) as failed:
        sync.publish_folder(write_contracts(tmp_path))
    assert url in str(failed.value) and "from --broker" in str(failed.value)
