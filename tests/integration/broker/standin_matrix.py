"""The stand-in broker's can-i-deploy: the matrix decorator's document (``summary`` with
``deployable`` true, false or null and the counts, ``notices``, ``matrix`` rows) for one
pacticipant version against the versions deployed to an environment."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.integration.broker.standin import BrokerState, Routes


def pact_version_sha(content: bytes) -> str:
    return hashlib.sha1(content).hexdigest()  # an id, like the broker's


def can_i_deploy_answer(
    routes: Routes, name: str, number: str, env: dict[str, Any]
) -> dict[str, Any]:
    """The matrix decorator's document for one pacticipant version and an environment."""
    state = routes.state
    if number not in state.versions.get(name, {}):
        reason = f"No pacts or verifications have been published for version {number} of {name}"
        return {
            "summary": {
                "deployable": False,
                "reason": reason,
                "success": 0,
                "failed": 0,
                "unknown": 1,
            },
            "notices": [{"type": "error", "text": reason}],
            "matrix": [],
        }
    in_env = {(p, v) for p, v, e in state.deployed if e == env["uuid"]}
    rows, reasons = [], []
    for (provider, consumer, cv), content in sorted(state.pacts.items()):
        if consumer == name and cv == number:
            deployed = [v for p, v in in_env if p == provider]
            if not deployed:
                reasons.append(
                    f"There is no verified pact between version {number} of {name} and a "
                    f"version of {provider} currently in {env['name']}"
                )
                rows.append((consumer, cv, provider, None, None))
            rows += [
                (consumer, cv, provider, pv, _result(state, content, provider, pv))
                for pv in deployed
            ]
        elif provider == name and (consumer, cv) in in_env:
            rows.append((consumer, cv, provider, number, _result(state, content, provider, number)))
    failed = sum(1 for r in rows if r[4] is False)
    unknown = sum(1 for r in rows if r[4] is None)
    deployable = False if failed else (None if unknown else True)
    for consumer, cv, provider, pv, success in rows:
        if success is False:
            reasons.append(
                f"The verification for the pact between version {cv} of {consumer} and the "
                f"version {pv} of {provider} failed"
            )
        elif success is None and pv is not None:
            reasons.append(
                f"There is no verified pact between version {cv} of {consumer} and "
                f"version {pv} of {provider}"
            )
    if deployable:
        reasons = ["All required verification results are published and successful"]
    kind = "success" if deployable else "error"
    return {
        "summary": {
            "deployable": deployable,
            "reason": "\n".join(dict.fromkeys(reasons)),
            "success": len(rows) - failed - unknown,
            "failed": failed,
            "unknown": unknown,
        },
        "notices": [{"type": kind, "text": text} for text in dict.fromkeys(reasons)],
        "matrix": [_matrix_row(routes, *row) for row in rows],
    }


def _result(state: BrokerState, content: bytes, provider: str, version: str) -> bool | None:
    sha = pact_version_sha(content)
    mine = [
        v
        for v in state.verifications
        if v["provider"] == provider
        and v["pact_version_sha"] == sha
        and v["providerApplicationVersion"] == version
    ]
    return bool(mine[-1]["success"]) if mine else None


def _matrix_row(
    routes: Routes, consumer: str, cv: str, provider: str, pv: str | None, success: bool | None
) -> dict[str, Any]:
    def side(name: str, number: str | None) -> dict[str, Any]:
        version = (
            None
            if number is None
            else {
                "number": number,
                "branch": (routes.state.version(name, number)["branches"] or [None])[-1],
                "_links": {"self": {"href": routes.url("pacticipants", name, "versions", number)}},
                "tags": [],
            }
        )
        return {
            "name": name,
            "version": version,
            "_links": {"self": {"href": routes.url("pacticipants", name)}},
        }

    result = (
        None
        if success is None
        else {
            "success": success,
            "verifiedAt": "2026-11-25T10:00:00+00:00",
            "_links": {"self": {"href": routes.base}},
        }
    )
    return {
        "consumer": side(consumer, cv),
        "provider": side(provider, pv),
        "pact": {
            "createdAt": "2026-11-25T09:00:00+00:00",
            "_links": {
                "self": {
                    "href": routes.url(
                        "pacts", "provider", provider, "consumer", consumer, "version", cv
                    )
                }
            },
        },
        "verificationResult": result,
    }
