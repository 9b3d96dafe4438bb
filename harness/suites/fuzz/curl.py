"""Curl commands that reproduce a failure, without putting a live token in a report (pure).

Schemathesis renders the request as a curl command. The bearer token in it is replaced
by ``$HARNESS_TOKEN`` (the shell word holding it becomes double-quoted so the shell
expands it), and a comment says whose token it was and how to get one.
"""

from __future__ import annotations

import re

from harness.suites.fuzz.identities import Identity

TOKEN_VARIABLE = "HARNESS_TOKEN"
# a single-quoted shell word that holds the token and nothing a double quote would change
_QUOTED = r"'([^'\"$`\\]*){token}([^'\"$`\\]*)'"


def without_token(text: str, token: str, *, variable: str = TOKEN_VARIABLE) -> str:
    """``text`` with every occurrence of ``token`` replaced by ``${variable}``."""
    if not token:
        return text
    reference = f"${{{variable}}}"
    quoted = re.compile(_QUOTED.format(token=re.escape(token)))
    text = quoted.sub(lambda m: f'"{m[1]}{reference}{m[2]}"', text)
    return text.replace(token, reference)


def token_note(identity: Identity, *, login_url: str) -> str:
    """Shell comments: whose token the command needs and how to get one."""
    body = f'{{"email": "{identity.email}", "password": "<password>"}}'
    extract = "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])'"
    return (
        f"# ${TOKEN_VARIABLE}: an access token of the {identity.role} {identity.email}:\n"
        f"#   export {TOKEN_VARIABLE}=$(curl -s -X POST {login_url} "
        f"-H 'Content-Type: application/json' -d '{body}' | {extract})"
    )


def reproduction(curl: str, identity: Identity | None, *, login_url: str) -> str:
    """The command to paste into a shell, with the note its token needs."""
    if identity is None or identity.token not in curl:
        return curl
    return f"{token_note(identity, login_url=login_url)}\n{without_token(curl, identity.token)}"
