"""A stand-in Pact Broker for tests: the subset of its HAL/HTTP API the harness uses.

No real Pact Broker can run on these machines (no Docker, no Ruby gems), so this server
answers as the broker's documentation and decorators say (pact_broker
``lib/pact_broker/doc/views``, ``api/decorators``; checked against 2.119): the index's
relations, ``POST /contracts/publish`` (notices, ``_embedded`` pacticipant and version,
``pb:contracts``), the pact resource with its ``pb:publish-verification-results`` link
(``.../pact-version/{sha}/verification-results``), branch versions and tags, environments,
``pb:record-deployment`` links and deployed versions, and ``/can-i-deploy`` with the
matrix decorator's ``summary``/``notices``/``matrix``. Errors: 400 ``{"errors": {field:
[...]}}``, 409 with notices on changed pact content, 404 ``{"error": ...}``, and Rack's
401 with ``WWW-Authenticate`` when credentials are required. It lives in tests only.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from tests.integration.broker.standin_matrix import can_i_deploy_answer, pact_version_sha

HAL = "application/hal+json;charset=utf-8"
Answer = tuple[int, dict[str, Any] | None]


@dataclass
class BrokerState:
    """Everything published, readable by tests."""

    username: str | None = None
    password: str | None = None
    token: str | None = None
    pacts: dict[tuple[str, str, str], bytes] = field(default_factory=dict)  # (p, c, cv)
    versions: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    verifications: list[dict[str, Any]] = field(default_factory=list)
    environments: dict[str, dict[str, Any]] = field(default_factory=dict)  # uuid -> env
    deployed: list[tuple[str, str, str]] = field(default_factory=list)  # (p, v, env uuid)
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)

    def version(self, pacticipant: str, number: str) -> dict[str, Any]:
        known = self.versions.setdefault(pacticipant, {})
        return known.setdefault(number, {"number": number, "branches": [], "tags": []})

    def add_environment(self, name: str, *, production: bool = False) -> str:
        key = str(uuid.uuid4())
        self.environments[key] = {
            "uuid": key,
            "name": name,
            "displayName": name.title(),
            "production": production,
        }
        return key


class Routes:
    """Requests to answers; ``base`` is the broker's own URL (links are absolute)."""

    def __init__(self, state: BrokerState, base: str) -> None:
        self.state = state
        self.base = base
        self.table: list[tuple[str, re.Pattern[str], Callable[..., Answer]]] = [
            ("GET", re.compile(r"/"), self.index),
            ("POST", re.compile(r"/contracts/publish"), self.publish_contracts),
            (
                "GET",
                re.compile(r"/pacts/provider/([^/]+)/consumer/([^/]+)/version/([^/]+)"),
                self.pact,
            ),
            (
                "POST",
                re.compile(
                    r"/pacts/provider/([^/]+)/consumer/([^/]+)/pact-version/([^/]+)/verification-results"
                ),
                self.publish_verification,
            ),
            (
                "PUT",
                re.compile(r"/pacticipants/([^/]+)/branches/([^/]+)/versions/([^/]+)"),
                self.branch_version,
            ),
            ("PUT", re.compile(r"/pacticipants/([^/]+)/versions/([^/]+)/tags/([^/]+)"), self.tag),
            ("GET", re.compile(r"/pacticipants/([^/]+)/versions/([^/]+)"), self.get_version),
            (
                "POST",
                re.compile(
                    r"/pacticipants/([^/]+)/versions/([^/]+)/deployed-versions/environment/([^/]+)"
                ),
                self.record_deployment,
            ),
            ("GET", re.compile(r"/environments"), self.list_environments),
            ("GET", re.compile(r"/can-i-deploy"), self.can_i_deploy),
        ]

    def answer(self, method: str, path: str, query: dict[str, str], body: Any) -> Answer:
        for verb, pattern, handler in self.table:
            match = pattern.fullmatch(path)
            if match and verb == method:
                args = [unquote(g) for g in match.groups()]
                return handler(*args, query=query, body=body)
        return 404, {"error": "The requested document was not found on this server."}

    def url(self, *segments: str) -> str:
        return self.base + "".join("/" + quote(s, safe="") for s in segments)

    def index(self, *, query: dict[str, str], body: Any) -> Answer:
        b = self.base
        templated = {
            "pb:publish-pact": "/pacts/provider/{provider}/consumer/{consumer}"
            "/version/{consumerApplicationVersion}",
            "pb:pacticipant-version": "/pacticipants/{pacticipant}/versions/{version}",
            "pb:pacticipant-branch-version": "/pacticipants/{pacticipant}/branches/{branch}"
            "/versions/{version}",
            "pb:pacticipant-version-tag": "/pacticipants/{pacticipant}/versions/{version}"
            "/tags/{tag}",
            "pb:can-i-deploy-pacticipant-version-to-environment": "/can-i-deploy"
            "?pacticipant={pacticipant}&version={version}&environment={environment}",
            "pb:environment": "/environments/{uuid}",
        }
        links: dict[str, Any] = {
            "self": {"href": b, "title": "Index", "templated": False},
            "pb:publish-contracts": {
                "href": b + "/contracts/publish",
                "title": "Publish contracts",
                "templated": False,
            },
            "pb:environments": {
                "href": b + "/environments",
                "title": "Environments",
                "templated": False,
            },
        }
        links.update({rel: {"href": b + t, "templated": True} for rel, t in templated.items()})
        return 200, {"_links": links}

    def publish_contracts(self, *, query: dict[str, str], body: Any) -> Answer:
        errors = _missing(body, ("pacticipantName", "pacticipantVersionNumber", "contracts"))
        for i, contract in enumerate((body or {}).get("contracts") or []):
            for key in ("consumerName", "providerName", "specification", "contentType", "content"):
                if not contract.get(key):
                    errors[f"contracts.{i}.{key}"] = ["is missing"]
            if contract.get("consumerName") != body.get("pacticipantName"):
                errors[f"contracts.{i}.consumerName"] = ["must match the pacticipant name"]
        if errors:
            return 400, {"errors": errors}
        name, number = body["pacticipantName"], body["pacticipantVersionNumber"]
        conflicts = []
        for contract in body["contracts"]:
            key = (contract["providerName"], name, number)
            content = base64.b64decode(contract["content"])
            if key in self.state.pacts and self.state.pacts[key] != content:
                conflicts.append(
                    f"Cannot change the content of the pact for {name} version {number} and "
                    f"provider {key[0]}, as race conditions will cause unreliable results for "
                    "can-i-deploy. Each pact must be published with a unique consumer version "
                    "number. For more information see https://docs.pact.io/go/versioning"
                )
        if conflicts:
            notices = [{"type": "error", "text": text} for text in conflicts]
            return 409, {"notices": notices, "errors": {"content": conflicts}}
        version = self.state.version(name, number)
        if body.get("branch") and body["branch"] not in version["branches"]:
            version["branches"].append(body["branch"])
        version["tags"] += [t for t in body.get("tags") or [] if t not in version["tags"]]
        notices, contracts = [], []
        for contract in body["contracts"]:
            provider = contract["providerName"]
            self.state.pacts[(provider, name, number)] = base64.b64decode(contract["content"])
            notices.append(
                {
                    "type": "info",
                    "text": f"Pact published for {name} version {number} and provider {provider}.",
                }
            )
            contracts.append(
                {
                    "title": "Pact",
                    "name": f"Pact between {name} ({number}) and {provider}",
                    "href": self.url(
                        "pacts", "provider", provider, "consumer", name, "version", number
                    ),
                }
            )
        version_href = self.url("pacticipants", name, "versions", number)
        return 200, {
            "notices": notices,
            "_embedded": {
                "pacticipant": {
                    "name": name,
                    "_links": {"self": {"href": self.url("pacticipants", name)}},
                },
                "version": {
                    "number": number,
                    "branch": body.get("branch"),
                    "buildUrl": body.get("buildUrl"),
                    "_links": {"self": {"title": "Version", "name": number, "href": version_href}},
                },
            },
            "_links": {
                "pb:pacticipant": {
                    "title": "Pacticipant",
                    "name": name,
                    "href": self.url("pacticipants", name),
                },
                "pb:pacticipant-version": {
                    "title": "Pacticipant version",
                    "name": number,
                    "href": version_href,
                },
                "pb:pacticipant-version-tags": [
                    {"title": "Tag", "name": t, "href": f"{version_href}/tags/{quote(t, safe='')}"}
                    for t in body.get("tags") or []
                ],
                "pb:contracts": contracts,
            },
        }

    def pact(self, provider: str, consumer: str, number: str, **_: Any) -> Answer:
        content = self.state.pacts.get((provider, consumer, number))
        if content is None:
            return 404, {"error": "The requested document was not found on this server."}
        sha = pact_version_sha(content)
        document = json.loads(content)
        document["_links"] = {
            "self": {
                "title": "Pact",
                "name": f"Pact between {consumer} ({number}) and {provider}",
                "href": self.url(
                    "pacts", "provider", provider, "consumer", consumer, "version", number
                ),
            },
            "pb:publish-verification-results": {
                "title": "Publish verification results",
                "href": self.url(
                    "pacts", "provider", provider, "consumer", consumer, "pact-version", sha
                )
                + "/verification-results",
            },
        }
        return 200, document

    def publish_verification(
        self, provider: str, consumer: str, sha: str, *, query: dict[str, str], body: Any
    ) -> Answer:
        if not any(
            (p, c) == (provider, consumer) and pact_version_sha(content) == sha
            for (p, c, _), content in self.state.pacts.items()
        ):
            return 404, {"error": "The requested document was not found on this server."}
        errors = _missing(body, ("providerApplicationVersion",))
        if not isinstance((body or {}).get("success"), bool):
            errors["success"] = ["must be true or false"]
        if errors:
            return 400, {"errors": errors}
        self.state.version(provider, body["providerApplicationVersion"])
        number = len(self.state.verifications) + 1
        self.state.verifications.append(
            {"provider": provider, "consumer": consumer, "pact_version_sha": sha, **body}
        )
        pact_href = self.url(
            "pacts", "provider", provider, "consumer", consumer, "pact-version", sha
        )
        return 201, {
            "providerName": provider,
            "providerApplicationVersion": body["providerApplicationVersion"],
            "success": body["success"],
            "verificationDate": "2026-11-25T10:00:00+00:00",
            "testResults": body.get("testResults"),
            "_links": {
                "self": {
                    "title": "Verification result",
                    "href": f"{pact_href}/verification-results/{number}",
                },
                "pb:pact-version": {"title": "Pact", "href": pact_href},
            },
        }

    def branch_version(self, pacticipant: str, branch: str, number: str, **_: Any) -> Answer:
        version = self.state.version(pacticipant, number)
        if branch not in version["branches"]:
            version["branches"].append(branch)
        href = self.url("pacticipants", pacticipant, "branches", branch, "versions", number)
        return 200, {"_links": {"self": {"href": href}}}

    def tag(self, pacticipant: str, number: str, tag: str, **_: Any) -> Answer:
        version = self.state.version(pacticipant, number)
        if tag not in version["tags"]:
            version["tags"].append(tag)
        href = self.url("pacticipants", pacticipant, "versions", number, "tags", tag)
        return 201, {"name": tag, "_links": {"self": {"title": "Tag", "name": tag, "href": href}}}

    def get_version(self, pacticipant: str, number: str, **_: Any) -> Answer:
        version = self.state.versions.get(pacticipant, {}).get(number)
        if version is None:
            return 404, {"error": "The requested document was not found on this server."}
        href = self.url("pacticipants", pacticipant, "versions", number)
        deployments = [
            {
                "title": f"Record deployment to {env['displayName']}",
                "name": env["name"],
                "href": f"{href}/deployed-versions/environment/{env['uuid']}",
            }
            for env in self.state.environments.values()
        ]
        links = {"self": {"title": "Version", "name": number, "href": href}}
        return 200, {**version, "_links": {**links, "pb:record-deployment": deployments}}

    def record_deployment(self, pacticipant: str, number: str, env: str, **_: Any) -> Answer:
        if (
            number not in self.state.versions.get(pacticipant, {})
            or env not in self.state.environments
        ):
            return 404, {"error": "The requested document was not found on this server."}
        self.state.deployed.append((pacticipant, number, env))
        href = self.url("deployed-versions", str(uuid.uuid4()))
        return 201, {"currentlyDeployed": True, "_links": {"self": {"href": href}}}

    def list_environments(self, **_: Any) -> Answer:
        listed = [
            {**env, "_links": {"self": {"href": self.url("environments", key)}}}
            for key, env in self.state.environments.items()
        ]
        return 200, {
            "_embedded": {"environments": listed},
            "_links": {"self": {"href": self.url("environments")}},
        }

    def can_i_deploy(self, *, query: dict[str, str], body: Any) -> Answer:
        errors = _missing(query, ("pacticipant", "version"))
        if not query.get("environment"):
            errors["base"] = ["You must specify either an environment or a tag."]
        name, env_name = query.get("pacticipant", ""), query.get("environment", "")
        if name and name not in self.state.versions:
            errors["pacticipant"] = [f"No pacticipant with name '{name}' found"]
        env = next((e for e in self.state.environments.values() if e["name"] == env_name), None)
        if env_name and env is None:
            errors["environment"] = [f"No environment found with name '{env_name}'"]
        if errors or env is None:
            return 400, {"errors": errors}
        return 200, can_i_deploy_answer(self, name, query["version"], env)


def _missing(body: Any, keys: tuple[str, ...]) -> dict[str, list[str]]:
    given = body if isinstance(body, dict) else {}
    return {key: ["is missing"] for key in keys if not given.get(key)}


def _handler(routes: Routes) -> type[BaseHTTPRequestHandler]:
    state = routes.state

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def do_PUT(self) -> None:
            self._serve("PUT")

        def _serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            state.requests.append((method, self.path, headers))
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if not self._authorised(headers.get("authorization", "")):
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="Restricted area"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            body = json.loads(raw) if raw else None
            status, document = routes.answer(method, parts.path or "/", query, body)
            data = json.dumps(document).encode() if document is not None else b""
            self.send_response(status)
            self.send_header("Content-Type", HAL)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorised(self, header: str) -> bool:
            if state.token:
                return header == f"Bearer {state.token}"
            if state.username:
                pair = f"{state.username}:{state.password}".encode()
                return header == "Basic " + base64.b64encode(pair).decode()
            return True

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def running_broker(state: BrokerState | None = None) -> Iterator[tuple[str, BrokerState]]:
    """A stand-in broker on a free port: (its base URL, its state)."""
    state = state or BrokerState()
    routes = Routes(state, "")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(routes))
    routes.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield routes.base, state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
